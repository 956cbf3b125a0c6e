// The case store's SQLite connection: statements with bound values, errors that name the store.
// (The pack writes evidence.sqlite through its own layer; a case store is read back, and its
// errors are the user's input problems, so it has this small one.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace flexrecon {

class StoreStatement {
 public:
  StoreStatement(sqlite3* db, const std::string& store, const char* sql);
  ~StoreStatement();
  StoreStatement(const StoreStatement&) = delete;
  StoreStatement& operator=(const StoreStatement&) = delete;

  // Binds by position, from 1.
  StoreStatement& bind(int i, std::string_view text);
  StoreStatement& bind_blob(int i, std::string_view bytes);
  StoreStatement& bind(int i, std::int64_t v);
  StoreStatement& bind_null(int i);
  // Runs an INSERT or UPDATE and resets for the next row.
  void run();
  // For queries: true while a row is available; reset() to run again.
  bool step();
  void reset();
  std::int64_t integer(int i) const;
  std::string text(int i) const;
  std::string blob(int i) const;
  bool is_null(int i) const;

 private:
  [[noreturn]] void fail(int rc) const;
  sqlite3* db_;
  const std::string& store_;
  sqlite3_stmt* stmt_ = nullptr;
};

class StoreDb {
 public:
  // Opens an existing database (read_only) or opens/creates one for writing.
  StoreDb(const std::string& path, bool read_only);
  ~StoreDb();
  StoreDb(const StoreDb&) = delete;
  StoreDb& operator=(const StoreDb&) = delete;

  void exec(const char* sql);
  StoreStatement prepare(const char* sql) { return StoreStatement(db_, path_, sql); }
  std::int64_t pragma(const char* name);  // an integer pragma's value
  bool has_table(const char* name);
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace flexrecon
