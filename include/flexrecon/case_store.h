// The case store: event inputs read once (`flexrecon ingest`) into one SQLite file, and reconciled
// from it as many times as needed (`flexrecon reconcile --store`), alone or with other stores and
// direct --events. A store is a persisted spill: per input unit, its custody entries, rejects, counts
// and its records in the spill encoding (docs/evidence-store.md, "The case store").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "flexrecon/event_store.h"

namespace flexrecon {

// `PRAGMA application_id` of every case store ("FXCS"), and the schema this flexrecon reads and writes.
constexpr std::uint32_t kCaseStoreApplicationId = 0x46584353;
constexpr int kCaseStoreSchemaVersion = 4;

// A store opened for reading. Its units are listed once, in one read transaction, so a run never
// sees half a unit, whatever an ingest running at the same time adds.
class CaseStore : public StoredUnits {
 public:
  // Throws Error::input, naming the path and what the file is, when it is not a case store this
  // flexrecon reads (missing, not a file, not SQLite, another application's database, a pack's
  // evidence.sqlite, a store of another schema). Never modifies the file.
  static std::unique_ptr<CaseStore> open(const std::string& path);
  ~CaseStore() override;

  const std::string& path() const override;
  const std::vector<std::string>& host_names() const override;
  const std::vector<std::string>& channel_names() const override;
  const std::vector<StoredUnit>& units() const override;
  std::vector<std::pair<std::int64_t, std::string>> blobs(std::uint32_t bucket) const override;

  int schema_version() const;
  const std::string& created_by() const;  // "flexrecon X.Y.Z"

 private:
  struct Impl;
  explicit CaseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct IngestOptions {
  EventReadOptions read;
  // Another ingest holds the store: called once, then the ingest waits for it to finish.
  std::function<void(const std::string& message)> on_wait;
  // Read again a stored unit that this ingest's reading options would read differently (`--replace`),
  // in place of the stored copy. A stored unit that gave no event at all is read again without it.
  bool replace = false;
  // A unit whose content (SHA-256) the store already holds, under `stored_as`: not read again.
  // `difference`: how it was read otherwise than this ingest would (reading_difference), else "".
  std::function<void(const std::string& path, const std::string& stored_as, const std::string& difference)> on_skip;
  // A unit whose content the store already holds under another path, `stored_as`: not read again,
  // but recorded as a copy under its own path, so a run reads its records again under that path, as a
  // direct run reading both files does (their records are then duplicates of each other).
  // `difference`: as for on_skip (the stored content was read otherwise; a copy repeats that reading).
  std::function<void(const std::string& path, const std::string& stored_as, const std::string& difference)> on_copy;
  // A stored unit read again with this ingest's options; its new copy replaced the one stored as
  // `stored_as`, in the same transaction.
  std::function<void(const std::string& path, const std::string& stored_as, const std::string& difference)> on_replace;
  // A unit that could not be read to its end (missing, unreadable, a FIFO): nothing to keep; a
  // later ingest tries it again. `reason` is its reject's.
  std::function<void(const std::string& path, const std::string& reason)> on_not_stored;
  // A unit stored under a path the store already held other content for (`earlier`: those contents'
  // SHA-256): both are kept, and runs read both, as if both files had been given.
  std::function<void(const std::string& path, const std::vector<std::string>& earlier)> on_changed;
};

struct IngestReport {
  std::uint64_t units_stored = 0;
  std::uint64_t units_replaced = 0;   // of units_stored: read again in place of a stored copy
  std::uint64_t units_skipped = 0;
  std::uint64_t units_copied = 0;     // recorded as copies of content stored under another path
  std::uint64_t units_not_stored = 0;
  std::uint64_t files = 0;            // event files stored (archive members one each)
  std::uint64_t events = 0;           // well-formed events stored
  std::uint64_t rejects = 0;          // rejects stored with their units (files and events)
};

// Reads every path into the store at `store_path`, creating it when missing: one transaction per
// unit (kill -9 leaves the store as before the unit being read), units whose SHA-256 the store holds
// skipped. Holds an exclusive lock on the store for the whole ingest: a second ingest waits.
// Throws Error::input when the file is not a case store (nothing modified).
IngestReport ingest_events(const std::string& store_path, const std::vector<std::string>& paths,
                           const IngestOptions& options);

// What `flexrecon inspect STORE` shows of one host's channel: its EventRecordIDs as stored.
struct StoredChannelCoverage {
  std::string host;
  std::string channel;          // as first written
  std::uint64_t records = 0;    // copies included
  std::uint64_t distinct = 0;   // distinct EventRecordIDs (0 excluded)
  std::uint64_t duplicates = 0;
  std::uint64_t conflicts = 0;  // copies that differ from the first
  std::uint64_t first_record = 0, last_record = 0;
  Instant first_time = 0, last_time = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> gaps;  // missing record ids, first..last inclusive
};
// Every host and channel of the store, by host then channel; reads the store a bucket at a time.
std::vector<StoredChannelCoverage> stored_coverage(const CaseStore& store);

}  // namespace flexrecon
