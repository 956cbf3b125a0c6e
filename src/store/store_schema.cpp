#include "store/store_schema.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "flexrecon/case_store.h"
#include "flexrecon/error.h"

namespace flexrecon {

namespace {

std::uint32_t big_endian(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
  throw Error::input(path + " is not a flexrecon case store: " + what);
}

// An evidence pack's evidence.sqlite (docs/evidence-store.md): a `meta` table with its
// schema_version and the pack's tables. Read-only look, only for the message.
std::string evidence_store_version(const std::string& path) {
  try {
    StoreDb db(path, true);
    if (!db.has_table("meta") || !db.has_table("findings") || !db.has_table("source_files")) return "";
    auto q = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    return q.step() ? q.text(0) : "?";
  } catch (const Error&) {
    return "";
  }
}

}  // namespace

bool check_case_store_file(const std::string& path, bool may_be_new) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && may_be_new) return false;
    refuse(path, std::string(errno == ENOENT ? "no such file" : std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) refuse(path, "it is a directory");
  if (!S_ISREG(st.st_mode)) refuse(path, "it is not a regular file");
  if (st.st_size == 0) {
    if (may_be_new) return false;
    refuse(path, "the file is empty");
  }
  // SQLite's 100-byte header: its magic string, user_version at offset 60, application_id at 68.
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse(path, "it cannot be opened for reading");
  unsigned char header[100] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  const auto got = in.gcount();
  if (got < 16 || std::memcmp(header, "SQLite format 3", 16) != 0)
    refuse(path, "it is not a SQLite database (a case store is one SQLite file written by `flexrecon ingest`)");
  if (got < 100) refuse(path, "it is a SQLite file cut short (no complete header)");
  const std::uint32_t user_version = big_endian(header + 60);
  const std::uint32_t application_id = big_endian(header + 68);
  if (application_id == kCaseStoreApplicationId) {
    if (user_version != static_cast<std::uint32_t>(kCaseStoreSchemaVersion))
      throw Error::input(path + " is a flexrecon case store of schema " + std::to_string(user_version) +
                         "; this flexrecon (" FLEXRECON_VERSION ") reads schema " + std::to_string(kCaseStoreSchemaVersion) +
                         " (ingest the event logs again into a new store)");
    return true;
  }
  if (application_id == 0) {
    const std::string version = evidence_store_version(path);
    if (!version.empty())
      refuse(path, "it is an evidence pack's evidence.sqlite (evidence store schema " + version +
                       "), the output of `flexrecon reconcile`; a case store is written by `flexrecon ingest --store`");
    refuse(path, "it is a SQLite database of another application (no flexrecon application_id)");
  }
  char id[16];
  std::snprintf(id, sizeof id, "0x%08X", application_id);
  refuse(path, std::string("it is a SQLite database of another application (application_id ") + id + ")");
}

void create_case_store_schema(StoreDb& db) {
  // Large pages: a record blob (about 1 MiB) is read back through 16 overflow pages, not 256, which
  // is most of what reading a bucket from the store costs. Only settable before the first table.
  db.exec("PRAGMA page_size = 65536");
  db.exec("BEGIN IMMEDIATE");
  // The format and the schema in the header (pragmas), readable before any table is trusted, and in
  // `meta` for people reading the store with sqlite3.
  db.exec(("PRAGMA application_id = " + std::to_string(static_cast<std::int32_t>(kCaseStoreApplicationId)) +
           "; PRAGMA user_version = " + std::to_string(kCaseStoreSchemaVersion) + ";").c_str());
  db.exec(R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE channels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE units (
      id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT UNIQUE, size INTEGER NOT NULL,
      records INTEGER NOT NULL, files INTEGER NOT NULL, files_rejected INTEGER NOT NULL,
      events_rejected INTEGER NOT NULL, ingested_by TEXT NOT NULL, events_tz TEXT, max_member_bytes INTEGER NOT NULL);
    CREATE TABLE unit_sources (
      unit INTEGER NOT NULL REFERENCES units(id), seq INTEGER NOT NULL, name TEXT NOT NULL,
      format TEXT NOT NULL, sha256 TEXT, size INTEGER NOT NULL, error TEXT, PRIMARY KEY (unit, seq));
    CREATE TABLE unit_rejects (
      unit INTEGER NOT NULL REFERENCES units(id), seq INTEGER NOT NULL, source TEXT NOT NULL,
      location TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (unit, seq));
    CREATE TABLE unit_event_counts (
      unit INTEGER NOT NULL REFERENCES units(id), channel INTEGER NOT NULL REFERENCES channels(id),
      event_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (unit, channel, event_id));
    CREATE TABLE record_blobs (
      unit INTEGER NOT NULL REFERENCES units(id), bucket INTEGER NOT NULL, part INTEGER NOT NULL,
      records INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (unit, bucket, part));
    CREATE INDEX record_blobs_by_bucket ON record_blobs (bucket, unit, part);
    CREATE TABLE unit_copies (
      path TEXT NOT NULL, sha256 TEXT NOT NULL, ingested_by TEXT NOT NULL, PRIMARY KEY (path, sha256));
  )sql");
  auto meta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
  meta.bind(1, "format").bind(2, "flexrecon case store").run();
  meta.bind(1, "schema_version").bind(2, std::to_string(kCaseStoreSchemaVersion)).run();
  meta.bind(1, "created_by").bind(2, "flexrecon " FLEXRECON_VERSION).run();
  db.exec("COMMIT");
}

}  // namespace flexrecon
