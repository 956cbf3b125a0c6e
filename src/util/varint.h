// The compact encoding of the records flexrecon writes for itself (the event spill, case-store
// blobs, packed cited events): little-endian base-128 varints, zig-zag for signed numbers, and text
// as its length then its bytes. Most numbers of a record (ids, lines, sources) fit in one to four
// bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "flexrecon/error.h"

namespace flexrecon {

inline void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Zig-zag, so that small negative numbers (times before 1970, odd event ids) stay short.
inline void put_signed(std::string& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

inline void put_text(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

// Reads back what put_* wrote. The bytes are flexrecon's own: a short or malformed record means they
// were damaged (a disk that lost them, a case store edited by hand), which throws an Error of `kind`
// naming `what` rather than losing events silently.
class VarintReader {
 public:
  VarintReader(std::string_view bytes, std::string_view what, ErrorKind kind)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()), what_(what), kind_(kind) {}

  bool done() const { return p_ == end_; }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  char byte() {
    if (p_ == end_) damaged();
    return *p_++;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto b = static_cast<unsigned char>(byte());
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    damaged();
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::string text() { return std::string(text_view()); }
  // The text in place: valid while the bytes read are.
  std::string_view text_view() {
    const std::uint64_t n = text_size();
    const std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  void skip_text() { p_ += text_size(); }
  void bytes(unsigned char* out, std::size_t n) {
    if (n > static_cast<std::size_t>(end_ - p_)) damaged();
    std::memcpy(out, p_, n);
    p_ += n;
  }

 private:
  std::uint64_t text_size() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) damaged();
    return n;
  }
  [[noreturn]] void damaged() const { throw Error(kind_, std::string(what_) + " is damaged (a record is cut short)"); }

  const char* p_;
  const char* end_;
  std::string_view what_;
  ErrorKind kind_;
};

}  // namespace flexrecon
