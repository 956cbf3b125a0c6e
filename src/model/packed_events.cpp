#include "flexrecon/packed_events.h"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"
#include "util/varint.h"

namespace flexrecon {

namespace {

std::string file_error(const std::string& what, const std::string& folder) {
  return "cannot " + what + " the cited events' temporary file in " + folder + ": " + std::strerror(errno) +
         " (it holds the events the pack cites until the pack is written: point --spill-dir or TMPDIR at a disk with room)";
}

// The block a thread last read whole. One per thread: the evidence store and the dossier are
// written at once, each reading its own hosts' events in a row; a block shared by both threads
// would be read again at every switch between them.
struct BlockCache {
  std::uint64_t file = 0;  // PackedEventFile::id_ (0: nothing cached)
  std::uint64_t block = 0;
  std::string bytes;
};
thread_local BlockCache t_block_cache;
std::atomic<std::uint64_t> g_next_file_id{1};

}  // namespace

PackedEventFile::PackedEventFile(const std::string& folder) : folder_(folder), id_(g_next_file_id++) {
  if (folder_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    folder_ = tmp && *tmp ? tmp : "/tmp";
  }
  std::string path = folder_ + "/flexrecon-cited-XXXXXX";
  fd_ = ::mkstemp(path.data());
  if (fd_ < 0) throw Error::internal(file_error("create", folder_));
  // Unlinked at once: the open descriptor keeps it, and nothing is left behind however the run ends.
  ::unlink(path.c_str());
}

PackedEventFile::~PackedEventFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t PackedEventFile::append(std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t at = size_;
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error::internal(file_error("write", folder_));
    done += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
  return at;
}

void PackedEventFile::read(std::uint64_t at, std::size_t n, std::string& out) const {
  out.resize(n);
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd_, out.data() + done, n - done, static_cast<off_t>(at + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error::internal(file_error("read", folder_));
    if (got == 0) throw Error::internal("the cited events' temporary file in " + folder_ + " is cut short");
    done += static_cast<std::size_t>(got);
  }
}


void PackedEventFile::read_in_block(std::uint64_t block, std::size_t block_size, std::uint64_t at, std::size_t n,
                                    std::string& out) const {
  constexpr std::size_t kMaxCached = 4u << 20;  // a host with more cited bytes is read event by event
  if (at < block || at - block > block_size || n > block_size - (at - block))
    throw Error::internal("packed event: outside its host's block");
  if (block_size > kMaxCached) return read(at, n, out);
  BlockCache& cache = t_block_cache;
  if (cache.file != id_ || cache.block != block || cache.bytes.size() != block_size) {
    cache.file = 0;  // until the read succeeds
    read(block, block_size, cache.bytes);
    cache.file = id_;
    cache.block = block;
  }
  out.assign(cache.bytes, static_cast<std::size_t>(at - block), n);
}

std::uint64_t PackedEventFile::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

void PackedEvents::add(const Event& e) { add(HostEvent(e), e.host); }

void PackedEvents::add(const HostEvent& e, std::string_view host) {
  if (file_) throw Error::internal("packed events: added to after being moved to a file");
  offsets_.push_back(bytes_.size());
  bytes_.push_back(static_cast<char>((e.ref_by_line ? 1 : 0) | static_cast<int>(e.channel) << 1));
  put_varint(bytes_, e.source);
  put_varint(bytes_, e.line);
  put_text(bytes_, e.channel_name());
  put_text(bytes_, e.provider());
  put_text(bytes_, e.computer());
  put_text(bytes_, host);
  put_signed(bytes_, e.event_id);
  put_varint(bytes_, e.record_id);
  put_signed(bytes_, e.time);
  const std::size_t n = e.field_count();
  put_varint(bytes_, n);
  for (std::size_t i = 0; i < n; ++i) {
    put_text(bytes_, e.field_name(i));
    put_text(bytes_, e.field_value(i));
  }
  total_ = bytes_.size();
}

Event PackedEvents::at(std::size_t i) const {
  Event e;
  at(i, e);
  return e;
}

void PackedEvents::at(std::size_t i, Event& e) const {
  const std::size_t begin = offsets_.at(i);
  // The event's bytes read from the file, in a buffer each thread reuses from event to event.
  thread_local std::string from_file;
  std::string_view bytes = bytes_;
  std::size_t at = begin;
  if (file_) {
    // Only this event's bytes: the pack reads one event at a time.
    const std::size_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : total_;
    file_->read_in_block(base_, total_, base_ + begin, end - begin, from_file);
    bytes = from_file;
    at = 0;
  }
  VarintReader in(bytes.substr(at), "a packed cited event", ErrorKind::Internal);
  const auto flags = static_cast<unsigned char>(in.byte());
  e.ref_by_line = flags & 1;
  e.channel = static_cast<Channel>(flags >> 1);
  e.source = static_cast<SourceId>(in.varint());
  e.line = in.varint();
  // assign(), not a new string: a reused event keeps its strings' room.
  e.channel_name.assign(in.text_view());
  e.provider.assign(in.text_view());
  e.computer.assign(in.text_view());
  e.host.assign(in.text_view());
  e.event_id = static_cast<int>(in.signed_varint());
  e.record_id = in.varint();
  e.time = in.signed_varint();
  const std::uint64_t n = in.varint();
  if (n > bytes.size()) throw Error::internal("a packed cited event is damaged (a record is cut short)");
  e.fields.resize(n);
  for (EventField& f : e.fields) {
    f.name.assign(in.text_view());
    f.value.assign(in.text_view());
  }
}

void PackedEvents::move_to(const std::shared_ptr<PackedEventFile>& file) {
  if (file_) throw Error::internal("packed events: moved to a file twice");
  base_ = file->append(bytes_);
  file_ = file;
  std::string().swap(bytes_);
  offsets_.shrink_to_fit();
}

std::size_t PackedEvents::memory_bytes() const {
  // Once on the file, bytes_ is an empty string: its capacity is the struct's own (small-string) space.
  return sizeof(*this) + (file_ ? 0 : bytes_.capacity()) + offsets_.capacity() * sizeof(std::size_t);
}

void PackedEvents::shrink_to_fit() {
  bytes_.shrink_to_fit();
  offsets_.shrink_to_fit();
}

void pack_events(HostEvents& host, const std::shared_ptr<PackedEventFile>& file) {
  for (const HostEvent& e : host.events) host.packed.add(e, host.host);
  host.events.clear();
  host.events.shrink_to_fit();
  if (file)
    host.packed.move_to(file);
  else
    host.packed.shrink_to_fit();
}

}  // namespace flexrecon
