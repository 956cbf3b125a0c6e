// Folds events, in input order, into what the reconstruction reads. While the inputs are read, each
// event is counted and spilled to disk (RecordSpill); afterwards, one bucket of hosts at a time,
// copies of one record are told apart and each host's lists are built. Memory holds names, counts
// and write buffers while reading, and one bucket while assembling: never a key per event.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flexrecon/event_store.h"
#include "ingest/event_fingerprint.h"
#include "ingest/record_spill.h"

namespace flexrecon {

// Events ready for the store, prepared on the thread that parsed them (so fingerprints and encoding
// run in parallel under --jobs): each reduced to its spill record (header, and the fingerprint taken
// over the whole content unless the caller defers it) and, when it is of the kinds SPEC 1.2 uses
// (is_relevant_event), its read fields (is_kept_field) already encoded for the spill. No Event crosses to the merging thread: only
// these records and one byte buffer, reused from batch to batch.
class PreparedBatch {
 public:
  // Leaves `event` as it was: a reader reuses its Event, and the strings in it, for the next one.
  // `fingerprint` false: the record goes without its fingerprint (SpilledRecord::fingerprinted).
  void add(const Event& event, Fingerprinter& fingerprinter, bool fingerprint = true);
  std::size_t size() const { return records_.size(); }
  // Time to hand the batch on: enough records to make the handoff cheap per event, or enough bytes
  // (a few large used events) that holding more would cost memory for nothing. Batches keep their
  // capacity from file to file, so this bound is what each of them weighs while reading.
  bool full() const { return records_.size() >= 1024 || bytes_.size() >= (1u << 20); }
  bool empty() const { return records_.empty(); }
  // Keeps the capacity: a reader's batches cost no allocation once warm.
  void clear() {
    records_.clear();
    bytes_.clear();
  }

  struct Record {
    SpilledRecord head;  // seq, host and channel are given when merged
    std::size_t host_at = 0, host_size = 0;        // in bytes_: the normalised host name
    std::size_t channel_at = 0, channel_size = 0;  // the channel name as written
    std::size_t content_at = 0, content_size = 0;  // RecordSpill::encode_content, used events only
    std::string_view text(const std::string& bytes, std::size_t at, std::size_t n) const {
      return std::string_view(bytes).substr(at, n);
    }
  };
  // What a sink stores: record i, and the bytes its offsets point into.
  const Record& record(std::size_t i) const { return records_[i]; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::size_t put(std::string_view s);
  std::vector<Record> records_;
  std::string bytes_;
};
class EventStoreBuilder {
 public:
  // Spills under `spill_parent` (TMPDIR, or /tmp, when empty).
  explicit EventStoreBuilder(const std::string& spill_parent = "");
  // Convenience for small inputs and tests: finish() assembles every host into `store`.
  explicit EventStoreBuilder(EventStore& store);
  ~EventStoreBuilder();

  // Counts a batch's records and spills them, in order; their source ids are local to their unit
  // and get `source_base` added. Events without an EventRecordID (0) cannot be told apart from
  // copies, so they are never treated as duplicates, and they leave no SecurityMark (coverage
  // reasons from record ids).
  void add(const PreparedBatch& batch, SourceId source_base);
  void add(Event&& event) {
    single_.clear();
    single_.add(event, fingerprinter_);
    add(single_, 0);
  }
  // Records spilled without their fingerprints (PreparedBatch::add): the (host, channel) pairs whose
  // EventRecordIDs did not only rise, in input order, are the only places copies of one record can
  // meet. Each such pair's records need their fingerprints; these are the units (by the source id
  // their batches were added with) that gave it records, to be read again for them.
  std::vector<SourceId> units_to_fingerprint() const;
  // The id ranges kept per host and channel: past it the pair counts as overlapping.
  static constexpr std::size_t kMaxWatchedRanges = 256;
  // Whether a record of this host and channel (as an event names them) needs its fingerprint.
  // Read-only once units_to_fingerprint() has been called: then callable from several threads.
  bool needs_fingerprint(std::string_view host, std::string_view channel) const;
  // A fingerprint taken after the record was spilled, for the record `seq` of a host in `bucket`
  // (RecordSpill::bucket_of its name). One caller at a time.
  void add_fingerprint(std::uint32_t bucket, std::uint64_t seq, const Fingerprint& fingerprint) {
    spill_->add_fingerprint(bucket, seq, fingerprint);
  }
  // The seq the next record added gets.
  std::uint64_t next_seq() const { return seq_; }
  // A case store's unit, in its place in input order: its records are read from the store when their
  // bucket is assembled (never spilled again), its seq and source ids shifted to this place; its
  // read count and per-kind counts are added here (files and rejects are the caller's, as for a unit
  // read). `store` must outlive assemble().
  void add_stored(const StoredUnits& store, const StoredUnit& unit, SourceId source_base);
  EventCounts& counts() { return counts_; }
  const EventCounts& counts() const { return counts_; }

  // Builds each host's lists and hands them to `visit`: from up to `jobs` threads, one call per
  // host, calls for different hosts possibly at once. A (host, channel, EventRecordID) seen more than
  // once keeps its first copy in input order; later copies count as duplicates, and as conflicts when
  // their content differs. Completes counts().duplicates and .relevant and conflicts(). Call once.
  void assemble(int jobs, const std::function<void(HostEvents&&)>& visit);
  const std::vector<DuplicateConflict>& conflicts() const { return conflicts_; }
  std::size_t hosts() const { return host_names_.size(); }

  // For the EventStore constructor: assemble() into the store, with counts and conflicts.
  void finish();

  // What the builder holds in memory while reading: bounded by hosts, channels and event kinds.
  std::size_t memory_bytes() const;
  const RecordSpill& spill() const { return *spill_; }

 private:
  // Looks names up by string_view without building a std::string first.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct BucketResult;
  void assemble_bucket(std::uint32_t bucket, BucketResult& out, const std::function<void(HostEvents&&)>& visit) const;
  // One host's records (not empty) and its used events, decoded: deduplicated, the host visited.
  void assemble_host(std::vector<SpilledRecord>& records, std::vector<HostEvent>& events, BucketResult& out,
                     const std::function<void(HostEvents&&)>& visit) const;
  // The records of one stored unit's blobs as the run reads them: where each unit reading them sits
  // in the run (the unit itself and any copy of it: StoredUnit::records_of), the records they must
  // give together (the store lists its units when opened and its blobs are read later: an ingest
  // --replace in between removes some), and the path named when they do not.
  struct StoredRecords {
    std::vector<RecordSpill::Renumbering> readers;
    std::uint64_t expected = 0;
    std::string path;
  };
  // A store the run reads units from: its names mapped to the run's ids, and its units' records by
  // the id of the unit whose blobs hold them.
  struct StoreInRun {
    const StoredUnits* store = nullptr;
    std::vector<std::uint32_t> hosts;
    std::vector<std::uint32_t> channels;
    std::unordered_map<std::int64_t, StoredRecords> units;
  };
  std::vector<StoreInRun> stores_;
  // Throws when the stores' blobs gave other record counts than their units, as listed, hold.
  void refuse_changed_stores(const std::vector<BucketResult>& results) const;
  std::uint32_t host_id(std::string_view host);
  std::uint32_t channel_id(std::string_view channel);
  std::uint64_t& count_of(std::uint32_t channel, int event_id);

  // What EventRecordIDs a (host, channel key) pair's unfingerprinted records have shown so far: the
  // id ranges of the units read (whole units' lowest to highest, merged where they touch), and the
  // unit being read. Copies can meet only where two units' ranges intersect or a unit's own ids do
  // not rise; then the pair `overlaps`. Ranges, not ids: a layout of files that are not in id order
  // (daily exports named by weekday) does not count as overlapping, and memory stays with the pair.
  struct IdWatch {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // disjoint, ascending, inclusive
    SourceId unit = 0;       // the unit whose records come now (`units.back()`)
    std::uint64_t lowest = 0, highest = 0, last = 0;
    bool rising = true;      // every id of the unit above the one before it
    bool overlaps = false;
    std::vector<SourceId> units;  // that gave the pair records, in input order
  };
  void watch(std::uint32_t host, std::uint32_t channel, std::uint64_t record_id, SourceId unit);
  // Adds the unit being read to the pair's ranges (when its next unit begins, or reading ends).
  static void close_unit(IdWatch& w);
  static std::uint64_t watch_key(std::uint32_t host, std::uint32_t channel_key) {
    return static_cast<std::uint64_t>(host) << 32 | channel_key;
  }
  // Lookup only, never iterated into output (units_to_fingerprint() sorts). Mutable: the units
  // still open are closed when the result is first asked for.
  mutable std::unordered_map<std::uint64_t, IdWatch> id_watches_;
  mutable bool watches_closed_ = false;
  std::uint64_t last_watch_key_ = ~std::uint64_t{0};
  IdWatch* last_watch_ = nullptr;

  EventStore* target_ = nullptr;
  std::unique_ptr<RecordSpill> spill_;
  Fingerprinter fingerprinter_;
  PreparedBatch single_;  // for add(Event&&)
  EventCounts counts_;
  std::vector<DuplicateConflict> conflicts_;
  std::uint64_t seq_ = 0;
  // Names travel through the spill as indexes. Lookup only, never iterated into output: unordered is
  // safe for determinism here (indexes are given in first-seen order).
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> host_ids_;
  std::vector<std::string> host_names_;
  std::vector<std::uint32_t> host_buckets_;  // host id -> RecordSpill::bucket_of(its name)
  // What each host has in the run's spill, so its records and events are decoded into lists of
  // exactly their size (grown by doubling they held up to twice that at the rebuild's peak).
  struct Spilled {
    std::uint64_t records = 0;
    std::uint64_t events = 0;
  };
  std::vector<Spilled> host_spilled_;
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> channel_ids_;  // as written
  std::vector<std::string> channel_names_;
  std::vector<std::uint32_t> channel_keys_;                     // channel id -> id of its lower-cased name
  std::unordered_map<std::string, std::uint32_t> channel_key_ids_;
  std::unordered_map<std::uint64_t, std::uint64_t*> count_cache_;  // (channel, event id) -> counts_ entry
  std::uint32_t last_host_ = 0;
  std::uint32_t last_channel_ = 0;
};

}  // namespace flexrecon
