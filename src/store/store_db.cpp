#include "store/store_db.h"

#include <sqlite3.h>

#include "flexrecon/error.h"

namespace flexrecon {

namespace {

// A store that cannot be read or written stops the run: it is an input the user named.
[[noreturn]] void store_failure(const std::string& store, sqlite3* db, int rc) {
  const char* why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw Error::input("case store " + store + ": " + (why ? why : "SQLite failure") + " (SQLite code " + std::to_string(rc) + ")");
}

}  // namespace

StoreStatement::StoreStatement(sqlite3* db, const std::string& store, const char* sql) : db_(db), store_(store) {
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(rc);
}

StoreStatement::~StoreStatement() { sqlite3_finalize(stmt_); }

void StoreStatement::fail(int rc) const { store_failure(store_, db_, rc); }

StoreStatement& StoreStatement::bind(int i, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(rc);
  return *this;
}

StoreStatement& StoreStatement::bind_blob(int i, std::string_view bytes) {
  const int rc = sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) fail(rc);
  return *this;
}

StoreStatement& StoreStatement::bind(int i, std::int64_t v) {
  const int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK) fail(rc);
  return *this;
}

StoreStatement& StoreStatement::bind_null(int i) {
  const int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK) fail(rc);
  return *this;
}

void StoreStatement::run() {
  const int rc = sqlite3_step(stmt_);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(rc);
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool StoreStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void StoreStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t StoreStatement::integer(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string StoreStatement::text(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
}

std::string StoreStatement::blob(int i) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
}

bool StoreStatement::is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

StoreDb::StoreDb(const std::string& path, bool read_only) : path_(path) {
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error::input("case store " + path + ": cannot open: " + why);
  }
  // Another ingest or a reader may hold the file for a moment (a commit): wait, do not fail.
  sqlite3_busy_timeout(db_, 60000);
}

StoreDb::~StoreDb() { sqlite3_close(db_); }

void StoreDb::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw Error::input("case store " + path_ + ": " + why);
  }
}

std::int64_t StoreDb::pragma(const char* name) {
  StoreStatement q(db_, path_, (std::string("PRAGMA ") + name).c_str());
  return q.step() ? q.integer(0) : 0;
}

bool StoreDb::has_table(const char* name) {
  StoreStatement q(db_, path_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.step();
}

}  // namespace flexrecon
