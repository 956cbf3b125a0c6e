#include "ingest/record_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "flexrecon/error.h"
#include "util/varint.h"

namespace flexrecon {

namespace {

constexpr std::size_t kFlushBytes = 32 * 1024;

std::string system_error(const std::string& what, const std::string& path) {
  return "cannot " + what + " the event spill " + path + ": " + std::strerror(errno) +
         " (the spill holds every event read until its host is rebuilt: point --spill-dir or TMPDIR at a disk with room)";
}

std::string bucket_path(const std::string& folder, std::uint32_t bucket) {
  return folder + "/bucket-" + std::to_string(bucket);
}

std::string fingerprints_path(const std::string& folder, std::uint32_t bucket) {
  return folder + "/fingerprints-" + std::to_string(bucket);
}

// A record's first byte: bit 0 its content follows, bit 1 referenced by line, bit 7 no fingerprint
// follows (SpilledRecord::fingerprinted), bits 2-6 the channel kind.
constexpr unsigned char kNoFingerprint = 0x80;

}  // namespace

RecordSpill::RecordSpill(const std::string& parent) : buckets_(kBuckets), fingerprint_buckets_(kBuckets) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  std::string templ = base + "/flexrecon-spill-XXXXXX";
  if (!::mkdtemp(templ.data())) throw Error::internal(system_error("create a folder for", templ));
  folder_ = templ;
}

SpilledRecord SpilledRecord::header_of(const Event& e) {
  SpilledRecord r;
  r.channel_kind = e.channel;
  r.ref_by_line = e.ref_by_line;
  r.event_id = e.event_id;
  r.source = e.source;
  r.record_id = e.record_id;
  r.line = e.line;
  r.time = e.time;
  return r;
}

Event SpilledRecord::header_event() const {
  Event e;
  e.channel = channel_kind;
  e.ref_by_line = ref_by_line;
  e.event_id = event_id;
  e.source = source;
  e.record_id = record_id;
  e.line = line;
  e.time = time;
  return e;
}

RecordSpill::~RecordSpill() {
  for (Bucket& b : buckets_)
    if (b.fd >= 0) ::close(b.fd);
  for (Bucket& b : fingerprint_buckets_)
    if (b.fd >= 0) ::close(b.fd);
  std::error_code ec;
  std::filesystem::remove_all(folder_, ec);
}

void RecordSpill::encode_content(const Event& event, std::string& out) {
  put_text(out, event.provider);
  put_text(out, event.computer);
  // The count goes before the fields but is known after them: one byte is kept for it (fewer than
  // 128 fields, nearly always) and widened in place in the rare other case.
  const std::size_t count_at = out.size();
  out.push_back('\0');
  std::uint64_t kept = 0;
  const bool described_by_first_fields = is_described_by_first_fields(event);
  for (std::size_t i = 0; i < event.fields.size(); ++i) {
    if (!is_kept_field(event, i, described_by_first_fields)) continue;
    put_text(out, event.fields[i].name);
    put_text(out, event.fields[i].value);
    ++kept;
  }
  std::string count;
  put_varint(count, kept);
  out.replace(count_at, 1, count);
}

std::uint32_t RecordSpill::bucket_of(std::string_view host) {
  std::uint32_t h = 2166136261u;
  for (const char c : host) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h % kBuckets;
}

void RecordSpill::add(std::uint64_t seq, std::uint32_t host, std::uint32_t bucket, std::uint32_t channel,
                      const SpilledRecord& head, std::string_view content) {
  std::string& out = buckets_[bucket].buffer;
  encode_record(out, seq, host, channel, head, content);
  if (out.size() >= kFlushBytes) flush(bucket);
}

void RecordSpill::encode_record(std::string& out, std::uint64_t seq, std::uint32_t host, std::uint32_t channel,
                                const SpilledRecord& head, std::string_view content) {
  const bool used = head.event != SpilledRecord::kNoEvent;
  out.push_back(static_cast<char>((used ? 1 : 0) | (head.ref_by_line ? 2 : 0) | static_cast<int>(head.channel_kind) << 2 |
                                  (head.fingerprinted ? 0 : kNoFingerprint)));
  put_varint(out, seq);
  put_varint(out, host);
  put_varint(out, channel);
  put_signed(out, head.event_id);
  put_varint(out, head.source);
  put_varint(out, head.record_id);
  put_varint(out, head.line);
  put_signed(out, head.time);
  if (head.fingerprinted) out.append(reinterpret_cast<const char*>(head.fingerprint.data()), head.fingerprint.size());
  if (used) out.append(content);
}

void RecordSpill::write_out(Bucket& b, const std::string& path) {
  if (b.buffer.empty()) return;
  if (b.fd < 0) {
    b.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (b.fd < 0) throw Error::internal(system_error("create", path));
  }
  const char* p = b.buffer.data();
  std::size_t left = b.buffer.size();
  while (left > 0) {
    const ssize_t n = ::write(b.fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error::internal(system_error("write", path));
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  b.size += b.buffer.size();
  bytes_written_ += b.buffer.size();
  b.buffer.clear();
}

void RecordSpill::flush(std::uint32_t bucket) { write_out(buckets_[bucket], bucket_path(folder_, bucket)); }

void RecordSpill::add_fingerprint(std::uint32_t bucket, std::uint64_t seq, const Fingerprint& fingerprint) {
  Bucket& b = fingerprint_buckets_[bucket];
  put_varint(b.buffer, seq);
  b.buffer.append(reinterpret_cast<const char*>(fingerprint.data()), fingerprint.size());
  if (b.buffer.size() >= kFlushBytes) write_out(b, fingerprints_path(folder_, bucket));
}

void RecordSpill::finish_writing() {
  for (std::uint32_t b = 0; b < kBuckets; ++b) {
    flush(b);
    if (buckets_[b].fd >= 0) {
      ::close(buckets_[b].fd);
      buckets_[b].fd = -1;
    }
    std::string().swap(buckets_[b].buffer);
    Bucket& f = fingerprint_buckets_[b];
    write_out(f, fingerprints_path(folder_, b));
    if (f.fd >= 0) {
      ::close(f.fd);
      f.fd = -1;
    }
    std::string().swap(f.buffer);
  }
}

std::string RecordSpill::bucket_name(std::uint32_t bucket) const { return "the event spill " + bucket_path(folder_, bucket); }

std::size_t RecordSpill::record_size(std::string_view bytes, const std::string& what) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  bool cut = false;
  const auto varint = [&]() -> std::uint64_t {
    if (cut) return 0;  // past the window already: what follows is not a number of this record
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p == end) {
        cut = true;
        return 0;
      }
      const auto b = static_cast<unsigned char>(*p++);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    throw Error::internal(what + " is damaged (a number is too long)");
  };
  const auto skip = [&](std::uint64_t n) {
    if (cut || n > static_cast<std::uint64_t>(end - p)) {
      cut = true;
      return;
    }
    p += n;
  };
  if (p == end) return 0;
  const auto flags = static_cast<unsigned char>(*p++);
  for (int i = 0; i < 8 && !cut; ++i) varint();  // seq, host, channel, event id, source, record id, line, time
  if (!(flags & kNoFingerprint)) skip(Fingerprint{}.size());
  if (flags & 1) {
    skip(varint());  // provider
    skip(varint());  // computer
    const std::uint64_t fields = varint();
    for (std::uint64_t i = 0; i < 2 * fields && !cut; ++i) skip(varint());
  }
  return cut ? 0 : static_cast<std::size_t>(p - bytes.data());
}

namespace {

// A store's ids are checked against its name tables: a damaged blob must stop the run, not index
// past a vector.
std::uint32_t mapped(const std::vector<std::uint32_t>* map, std::uint64_t id, const std::string& what, ErrorKind kind) {
  if (!map) return static_cast<std::uint32_t>(id);
  if (id >= map->size()) throw Error(kind, what + " is damaged (a record names an unknown host or channel)");
  return (*map)[id];
}

// One record's header, renumbered into the run; returns its flags (bit 0: its content follows).
unsigned char read_header(VarintReader& in, const RecordSpill::Renumbering* renumber, const std::string& what,
                          ErrorKind kind, SpilledRecord& r) {
  const auto flags = static_cast<unsigned char>(in.byte());
  r.ref_by_line = flags & 2;
  r.fingerprinted = !(flags & kNoFingerprint);
  r.channel_kind = static_cast<Channel>(std::min((flags & ~kNoFingerprint) >> 2, static_cast<int>(Channel::Other)));
  r.seq = in.varint() + (renumber ? renumber->seq_base : 0);
  r.host = mapped(renumber ? renumber->hosts : nullptr, in.varint(), what, kind);
  r.channel = mapped(renumber ? renumber->channels : nullptr, in.varint(), what, kind);
  r.event_id = static_cast<int>(in.signed_varint());
  r.source = static_cast<SourceId>(in.varint() + (renumber ? renumber->source_base : 0));
  r.record_id = in.varint();
  r.line = in.varint();
  r.time = in.signed_varint();
  if (r.fingerprinted) in.bytes(r.fingerprint.data(), r.fingerprint.size());
  return flags;
}

void skip_content(VarintReader& in) {
  in.skip_text();
  in.skip_text();
  for (std::uint64_t i = 0, n = in.varint(); i < 2 * n; ++i) in.skip_text();
}

// The content's texts are views into it until set_texts() copies them into the event's one buffer;
// the list of views is the thread's, kept from event to event.
HostEvent read_content(VarintReader& in, const SpilledRecord& r, std::string_view channel_name) {
  thread_local std::vector<std::string_view> texts;
  texts.clear();
  texts.push_back(channel_name);
  texts.push_back(in.text_view());  // provider
  texts.push_back(in.text_view());  // computer
  const std::uint64_t n = in.varint();
  for (std::uint64_t i = 0; i < n; ++i) {  // each text read is checked against the content's end
    texts.push_back(in.text_view());
    texts.push_back(in.text_view());
  }
  HostEvent e;
  copy_event_header(e, r.header_event());  // an Event of empty strings: nothing allocated
  e.set_texts(texts);
  return e;
}

constexpr std::size_t kWindow = 256 * 1024;

}  // namespace

// A bucket file read forward through a window of kWindow bytes (more only for a larger record).
class RecordSpill::FileWindow {
 public:
  FileWindow(const RecordSpill& spill, std::uint32_t bucket)
      : FileWindow(bucket_path(spill.folder_, bucket), spill.bucket_name(bucket), spill.buckets_[bucket].size) {}
  // Any file of the spill: `size` bytes at `path`, named `what` in messages.
  FileWindow(std::string path, std::string what, std::uint64_t size)
      : path_(std::move(path)), what_(std::move(what)), size_(size) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error::internal(system_error("open", path_));
  }
  ~FileWindow() { ::close(fd_); }
  FileWindow(const FileWindow&) = delete;
  FileWindow& operator=(const FileWindow&) = delete;

  const std::string& what() const { return what_; }
  std::uint64_t size() const { return size_; }
  // The bytes held from `from` (a file offset at or past the window's start) to the window's end,
  // after reading on when fewer than `want` are held; empty only at the end of the file.
  std::string_view from(std::uint64_t from, std::size_t want) {
    if (from < start_) throw std::logic_error("spill window read backwards");
    if (from + want > start_ + bytes_.size() && start_ + bytes_.size() < size_) refill(from, want);
    const std::uint64_t skip = from - start_;
    return skip >= bytes_.size() ? std::string_view() : std::string_view(bytes_).substr(static_cast<std::size_t>(skip));
  }

 private:
  void refill(std::uint64_t from, std::size_t want) {
    // What is held from `from` on is kept; the rest of the window is read after it.
    const std::uint64_t held_end = start_ + bytes_.size();
    if (from < held_end) {
      bytes_.erase(0, static_cast<std::size_t>(from - start_));
    } else {
      bytes_.clear();
    }
    start_ = from;
    std::uint64_t at = std::max(from, held_end);
    const std::size_t target = std::max(kWindow, want);
    while (bytes_.size() < target && at < size_) {
      const std::size_t have = bytes_.size();
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(target - have, size_ - at));
      bytes_.resize(have + n);
      ssize_t got = 0;
      do got = ::pread(fd_, bytes_.data() + have, n, static_cast<off_t>(at));
      while (got < 0 && errno == EINTR);
      if (got <= 0) throw Error::internal(got == 0 ? what_ + " is shorter than written" : system_error("read", path_));
      bytes_.resize(have + static_cast<std::size_t>(got));
      at += static_cast<std::uint64_t>(got);
    }
  }

  std::string path_;
  std::string what_;
  std::uint64_t size_;
  int fd_ = -1;
  std::string bytes_;
  std::uint64_t start_ = 0;  // file offset of bytes_[0]
};

void RecordSpill::decode_bucket_headers(std::uint32_t bucket, std::vector<SpilledRecord>& records,
                                        std::vector<ContentRef>& contents) const {
  if (buckets_[bucket].size == 0) return;
  // A window of the file, not the file: a year of one host's records is megabytes, and they would
  // sit beside everything decoded from them (the peak of the rebuild, docs/scale.md).
  FileWindow file(*this, bucket);
  std::uint64_t at = 0;
  std::size_t want = 1;
  while (at < file.size()) {
    const std::string_view held = file.from(at, want);
    const std::size_t n = record_size(held, file.what());
    if (n == 0) {
      if (at + held.size() >= file.size()) throw Error::internal(file.what() + " is damaged (a record is cut short)");
      want = 2 * std::max(held.size(), want);  // a record longer than what is held: hold more
      continue;
    }
    decode_headers(held.substr(0, n), at, kSpillFile, file.what(), ErrorKind::Internal, nullptr, records, contents);
    at += n;
    want = 1;
  }
}

void RecordSpill::decode_headers(std::string_view bytes, std::uint64_t base, std::uint32_t origin, const std::string& what,
                                 ErrorKind kind, const Renumbering* renumber, std::vector<SpilledRecord>& records,
                                 std::vector<ContentRef>& contents) {
  VarintReader in(bytes, what, kind);
  while (!in.done()) {
    SpilledRecord r;
    if (read_header(in, renumber, what, kind, r) & 1) {
      const std::size_t start = bytes.size() - in.left();
      skip_content(in);
      const std::size_t size = bytes.size() - in.left() - start;
      if (size > 0xFFFFFFFFu) throw Error(kind, what + " is damaged (an event larger than 4 GiB)");
      r.event = static_cast<std::uint32_t>(contents.size());
      contents.push_back({origin, static_cast<std::uint32_t>(size), base + start});
    }
    records.push_back(r);
  }
}

HostEvent RecordSpill::decode_content(std::string_view content, const SpilledRecord& r, std::string_view channel_name,
                                     const std::string& what, ErrorKind kind) {
  VarintReader in(content, what, kind);
  HostEvent e = read_content(in, r, channel_name);
  if (!in.done()) throw Error(kind, what + " is damaged (an event's content is longer than its fields)");
  return e;
}

void RecordSpill::decode_contents(std::uint32_t bucket, const std::vector<std::pair<ContentRef, SpilledRecord*>>& wanted,
                                  const std::vector<std::string>& channel_names, std::vector<HostEvent>& events) const {
  if (wanted.empty()) return;
  FileWindow file(*this, bucket);
  for (const auto& [ref, record] : wanted) {
    const std::string_view held = file.from(ref.offset, ref.size);
    if (held.size() < ref.size) throw Error::internal(file.what() + " is damaged (a record is cut short)");
    record->event = static_cast<std::uint32_t>(events.size());
    events.push_back(decode_content(held.substr(0, ref.size), *record, channel_names.at(record->channel), file.what(),
                                    ErrorKind::Internal));
  }
}

std::vector<std::pair<std::uint64_t, Fingerprint>> RecordSpill::fingerprints(std::uint32_t bucket) const {
  const Bucket& b = fingerprint_buckets_[bucket];
  const std::string path = fingerprints_path(folder_, bucket);
  const std::string what = "the event spill " + path;
  std::string bytes;
  if (b.size > 0) bytes = FileWindow(path, what, b.size).from(0, static_cast<std::size_t>(b.size));
  bytes += b.buffer;
  std::vector<std::pair<std::uint64_t, Fingerprint>> out;
  VarintReader in(bytes, what, ErrorKind::Internal);
  while (!in.done()) {
    auto& [seq, fingerprint] = out.emplace_back();
    seq = in.varint();
    in.bytes(fingerprint.data(), fingerprint.size());
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

std::size_t RecordSpill::memory_bytes() const {
  std::size_t n = sizeof(*this) + buckets_.capacity() * sizeof(Bucket);
  for (const Bucket& b : buckets_) n += b.buffer.capacity();
  for (const Bucket& b : fingerprint_buckets_) n += b.buffer.capacity();
  return n;
}

}  // namespace flexrecon
