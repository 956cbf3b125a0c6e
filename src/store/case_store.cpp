// A case store opened for reading: its names and units listed once, its record blobs fetched a
// bucket at a time while the run assembles hosts.
#include "flexrecon/case_store.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <unordered_map>

#include "flexrecon/error.h"
#include "store/copy_names.h"
#include "store/store_db.h"
#include "store/store_schema.h"

namespace flexrecon {

struct CaseStore::Impl {
  std::string path;
  std::unique_ptr<StoreDb> db;
  mutable std::mutex mutex;  // one connection, shared by the assembling threads
  std::vector<std::string> hosts;
  std::vector<std::string> channels;
  std::vector<StoredUnit> units;
  int schema = 0;
  std::string created_by;
};

namespace {

// Names by id; ids are dense from 0 (the ingest gives them so), which is checked: a damaged table
// must stop the run, not misname hosts.
std::vector<std::string> read_names(StoreDb& db, const char* sql, const char* what) {
  std::vector<std::string> names;
  auto q = db.prepare(sql);
  while (q.step()) {
    if (q.integer(0) != static_cast<std::int64_t>(names.size()))
      throw Error::input("case store " + db.path() + " is damaged: " + what + " ids are not 0, 1, 2...");
    names.push_back(q.text(1));
  }
  return names;
}

// The unit as reading the same bytes under `path` gives it: everything named by the path renamed.
StoredUnit copy_of_unit(const StoredUnit& stored, const std::string& path, std::int64_t id) {
  StoredUnit copy = stored;
  copy.id = id;
  copy.records_of = stored.id;
  copy.copy_of = stored.path;
  copy.path = path;
  for (SourceFile& s : copy.sources) {
    s.name = name_under(s.name, stored.path, path);
    rename_member_mentions(s.error, stored.path, path);
  }
  for (Reject& r : copy.rejects) {
    r.source = name_under(r.source, stored.path, path);
    rename_member_mentions(r.reason, stored.path, path);
  }
  return copy;
}

}  // namespace

CaseStore::CaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaseStore::~CaseStore() = default;

std::unique_ptr<CaseStore> CaseStore::open(const std::string& path) {
  check_case_store_file(path, false);
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->db = std::make_unique<StoreDb>(path, true);
  StoreDb& db = *impl->db;
  // One read transaction: units committed by an ingest running now are either all here or absent.
  db.exec("BEGIN");
  {
    auto meta = db.prepare("SELECT key, value FROM meta");
    while (meta.step()) {
      if (meta.text(0) == "schema_version") impl->schema = std::stoi(meta.text(1));
      if (meta.text(0) == "created_by") impl->created_by = meta.text(1);
    }
  }
  impl->hosts = read_names(db, "SELECT id, name FROM hosts ORDER BY id", "host");
  impl->channels = read_names(db, "SELECT id, name FROM channels ORDER BY id", "channel");
  std::unordered_map<std::int64_t, std::size_t> index;
  {
    auto q = db.prepare(
        "SELECT id, path, sha256, records, files, files_rejected, events_rejected, events_tz, max_member_bytes FROM units ORDER BY id");
    while (q.step()) {
      StoredUnit u;
      u.id = q.integer(0);
      u.records_of = u.id;
      u.path = q.text(1);
      u.sha256 = q.text(2);
      u.records = static_cast<std::uint64_t>(q.integer(3));
      u.files = static_cast<std::uint64_t>(q.integer(4));
      u.files_rejected = static_cast<std::uint64_t>(q.integer(5));
      u.events_rejected = static_cast<std::uint64_t>(q.integer(6));
      u.events_tz = q.text(7);  // NULL reads as ""
      u.max_member_bytes = static_cast<std::uint64_t>(q.integer(8));
      index[u.id] = impl->units.size();
      impl->units.push_back(std::move(u));
    }
  }
  const auto unit_of = [&](std::int64_t id) -> StoredUnit& {
    const auto it = index.find(id);
    if (it == index.end()) throw Error::input("case store " + path + " is damaged: rows of a unit " + std::to_string(id) + " it does not list");
    return impl->units[it->second];
  };
  {
    auto q = db.prepare("SELECT unit, name, format, sha256, size, error FROM unit_sources ORDER BY unit, seq");
    while (q.step()) {
      SourceFile s;
      s.name = q.text(1);
      s.kind = SourceKind::Events;
      s.format = q.text(2);
      s.sha256 = q.text(3);
      s.size = static_cast<std::uint64_t>(q.integer(4));
      s.error = q.text(5);
      unit_of(q.integer(0)).sources.push_back(std::move(s));
    }
  }
  {
    auto q = db.prepare("SELECT unit, source, location, reason FROM unit_rejects ORDER BY unit, seq");
    while (q.step()) unit_of(q.integer(0)).rejects.push_back({q.text(1), q.text(2), q.text(3)});
  }
  {
    auto q = db.prepare("SELECT unit, channel, event_id, count FROM unit_event_counts ORDER BY unit, channel, event_id");
    while (q.step()) {
      const auto channel = static_cast<std::size_t>(q.integer(1));
      if (channel >= impl->channels.size()) throw Error::input("case store " + path + " is damaged: a count names an unknown channel");
      unit_of(q.integer(0)).by_channel_and_id[{impl->channels[channel], static_cast<int>(q.integer(2))}] +=
          static_cast<std::uint64_t>(q.integer(3));
    }
  }
  {
    // The same bytes ingested under another path: a unit of its own in every run (ranked by its path,
    // its custody entries and rejects under its names), whose records are its stored twin's.
    std::unordered_map<std::string, std::size_t> by_hash;
    for (std::size_t i = 0; i < impl->units.size(); ++i)
      if (!impl->units[i].sha256.empty()) by_hash.emplace(impl->units[i].sha256, i);
    auto q = db.prepare("SELECT path, sha256 FROM unit_copies ORDER BY path, sha256");
    std::vector<StoredUnit> copies;
    while (q.step()) {
      const auto twin = by_hash.find(q.text(1));
      if (twin == by_hash.end())
        throw Error::input("case store " + path + " is damaged: " + q.text(0) + " is listed as a copy of content it does not hold");
      copies.push_back(copy_of_unit(impl->units[twin->second], q.text(0), -1 - static_cast<std::int64_t>(copies.size())));
    }
    std::move(copies.begin(), copies.end(), std::back_inserter(impl->units));
  }
  db.exec("COMMIT");
  return std::unique_ptr<CaseStore>(new CaseStore(std::move(impl)));
}

const std::string& CaseStore::path() const { return impl_->path; }
const std::vector<std::string>& CaseStore::host_names() const { return impl_->hosts; }
const std::vector<std::string>& CaseStore::channel_names() const { return impl_->channels; }
const std::vector<StoredUnit>& CaseStore::units() const { return impl_->units; }
int CaseStore::schema_version() const { return impl_->schema; }
const std::string& CaseStore::created_by() const { return impl_->created_by; }

std::vector<std::pair<std::int64_t, std::string>> CaseStore::blobs(std::uint32_t bucket) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<std::pair<std::int64_t, std::string>> out;
  auto q = impl_->db->prepare("SELECT unit, data FROM record_blobs WHERE bucket = ? ORDER BY unit, part");
  q.bind(1, static_cast<std::int64_t>(bucket));
  while (q.step()) out.emplace_back(q.integer(0), q.blob(1));
  return out;
}

}  // namespace flexrecon
