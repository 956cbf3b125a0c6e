// A host's cited events held as bytes once its timeline is built, read back one `Event` at a time.
//
// After the reconstruction, a host's events are only read again by the pack (the evidence store's
// rows, the dossier's exhibits), one at a time. As `Event`s they cost ~580 bytes each (the struct,
// its strings and field vector, allocator overhead) and, over months of logs, they were most of
// what a run held at its peak. Packed, an event costs its text plus a few bytes of lengths and
// numbers (~150 bytes on the estates), and a pack reader decodes only the event it is writing.
// A run goes one step further: each host's packed bytes are written to a temporary file as soon as
// the host is done (PackedEventFile), so memory keeps one offset per cited event, not the events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/event.h"
#include "flexrecon/host_event.h"

namespace flexrecon {

// Where a run's hosts put their packed events once their timelines are built: one temporary file,
// unlinked as soon as it is created, so that nothing is left behind however the run ends (even
// `kill -9`). Appends from several threads (hosts are rebuilt in parallel) and reads are safe.
class PackedEventFile {
 public:
  // Creates the file under `folder` (empty: $TMPDIR, else /tmp). Throws Error when it cannot.
  explicit PackedEventFile(const std::string& folder = "");
  ~PackedEventFile();
  PackedEventFile(const PackedEventFile&) = delete;
  PackedEventFile& operator=(const PackedEventFile&) = delete;

  // Writes `bytes` at the end of the file and returns where they start. Throws Error (disk full):
  // an event the pack cites must not be lost silently.
  std::uint64_t append(std::string_view bytes);
  // Reads `n` bytes at `at` into `out` (replacing its content).
  void read(std::uint64_t at, std::size_t n, std::string& out) const;
  // The same, for bytes inside the block [block, block + block_size) one host appended: the block
  // is read whole and kept, by the calling thread, until that thread asks for another (when up to
  // 4 MiB), so that the pack, which reads a host's events in a row, makes one read per host rather
  // than one per event, also when the evidence store and the dossier are written at once.
  void read_in_block(std::uint64_t block, std::size_t block_size, std::uint64_t at, std::size_t n, std::string& out) const;
  std::uint64_t size() const;
  const std::string& where() const { return folder_; }

 private:
  int fd_ = -1;
  std::string folder_;
  mutable std::mutex mutex_;
  std::uint64_t size_ = 0;
  std::uint64_t id_ = 0;  // tells this file's blocks from another's in the per-thread block cache
};

class PackedEvents {
 public:
  // Appends `e`; at(size() - 1) returns an Event equal to it in every member. Not once moved to a file.
  void add(const Event& e);
  // The same for a host's event: the bytes add(e.to_event(host)) would append.
  void add(const HostEvent& e, std::string_view host);
  std::size_t size() const { return offsets_.size(); }
  bool empty() const { return offsets_.empty(); }
  Event at(std::size_t i) const;
  // The same, decoded into `into` (every member overwritten), whose strings keep their room: what a
  // pack writer reading thousands of events in a row calls, with one Event it reuses.
  void at(std::size_t i, Event& into) const;
  // Moves the packed bytes to `file` (appended in one write) and frees them: from then on, at()
  // reads each event back from the file. The file is shared by every host of a run.
  void move_to(const std::shared_ptr<PackedEventFile>& file);
  bool on_file() const { return file_ != nullptr; }
  // The bytes held in memory (packed events unless moved to a file, and their offsets, capacity
  // included): what the tests bound.
  std::size_t memory_bytes() const;
  void shrink_to_fit();

 private:
  std::string bytes_;
  std::vector<std::size_t> offsets_;  // where each event starts in bytes_ (in the file: from base_)
  std::size_t total_ = 0;             // the packed size, also once moved to the file
  std::shared_ptr<PackedEventFile> file_;
  std::uint64_t base_ = 0;  // where bytes_ went in file_
};

}  // namespace flexrecon
