#include "pack/sqlite_db.h"

#include <sqlite3.h>

#include "flexrecon/error.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw Error::internal("evidence.sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    fail(db_, "cannot prepare '" + sql + "'");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int i, const std::string& text) {
  // TEXT is UTF-8 in the store as in every file of the pack: a name that is not (a file name in
  // another encoding) is stored with U+FFFD for its bad bytes, as findings.csv and rejects.csv show it.
  const std::string repaired = is_valid_utf8(text) ? std::string() : repair_utf8(text);
  const std::string& v = repaired.empty() ? text : repaired;
  // SQLITE_TRANSIENT: sqlite copies the text, so temporaries are safe to pass.
  if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "cannot bind parameter " + std::to_string(i) + " of '" + sql_ + "'");
  return *this;
}

SqliteStatement& SqliteStatement::bind_static(int i, std::string_view text) {
  // Invalid UTF-8 is repaired as bind() does, into a copy sqlite keeps (rare: a file name).
  if (!is_valid_utf8(text)) return bind(i, std::string(text));
  // A null pointer would bind NULL: an empty view is still the empty text.
  const char* bytes = text.data() ? text.data() : "";
  if (sqlite3_bind_text(stmt_, i, bytes, static_cast<int>(text.size()), SQLITE_STATIC) != SQLITE_OK)
    fail(db_, "cannot bind parameter " + std::to_string(i) + " of '" + sql_ + "'");
  return *this;
}

SqliteStatement& SqliteStatement::bind_static_or_null(int i, const std::optional<std::string_view>& v) {
  return v ? bind_static(i, *v) : bind_null(i);
}

SqliteStatement& SqliteStatement::bind(int i, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "cannot bind parameter " + std::to_string(i));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int i, double v) {
  if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) fail(db_, "cannot bind parameter " + std::to_string(i));
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "cannot bind parameter " + std::to_string(i));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

SqliteStatement& SqliteStatement::bind(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

void SqliteStatement::run() {
  const int rc = sqlite3_step(stmt_);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db_, "'" + sql_ + "' failed");
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "'" + sql_ + "' failed");
}

std::int64_t SqliteStatement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string SqliteStatement::column_text(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, i)) : std::string();
}

bool SqliteStatement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

SqliteDb::SqliteDb(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error::internal("cannot create '" + path + "': " + message);
  }
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error::internal("evidence.sqlite: '" + truncate_utf8(sql, 80) + "' failed: " + text);
  }
}

}  // namespace flexrecon
