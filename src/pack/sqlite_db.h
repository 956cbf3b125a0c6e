// A thin RAII layer over sqlite3: a connection and prepared statements that throw flexrecon::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace flexrecon {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binds by position, from 1. Empty optionals bind NULL.
  SqliteStatement& bind(int i, const std::string& v);
  SqliteStatement& bind(int i, std::int64_t v);
  SqliteStatement& bind(int i, double v);
  SqliteStatement& bind_null(int i);
  SqliteStatement& bind(int i, const std::optional<std::string>& v);
  SqliteStatement& bind(int i, const std::optional<std::int64_t>& v);
  // Text sqlite does not copy: the bytes must stay where they are, unchanged, until run() or
  // step(). For the bulk inserts, where a copy per column was a malloc, a memcpy and a free.
  SqliteStatement& bind_static(int i, std::string_view v);
  SqliteStatement& bind_static_or_null(int i, const std::optional<std::string_view>& v);  // nullopt: NULL

  // Executes an INSERT/UPDATE and resets the statement for the next row.
  void run();
  // For queries: true while a row is available.
  bool step();
  std::int64_t column_int(int i) const;
  std::string column_text(int i) const;
  bool column_is_null(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

class SqliteDb {
 public:
  explicit SqliteDb(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);
  SqliteStatement prepare(const std::string& sql) { return SqliteStatement(db_, sql); }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace flexrecon
