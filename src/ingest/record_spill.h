// The events of a run on their way from the readers to the per-host reconstruction, kept on disk so
// that memory does not grow with the events read. Every record with its header (duplicate detection
// needs them all) and its content fingerprint where it was taken (always in a case store; in a direct
// run only where copies can meet, possibly after the record, in a file of its own), and the events
// SPEC 1.2 uses with their read fields, go to one of kBuckets files by host; the reconstruction then
// reads one bucket at a time, so memory holds the largest bucket, not the run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flexrecon/error.h"
#include "flexrecon/event.h"
#include "flexrecon/host_event.h"
#include "ingest/event_fingerprint.h"

namespace flexrecon {

// One record as the spill gives it back: the header of every event, and the index of its whole
// Event in the bucket's event list when it is one the reconstruction uses.
struct SpilledRecord {
  static constexpr std::uint32_t kNoEvent = 0xFFFFFFFF;
  std::uint64_t seq = 0;      // input order over the whole run: the first copy of a duplicate wins
  std::uint32_t host = 0;     // index into the run's host names
  std::uint32_t channel = 0;  // index into the run's channel names (as written)
  Channel channel_kind = Channel::Other;
  bool ref_by_line = false;
  int event_id = 0;
  SourceId source = 0;
  std::uint64_t record_id = 0;
  std::uint64_t line = 0;
  Instant time = 0;
  Fingerprint fingerprint{};
  // False for a record read without its fingerprint (a direct run takes them only where copies can
  // meet: read_event_inputs); the spill then stores none, and a patch may give it later.
  bool fingerprinted = true;
  std::uint32_t event = kNoEvent;

  EvidenceRef ref() const { return ref_by_line ? EvidenceRef{source, line, true} : EvidenceRef{source, record_id, false}; }

  // The header both ways: what a record keeps of an event, and an Event holding only that header.
  static SpilledRecord header_of(const Event& e);
  Event header_event() const;
};

class RecordSpill {
 public:
  static constexpr std::uint32_t kBuckets = 256;

  // Creates a private folder under `parent` (TMPDIR, or /tmp, when empty); the destructor removes it.
  explicit RecordSpill(const std::string& parent);
  ~RecordSpill();
  RecordSpill(const RecordSpill&) = delete;
  RecordSpill& operator=(const RecordSpill&) = delete;

  // The bucket of a host: a stable hash of its normalised name (FNV-1a), never an id given in order
  // of appearance, so bucket b of every case store and of every run's spill holds the same hosts and
  // a run can assemble a bucket from all of them at once.
  static std::uint32_t bucket_of(std::string_view host);

  // One record in the spill encoding (docs/evidence-store.md, "The case store"): also the encoding
  // of a case store's record blobs, whose seq, host, channel and source are local to their unit.
  static void encode_record(std::string& out, std::uint64_t seq, std::uint32_t host, std::uint32_t channel,
                            const SpilledRecord& head, std::string_view content);
  // How records written elsewhere (a case store's unit) are renumbered into this run: seq and source
  // shifted by the unit's place in the run, host and channel mapped through the run's name tables.
  struct Renumbering {
    std::uint64_t seq_base = 0;
    SourceId source_base = 0;
    const std::vector<std::uint32_t>* hosts = nullptr;     // store host id -> run host id
    const std::vector<std::uint32_t>* channels = nullptr;  // store channel id -> run channel id
  };

  // The length of the record at the start of `bytes` (encode_record's layout), or 0 when `bytes`
  // ends before the record does, wherever that is: what lets a bucket be decoded through a window.
  // Throws Error::internal naming `what` for a number longer than any encode_record writes.
  static std::size_t record_size(std::string_view bytes, const std::string& what);
  // The content a used event keeps in the spill (provider, computer, the fields is_kept_field keeps:
  // the others are dropped here), encoded as add() stores it. Run on the reader's thread, so the
  // merging thread only copies bytes.
  static void encode_content(const Event& event, std::string& out);
  // One record: `head` says everything but seq, host and channel (the strings that identify host
  // and channel travel as indexes; the caller keeps their names). `content` is encode_content's
  // bytes for a used event (head.event != kNoEvent), empty otherwise.
  void add(std::uint64_t seq, std::uint32_t host, std::uint32_t bucket, std::uint32_t channel,
           const SpilledRecord& head, std::string_view content);
  // Flushes and closes the files; call once, before reading.
  void finish_writing();
  // Where a used record's content is: in this spill's bucket file (origin kSpillFile) or in one of
  // the caller's blobs (origin: its index), `size` bytes at `offset`.
  struct ContentRef {
    std::uint32_t origin;
    std::uint32_t size;
    std::uint64_t offset;
  };
  static constexpr std::uint32_t kSpillFile = 0xFFFFFFFF;
  // Every record of one bucket, in input order, appended to `records`: headers only, each used one
  // with `event` set to the index of its ContentRef in `contents`. The file is read through a small
  // window, once, whatever the number of hosts in the bucket.
  void decode_bucket_headers(std::uint32_t bucket, std::vector<SpilledRecord>& records,
                             std::vector<ContentRef>& contents) const;
  // The same for records in memory (a case store's blob) whose first byte is at `base` of `origin`.
  static void decode_headers(std::string_view bytes, std::uint64_t base, std::uint32_t origin, const std::string& what,
                             ErrorKind kind, const Renumbering* renumber, std::vector<SpilledRecord>& records,
                             std::vector<ContentRef>& contents);
  // A used record's event from its content bytes: the header from `r`, provider, computer, fields.
  static HostEvent decode_content(std::string_view content, const SpilledRecord& r, std::string_view channel_name,
                                  const std::string& what, ErrorKind kind);
  // The events of `wanted` (contents in this spill's bucket file, in increasing offset order): each
  // appended to `events`, its record's `event` set to its index there. Reads through a window.
  void decode_contents(std::uint32_t bucket, const std::vector<std::pair<ContentRef, SpilledRecord*>>& wanted,
                       const std::vector<std::string>& channel_names, std::vector<HostEvent>& events) const;
  std::string bucket_name(std::uint32_t bucket) const;  // for messages

  // Fingerprints taken after the records were spilled (read_event_inputs reads again the files whose
  // records may have copies), kept in a file per bucket beside the records: each the record's seq (a
  // varint), then the fingerprint. Not thread-safe: one caller at a time.
  void add_fingerprint(std::uint32_t bucket, std::uint64_t seq, const Fingerprint& fingerprint);
  // Every fingerprint added for `bucket`, sorted by seq.
  std::vector<std::pair<std::uint64_t, Fingerprint>> fingerprints(std::uint32_t bucket) const;

  std::uint64_t bytes_written() const { return bytes_written_; }
  // What the spill holds in memory: its write buffers, whatever the number of events.
  std::size_t memory_bytes() const;

 private:
  class FileWindow;
  struct Bucket {
    int fd = -1;
    std::string buffer;
    std::uint64_t size = 0;
  };
  void flush(std::uint32_t bucket);
  // Appends a bucket's buffer to its file at `path` (created on the first write), empties the buffer.
  void write_out(Bucket& b, const std::string& path);

  std::string folder_;
  std::vector<Bucket> buckets_;
  std::vector<Bucket> fingerprint_buckets_;  // add_fingerprint's files
  std::uint64_t bytes_written_ = 0;
  std::string scratch_;
};

}  // namespace flexrecon
