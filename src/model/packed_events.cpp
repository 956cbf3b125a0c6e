#include "flexrecon/packed_events.h"

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Zig-zag, so that small negative numbers (times before 1970, odd event ids) stay short.
void put_signed(std::string& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void put_text(std::string& out, const std::string& s) {
  put_varint(out, s.size());
  out.append(s);
}

// Reads what put_* wrote. The bytes were written by add() in this process: running off the end is
// a bug, not bad input.
class Reader {
 public:
  Reader(const std::string& bytes, std::size_t at) : bytes_(bytes), at_(at) {}
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(next());
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::string text() {
    const std::uint64_t n = varint();
    if (n > bytes_.size() - at_) throw Error::internal("packed event: text past the end");
    std::string s = bytes_.substr(at_, n);
    at_ += n;
    return s;
  }
  char next() {
    if (at_ >= bytes_.size()) throw Error::internal("packed event: read past the end");
    return bytes_[at_++];
  }

 private:
  const std::string& bytes_;
  std::size_t at_;
};

}  // namespace

void PackedEvents::add(const Event& e) {
  offsets_.push_back(bytes_.size());
  bytes_.push_back(static_cast<char>((e.ref_by_line ? 1 : 0) | static_cast<int>(e.channel) << 1));
  put_varint(bytes_, e.source);
  put_varint(bytes_, e.line);
  put_text(bytes_, e.channel_name);
  put_text(bytes_, e.provider);
  put_text(bytes_, e.computer);
  put_text(bytes_, e.host);
  put_signed(bytes_, e.event_id);
  put_varint(bytes_, e.record_id);
  put_signed(bytes_, e.time);
  put_varint(bytes_, e.fields.size());
  for (const EventField& f : e.fields) {
    put_text(bytes_, f.name);
    put_text(bytes_, f.value);
  }
}

Event PackedEvents::at(std::size_t i) const {
  Reader in(bytes_, offsets_.at(i));
  Event e;
  const auto flags = static_cast<unsigned char>(in.next());
  e.ref_by_line = flags & 1;
  e.channel = static_cast<Channel>(flags >> 1);
  e.source = static_cast<SourceId>(in.varint());
  e.line = in.varint();
  e.channel_name = in.text();
  e.provider = in.text();
  e.computer = in.text();
  e.host = in.text();
  e.event_id = static_cast<int>(in.signed_varint());
  e.record_id = in.varint();
  e.time = in.signed_varint();
  const std::uint64_t n = in.varint();
  e.fields.resize(n);
  for (EventField& f : e.fields) {
    f.name = in.text();
    f.value = in.text();
  }
  return e;
}

std::size_t PackedEvents::memory_bytes() const {
  return sizeof(*this) + bytes_.capacity() + offsets_.capacity() * sizeof(std::size_t);
}

void PackedEvents::shrink_to_fit() {
  bytes_.shrink_to_fit();
  offsets_.shrink_to_fit();
}

void pack_events(HostEvents& host) {
  for (const Event& e : host.events) host.packed.add(e);
  host.packed.shrink_to_fit();
  host.events.clear();
  host.events.shrink_to_fit();
}

}  // namespace flexrecon
