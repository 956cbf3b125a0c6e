// Everything read from the event inputs, grouped by host: the events the reconstruction needs, and a
// compact mark of every Security record (for coverage).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flexrecon/error.h"
#include "flexrecon/event.h"
#include "flexrecon/host_event.h"
#include "flexrecon/packed_events.h"
#include "flexrecon/source.h"

namespace flexrecon {

// Every Security record of a host, relevant or not, reduced to what coverage needs.
struct SecurityMark {
  std::uint64_t record_id = 0;
  Instant time = 0;
  SourceId source = 0;
  int event_id = 0;        // what the record was: tells a filtered export (few ids, gaps everywhere)
  std::uint64_t line = 0;  // SIEM exports: the line cited for this record (0: cite the record id)
  EvidenceRef ref() const { return line ? EvidenceRef{source, line, true} : EvidenceRef{source, record_id, false}; }
};

struct HostEvents {
  std::string host;
  // Events of the kinds SPEC 1.2 lists as used, deduplicated, sorted by (time, channel, record_id).
  std::vector<HostEvent> events;
  // One per distinct Security EventRecordID, sorted by record_id.
  std::vector<SecurityMark> security;
  // A reconcile run's host, once its timeline is built: the cited events, packed (pack_events), in
  // the order `events` had; `events` is then empty. The pack reads a host's events from either.
  PackedEvents packed;
};

// Moves `host.events` into `host.packed`, in order: what a run holds of a host after its timeline.
// With `file`, the packed bytes go on to it and memory keeps one offset per event.
void pack_events(HostEvents& host, const std::shared_ptr<PackedEventFile>& file = nullptr);

// Two copies of one (host, channel, EventRecordID) that differ: the first in input order is kept.
struct DuplicateConflict {
  std::string host;
  std::string channel;
  std::uint64_t record_id = 0;
  EvidenceRef kept;
  EvidenceRef dropped;
};

struct EventCounts {
  std::uint64_t read = 0;        // every well-formed event parsed, each copy included
  std::uint64_t rejected = 0;    // malformed events
  std::uint64_t duplicates = 0;  // copies dropped (identical or conflicting)
  std::uint64_t relevant = 0;    // kept in HostEvents::events
  std::uint64_t files = 0;       // event input files read (archive members count one each)
  std::uint64_t files_rejected = 0;
  // (channel name, event id) -> count, over all events read.
  std::map<std::pair<std::string, int>, std::uint64_t> by_channel_and_id;
};

struct EventStore {
  std::map<std::string, HostEvents> hosts;  // by normalised host
  std::vector<DuplicateConflict> conflicts;
  EventCounts counts;
};

// True for the (channel, provider, id) combinations of SPEC 1.2 "Events used".
bool is_relevant_event(const Event& e);

// The event inputs found by walking the paths, before any is read: what a progress display counts to.
struct EventInputPlan {
  std::uint64_t files = 0;  // input files on disk (an archive counts one, whatever it holds)
  std::uint64_t bytes = 0;  // their sizes from stat: an archive counts its compressed size
};

struct EventReadOptions {
  std::uint64_t max_event_bytes = 4u << 20;            // an event larger than this is rejected
  int max_depth = 64;                                  // deeper nesting is rejected
  std::uint64_t max_expansion_ratio = 1000;            // archive member expansion bound
  std::uint64_t max_member_bytes = 64ull << 30;        // absolute cap on one decompressed member
  int max_archive_nesting = 4;
  int jobs = 1;                                        // files parsed in parallel (--jobs)
  std::string events_tz;                               // --events-tz: zone of SIEM times written without one (NXLog EventTime)
  // Progress, for a display (all optional; the library writes nothing to a terminal). on_plan: once,
  // after the walk, before any file is read. on_bytes_read: bytes read from disk as reading goes
  // (about every MiB, and at the end of each file); with --jobs it is called from the reading
  // threads, so it must be thread-safe. on_progress: each input file of the plan once it is done,
  // in plan order, with the bytes read from disk (an archive: its compressed bytes).
  std::function<void(const EventInputPlan& plan)> on_plan;
  std::function<void(std::uint64_t bytes)> on_bytes_read;
  std::function<void(const std::string& file, std::uint64_t bytes)> on_progress;
  // False: records go without their content fingerprints, and the fields of events SPEC 1.2 does
  // not use, which only the fingerprint reads, are left unread (XML exports; Event::fields empty).
  // read_event_inputs sets it for a direct run's first reading and takes the fingerprints where
  // copies can meet afterwards (docs/scale.md, "Fingerprints where copies meet").
  bool content_fingerprints = true;
  // Where the events wait on disk for their host's turn (a private folder is made and removed
  // there); empty: $TMPDIR, else /tmp. Needs about a tenth of the XML read (docs/scale.md).
  std::string spill_dir;
};

class EventStoreBuilder;

// A unit (a top-level event input file, an archive with all its members) read earlier into a case
// store (`flexrecon ingest`, src/store): what reading it gave, replayed in its place in the run's
// order instead of reading the file again (docs/evidence-store.md, "The case store").
struct StoredUnit {
  std::int64_t id = 0;         // in its store (negative: a copy, below)
  // The unit whose record blobs hold its records: `id` itself, or for a copy (the same bytes ingested
  // under another path, `unit_copies`) the stored unit it repeats.
  std::int64_t records_of = 0;
  std::string copy_of;         // a copy: the path its content is stored under; else ""
  std::string path;            // as the walk yielded it at ingest: ranks it among the run's units
  std::string sha256;          // of its bytes: orders two units of one path with different content
  std::uint64_t records = 0;   // well-formed events it holds, each copy included
  std::vector<SourceFile> sources;  // its custody entries in reading order: the file, then members
  Rejects rejects;
  std::uint64_t files = 0;
  std::uint64_t files_rejected = 0;
  std::uint64_t events_rejected = 0;
  std::map<std::pair<std::string, int>, std::uint64_t> by_channel_and_id;
  // The reading options it was read with (an ingest's --events-tz, its archive member cap).
  std::string events_tz;
  std::uint64_t max_member_bytes = 0;
};

// A case store as a run reads it: its units and, a bucket at a time, their records.
class StoredUnits {
 public:
  virtual ~StoredUnits() = default;
  virtual const std::string& path() const = 0;
  virtual const std::vector<std::string>& host_names() const = 0;     // by the store's host id
  virtual const std::vector<std::string>& channel_names() const = 0;  // by the store's channel id
  virtual const std::vector<StoredUnit>& units() const = 0;
  // Every record blob of host bucket `bucket` (RecordSpill::bucket_of), with its unit's id, in unit
  // and part order; ids in them are the store's. Called from several assembling threads at once.
  virtual std::vector<std::pair<std::int64_t, std::string>> blobs(std::uint32_t bucket) const = 0;
};

// Everything read from the event inputs, waiting on disk for its host's turn: memory holds host and
// channel names, counts and write buffers, never a key per event (docs/scale.md).
class IngestedEvents {
 public:
  explicit IngestedEvents(const std::string& spill_dir = "");
  ~IngestedEvents();
  IngestedEvents(IngestedEvents&&) noexcept;
  IngestedEvents& operator=(IngestedEvents&&) noexcept;

  // Hands each host's deduplicated lists to `visit`, one bucket of hosts at a time: from up to `jobs`
  // threads, one call per host, calls for different hosts possibly at once. The first copy of a
  // (host, channel, EventRecordID) in input order is kept. Completes counts() and conflicts(). Once.
  void for_each_host(int jobs, const std::function<void(HostEvents&&)>& visit);
  // read, rejected, files and per-kind counts once read; duplicates and relevant after for_each_host.
  const EventCounts& counts() const;
  const std::vector<DuplicateConflict>& conflicts() const;  // input order of the dropped copy
  std::size_t hosts() const;                                // hosts met so far
  // What the ingest holds in memory (the bound the tests check) and what it wrote to disk.
  std::size_t memory_bytes() const;
  std::uint64_t spill_bytes() const;

  EventStoreBuilder& builder() { return *builder_; }

 private:
  std::unique_ptr<EventStoreBuilder> builder_;
};

// Reads every path (file, directory walked recursively, or archive) into `store`. Sources are
// registered in `sources`; malformed events and unreadable files go to `rejects` and the run goes
// on. Never throws for bad content.
void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, IngestedEvents& events, Rejects& rejects);
// The same, with units kept in case stores beside the paths: every unit, read or stored, takes its
// place in one canonical order (by path, component by component; one path in two stores with
// different content by SHA-256), so the run is the same whatever the split of the files.
void read_event_inputs(const std::vector<std::string>& paths, const std::vector<const StoredUnits*>& stores,
                       const EventReadOptions& options, SourceTable& sources, IngestedEvents& events,
                       Rejects& rejects);
// The same, with every host's lists assembled in memory: for small inputs (inspect, tests). A run
// over an archive uses IngestedEvents and keeps per host only what its timeline cites.
void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, EventStore& store, Rejects& rejects);

// Lower level: one stream of bytes, already opened (a plain file or an archive member), format
// detected from content. `deliver` receives each well-formed event; malformed ones go to `rejects`.
// Returns the detected format name ("wevtutil-xml", "root-xml", "eventviewer-xml",
// "powershell-xml", "evtx") or "" when the content is not a recognised event format.
struct ByteSource {
  virtual ~ByteSource() = default;
  // Reads up to n bytes into buf; returns the count, 0 at end. Throws on I/O error.
  virtual std::size_t read(char* buf, std::size_t n) = 0;
};
std::string read_event_stream(ByteSource& in, const std::string& source_name, SourceId source,
                              const EventReadOptions& options,
                              const std::function<void(Event&&)>& deliver, Rejects& rejects);

}  // namespace flexrecon
