// `flexrecon ingest`: event inputs read into a case store, a unit per transaction, under an
// exclusive lock on the store for the whole ingest.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "flexrecon/case_store.h"
#include "flexrecon/error.h"
#include "ingest/input_units.h"
#include "ingest/record_spill.h"
#include "store/store_db.h"
#include "store/store_schema.h"
#include "store/unit_reading.h"
#include "util/sha256.h"

namespace flexrecon {

namespace {

// A bucket's records are written as parts of about this size, inside the unit's transaction, so an
// archive holding a whole estate never sits in memory.
constexpr std::size_t kPartBytes = 1u << 20;

// The process holding a flock on the file (from /proc/locks), for the waiting message; 0 if unknown.
long lock_holder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  std::ifstream locks("/proc/locks");
  const std::string inode = ":" + std::to_string(st.st_ino);
  std::string line;
  while (std::getline(locks, line)) {
    if (line.find("FLOCK") == std::string::npos) continue;
    // "1: FLOCK  ADVISORY  WRITE 4242 08:01:131 0 EOF": the pid, then major:minor:inode.
    char kind[16], advisory[16], mode[16], device[64];
    long pid = 0;
    if (std::sscanf(line.c_str(), "%*s %15s %15s %15s %ld %63s", kind, advisory, mode, &pid, device) == 5) {
      const std::string dev(device);
      if (dev.size() > inode.size() && dev.compare(dev.size() - inode.size(), inode.size(), inode) == 0) return pid;
    }
  }
  return 0;
}

// The exclusive lock of an ingest: on the store file itself (flock, never a second file), held until
// the process ends or the ingest returns. A second ingest waits for it and says so.
class IngestLock {
 public:
  IngestLock(const std::string& path, const std::function<void(const std::string&)>& on_wait) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error::input("case store " + path + ": cannot open for writing: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (errno != EWOULDBLOCK) fail(path);
    const long pid = lock_holder(fd_);
    if (on_wait)
      on_wait("waiting for another ingest into " + path + (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()));
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) fail(path);
  }
  ~IngestLock() { ::close(fd_); }
  IngestLock(const IngestLock&) = delete;
  IngestLock& operator=(const IngestLock&) = delete;

 private:
  [[noreturn]] void fail(const std::string& path) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw Error::input("case store " + path + ": cannot lock: " + why);
  }
  int fd_ = -1;
};

// Test hook: after this many records stored by this ingest, the process kills itself (SIGKILL) in
// the middle of a unit's transaction, so the tests can check what an interrupted ingest leaves.
std::uint64_t kill_after_records() {
  const char* v = std::getenv("FLEXRECON_TEST_KILL_INGEST_AFTER_RECORDS");
  return v && *v ? std::strtoull(v, nullptr, 10) : 0;
}

// Units read go into the store, each in its own transaction; units whose content is there are skipped,
// unless this ingest would read them differently and may replace them (IngestOptions::replace).
class StoreIngest : public UnitSink {
 public:
  StoreIngest(StoreDb& db, const std::vector<InputUnit>& units, const IngestOptions& options, IngestReport& report)
      : db_(db),
        options_(options),
        report_(report),
        now_{options.read.events_tz, options.read.max_member_bytes},
        hashes_(units.size()),
        differences_(units.size()),
        replacing_(units.size(), -1),
        kill_after_(kill_after_records()) {
    load_names("SELECT id, name FROM hosts", host_ids_, hosts_);
    load_names("SELECT id, name FROM channels", channel_ids_, channels_);
    std::unordered_map<std::int64_t, Stored*> by_id;
    auto q = db_.prepare("SELECT sha256, path, id, records, events_tz, max_member_bytes FROM units WHERE sha256 IS NOT NULL");
    while (q.step()) {
      Stored& s = stored_[q.text(0)];
      s.path = q.text(1);
      s.id = q.integer(2);
      s.records = static_cast<std::uint64_t>(q.integer(3));
      s.reading = {q.text(4), static_cast<std::uint64_t>(q.integer(5))};
      by_id[s.id] = &s;
    }
    auto u = db_.prepare("SELECT path FROM units WHERE sha256 IS NULL");
    while (u.step()) unreadable_.insert(u.text(0));
    for (const auto& [sha, s] : stored_) contents_[s.path].insert(sha);
    auto c = db_.prepare("SELECT path, sha256 FROM unit_copies");
    while (c.step()) contents_[c.text(0)].insert(c.text(1));
    auto f = db_.prepare("SELECT unit, format FROM unit_sources ORDER BY unit, seq");
    while (f.step()) {
      const auto it = by_id.find(f.integer(0));
      if (it == by_id.end()) continue;
      SourceFile source;
      source.format = f.text(1);
      it->second->sources.push_back(std::move(source));
    }
  }

  // On a reading thread: the unit's SHA-256 first (a streaming pass), and no reading at all when the
  // store has it, read as this ingest would read it. stored_ is not changed while reading runs;
  // units of this ingest are checked in begin().
  bool wanted(std::size_t index, const InputUnit& unit) override {
    if (!unit.refusal.empty()) return true;  // read, so its reject is reported; nothing is stored
    try {
      hashes_[index] = sha256_file(unit.path);
    } catch (const std::exception&) {
      return true;  // the reader reports why
    }
    const auto it = stored_.find(hashes_[index]);
    if (it == stored_.end()) return true;
    differences_[index] = reading_difference(it->second.reading, now_, it->second.sources, "this ingest reads");
    if (differences_[index].empty()) return false;
    // A copy that gave no event (a file rejected whole, say for want of --events-tz) loses nothing.
    if (!options_.replace && it->second.records > 0) return false;
    replacing_[index] = it->second.id;
    return true;
  }

  void skipped(std::size_t index, const InputUnit& unit) override {
    already_held(unit, hashes_[index], stored_.at(hashes_[index]).path, differences_[index]);
  }

  SourceId begin(std::size_t index, const InputUnit& unit) override {
    storing_ = false;
    const std::string& sha = hashes_[index];
    if (sha.empty() || added_.count(sha)) return 0;  // decided in complete()
    storing_ = true;
    db_.exec("BEGIN IMMEDIATE");
    // The copy read otherwise goes in the transaction that stores the new one: a kill leaves either.
    if (replacing_[index] >= 0) {
      remove_unit(replacing_[index]);
      // Read again under this path: the path it was stored under becomes a copy of it (and this path,
      // if it was one, the unit itself).
      const std::string& old_path = stored_.at(sha).path;
      if (old_path != unit.path) {
        insert_copy(old_path, sha);
        auto q = db_.prepare("DELETE FROM unit_copies WHERE path = ? AND sha256 = ?");
        q.bind(1, unit.path).bind(2, sha).run();
      }
    }
    remove_unreadable(unit.path);
    unit_ = next_unit_id();
    records_ = 0;
    parts_.clear();
    counts_.clear();
    return 0;  // source ids stay local to the unit: a run shifts them to the unit's place
  }

  void events(const PreparedBatch& batch, SourceId) override {
    if (!storing_) return;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const PreparedBatch::Record& r = batch.record(i);
      const std::string_view host = r.text(batch.bytes(), r.host_at, r.host_size);
      const std::uint32_t host_id = id_of(host, host_ids_, hosts_, new_hosts_);
      const std::uint32_t channel = id_of(r.text(batch.bytes(), r.channel_at, r.channel_size), channel_ids_, channels_, new_channels_);
      ++counts_[{channel, r.head.event_id}];
      const std::uint32_t bucket = RecordSpill::bucket_of(host);
      Part& part = parts_[bucket];
      RecordSpill::encode_record(part.bytes, records_++, host_id, channel, r.head, r.text(batch.bytes(), r.content_at, r.content_size));
      ++part.records;
      if (part.bytes.size() >= kPartBytes) write_part(bucket, part);
      if (kill_after_ && ++killed_count_ >= kill_after_) {
        for (auto& [b, p] : parts_) write_part(b, p);
        std::raise(SIGKILL);
      }
    }
  }

  void complete(std::size_t index, const InputUnit& unit, UnitResult&& result) override {
    const std::string& sha = hashes_[index];
    if (!storing_) {
      if (!sha.empty()) {  // the same content twice in this ingest: the first copy is stored
        already_held(unit, sha, added_.at(sha), "");
        return;
      }
      record_unreadable(unit, result);
      ++report_.units_not_stored;
      std::string why;
      for (const Reject& r : result.rejects)
        if (r.source == unit.path && r.location == "file") why += (why.empty() ? "" : "; ") + r.reason;
      if (options_.on_not_stored) options_.on_not_stored(unit.path, why.empty() ? "could not be read" : why);
      return;
    }
    for (auto& [bucket, part] : parts_) write_part(bucket, part);
    write_names("INSERT INTO hosts (id, name) VALUES (?, ?)", new_hosts_, hosts_);
    write_names("INSERT INTO channels (id, name) VALUES (?, ?)", new_channels_, channels_);
    write_unit(unit, sha, result);
    db_.exec("COMMIT");
    storing_ = false;
    added_.emplace(sha, unit.path);
    ++report_.units_stored;
    std::set<std::string>& held = contents_[unit.path];
    if (replacing_[index] < 0 && !held.empty() && !held.count(sha) && options_.on_changed)
      options_.on_changed(unit.path, std::vector<std::string>(held.begin(), held.end()));
    held.insert(sha);
    if (replacing_[index] >= 0) {
      ++report_.units_replaced;
      if (options_.on_replace) options_.on_replace(unit.path, stored_.at(sha).path, differences_[index]);
    }
    report_.files += result.files;
    report_.events += records_;
    report_.rejects += result.rejects.size();
  }

  // An ingest stopped by an error: the unit being stored is rolled back.
  void abandon() {
    if (storing_) db_.exec("ROLLBACK");
    storing_ = false;
  }

 private:
  struct Part {
    std::string bytes;
    std::uint64_t records = 0;
    std::int64_t number = 0;
  };
  using NameIds = std::unordered_map<std::string, std::uint32_t>;

  void load_names(const char* sql, NameIds& ids, std::vector<std::string>& names) {
    auto q = db_.prepare(sql);
    while (q.step()) {
      const auto id = static_cast<std::uint32_t>(q.integer(0));
      if (id >= names.size()) names.resize(id + 1);
      names[id] = q.text(1);
      ids.emplace(names[id], id);
    }
  }

  static std::uint32_t id_of(std::string_view name, NameIds& ids, std::vector<std::string>& names,
                             std::vector<std::uint32_t>& added) {
    const auto it = ids.find(std::string(name));
    if (it != ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names.size());
    names.emplace_back(name);
    ids.emplace(names.back(), id);
    added.push_back(id);
    return id;
  }

  void write_names(const char* sql, std::vector<std::uint32_t>& added, const std::vector<std::string>& names) {
    auto q = db_.prepare(sql);
    for (const std::uint32_t id : added) q.bind(1, static_cast<std::int64_t>(id)).bind(2, names[id]).run();
    added.clear();
  }

  void write_part(std::uint32_t bucket, Part& part) {
    if (part.bytes.empty()) return;
    auto q = db_.prepare("INSERT INTO record_blobs (unit, bucket, part, records, data) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, unit_).bind(2, static_cast<std::int64_t>(bucket)).bind(3, part.number++);
    q.bind(4, static_cast<std::int64_t>(part.records)).bind_blob(5, part.bytes).run();
    part.bytes.clear();
    part.records = 0;
  }

  // Every row of the unit but its record blobs, under id unit_, in the open transaction: the custody
  // entries, rejects and counts a run replays as reading it would give. `sha` empty: a path that
  // could not be read, stored with sha256 NULL.
  void write_unit(const InputUnit& unit, const std::string& sha, const UnitResult& result) {
    std::uint64_t size = 0;
    for (const SourceFile& s : result.sources)
      if (s.name == unit.path) size = s.size;
    auto u = db_.prepare(
        "INSERT INTO units (id, path, sha256, size, records, files, files_rejected, events_rejected, ingested_by, "
        "events_tz, max_member_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    u.bind(1, unit_).bind(2, unit.path).bind(4, static_cast<std::int64_t>(size));
    if (sha.empty()) u.bind_null(3); else u.bind(3, sha);
    u.bind(5, static_cast<std::int64_t>(records_)).bind(6, static_cast<std::int64_t>(result.files));
    u.bind(7, static_cast<std::int64_t>(result.files_rejected)).bind(8, static_cast<std::int64_t>(result.events_rejected));
    u.bind(9, "flexrecon " FLEXRECON_VERSION);
    if (now_.events_tz.empty()) u.bind_null(10); else u.bind(10, now_.events_tz);
    u.bind(11, static_cast<std::int64_t>(now_.max_member_bytes)).run();
    auto s = db_.prepare("INSERT INTO unit_sources (unit, seq, name, format, sha256, size, error) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < result.sources.size(); ++i) {
      const SourceFile& f = result.sources[i];
      s.bind(1, unit_).bind(2, static_cast<std::int64_t>(i)).bind(3, f.name).bind(4, f.format);
      if (f.sha256.empty()) s.bind_null(5); else s.bind(5, f.sha256);
      s.bind(6, static_cast<std::int64_t>(f.size));
      if (f.error.empty()) s.bind_null(7); else s.bind(7, f.error);
      s.run();
    }
    auto rj = db_.prepare("INSERT INTO unit_rejects (unit, seq, source, location, reason) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < result.rejects.size(); ++i) {
      const Reject& r = result.rejects[i];
      rj.bind(1, unit_).bind(2, static_cast<std::int64_t>(i)).bind(3, r.source).bind(4, r.location).bind(5, r.reason).run();
    }
    auto c = db_.prepare("INSERT INTO unit_event_counts (unit, channel, event_id, count) VALUES (?, ?, ?, ?)");
    for (const auto& [kind, n] : counts_)
      c.bind(1, unit_).bind(2, static_cast<std::int64_t>(kind.first)).bind(3, static_cast<std::int64_t>(kind.second))
          .bind(4, static_cast<std::int64_t>(n)).run();
  }

  // A unit not read because the store holds its bytes (`sha`) as `stored_as`: no longer unreadable,
  // and under another path recorded as a copy (its own transaction) unless that path holds them
  // already; else skipped. `difference`: how the stored bytes were read otherwise, or "".
  void already_held(const InputUnit& unit, const std::string& sha, const std::string& stored_as, const std::string& difference) {
    forget_unreadable(unit.path);
    if (!contents_[unit.path].count(sha)) {
      db_.exec("BEGIN IMMEDIATE");
      insert_copy(unit.path, sha);
      db_.exec("COMMIT");
      ++report_.units_copied;
      if (options_.on_copy) options_.on_copy(unit.path, stored_as, difference);
      return;
    }
    ++report_.units_skipped;
    if (options_.on_skip) options_.on_skip(unit.path, stored_as, difference);
  }

  // In the open transaction.
  void insert_copy(const std::string& path, const std::string& sha) {
    auto q = db_.prepare("INSERT OR IGNORE INTO unit_copies (path, sha256, ingested_by) VALUES (?, ?, ?)");
    q.bind(1, path).bind(2, sha).bind(3, "flexrecon " FLEXRECON_VERSION).run();
    contents_[path].insert(sha);
  }

  // A path that could not be read (missing, a FIFO, unreadable) is not stored, and a later ingest
  // tries it again; but the store says it was given, as a direct run's pack does (rejects.csv, the
  // manifest's custody list), so a run from the store lists it too. One record per path: the latest.
  void record_unreadable(const InputUnit& unit, const UnitResult& result) {
    db_.exec("BEGIN IMMEDIATE");
    remove_unreadable(unit.path);
    unit_ = next_unit_id();
    records_ = 0;
    counts_.clear();
    write_unit(unit, "", result);
    db_.exec("COMMIT");
    unreadable_.insert(unit.path);
  }

  // The same for a path that now reads, but whose content the store holds already under another
  // name (skipped): it is no longer unreadable.
  void forget_unreadable(const std::string& path) {
    if (!unreadable_.count(path)) return;
    db_.exec("BEGIN IMMEDIATE");
    remove_unreadable(path);
    db_.exec("COMMIT");
  }

  // The record of `path` as unreadable, once it is read (or recorded again), in the open transaction.
  void remove_unreadable(const std::string& path) {
    if (unreadable_.erase(path) == 0) return;
    auto q = db_.prepare("SELECT id FROM units WHERE sha256 IS NULL AND path = ?");
    q.bind(1, path);
    std::vector<std::int64_t> ids;
    while (q.step()) ids.push_back(q.integer(0));
    for (const std::int64_t id : ids) remove_unit(id);
  }

  // Every row of a stored unit. Its host and channel names stay: ids other units may share.
  void remove_unit(std::int64_t id) {
    for (const char* sql : {"DELETE FROM record_blobs WHERE unit = ?", "DELETE FROM unit_sources WHERE unit = ?",
                            "DELETE FROM unit_rejects WHERE unit = ?", "DELETE FROM unit_event_counts WHERE unit = ?",
                            "DELETE FROM units WHERE id = ?"}) {
      auto q = db_.prepare(sql);
      q.bind(1, id).run();
    }
  }

  std::int64_t next_unit_id() {
    auto q = db_.prepare("SELECT COALESCE(MAX(id), -1) + 1 FROM units");
    return q.step() ? q.integer(0) : 0;
  }

  StoreDb& db_;
  const IngestOptions& options_;
  IngestReport& report_;
  // A unit as the store held it when the ingest began.
  struct Stored {
    std::string path;
    std::int64_t id = 0;
    std::uint64_t records = 0;
    UnitReading reading;
    std::vector<SourceFile> sources;  // formats only: what reading_difference looks at
  };
  const UnitReading now_;
  // By unit index, set by wanted() (each on its reading thread).
  std::vector<std::string> hashes_;
  std::vector<std::string> differences_;  // how its stored copy was read otherwise, or ""
  std::vector<std::int64_t> replacing_;   // the stored copy's id it replaces, or -1
  std::unordered_map<std::string, Stored> stored_;  // by sha256, as the store was opened
  std::set<std::string> unreadable_;                // paths recorded as unreadable (sha256 NULL)
  // Path -> the SHA-256 of every content held under it, as a unit or a copy (unit_copies).
  std::map<std::string, std::set<std::string>> contents_;
  std::unordered_map<std::string, std::string> added_;   // the same, for units this ingest stored
  NameIds host_ids_, channel_ids_;
  std::vector<std::string> hosts_, channels_;
  std::vector<std::uint32_t> new_hosts_, new_channels_;  // named by the unit being stored
  bool storing_ = false;
  std::int64_t unit_ = 0;
  std::uint64_t records_ = 0;
  std::map<std::uint32_t, Part> parts_;
  std::map<std::pair<std::uint32_t, int>, std::uint64_t> counts_;
  std::uint64_t kill_after_ = 0;
  std::uint64_t killed_count_ = 0;
};

}  // namespace

IngestReport ingest_events(const std::string& store_path, const std::vector<std::string>& paths,
                           const IngestOptions& options) {
  // Refused before anything is created or locked: a foreign file is never touched.
  check_case_store_file(store_path, true);
  IngestLock lock(store_path, options.on_wait);
  // Under the lock: another ingest may have created the store while this one waited.
  const bool exists = check_case_store_file(store_path, true);
  StoreDb db(store_path, false);
  if (!exists) create_case_store_schema(db);
  // WAL while ingesting: a commit per unit costs no fsync of the whole file, readers (reconcile) see
  // committed units while the ingest goes on, and kill -9 loses only the unit being written. Back to
  // a rollback journal at the end, so the store at rest is one file any reader opens.
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  IngestReport report;
  const std::vector<InputUnit> units = walk_event_inputs(paths);
  StoreIngest sink(db, units, options, report);
  try {
    read_units(units, options.read, sink);
  } catch (...) {
    sink.abandon();
    throw;
  }
  db.exec("PRAGMA journal_mode = DELETE");
  return report;
}

}  // namespace flexrecon
