// Bounds-checked little-endian reads over a byte range. Every read of EVTX data goes through here, so
// a corrupt offset or length becomes a DecodeError for the one record (or chunk) being read instead
// of a read past the buffer.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace flexrecon::evtx {

// Thrown for malformed EVTX content; caught by the reader and turned into a Reject.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// EVTX is little-endian; the reads below copy bytes as they are, which is only right on such a host.
static_assert(std::endian::native == std::endian::little, "the EVTX reader assumes a little-endian host");

// Out of line and cold (byte_view.cpp), so the bounds check inlined into every read stays two compares.
[[noreturn, gnu::cold, gnu::noinline]] void throw_out_of_range(std::size_t pos, std::size_t n, std::size_t size);

class ByteView {
 public:
  ByteView(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t size() const { return size_; }
  const std::uint8_t* data() const { return data_; }

  // True when [pos, pos + n) lies inside the view (overflow-safe).
  bool has(std::size_t pos, std::size_t n) const { return pos <= size_ && n <= size_ - pos; }

  void require(std::size_t pos, std::size_t n) const {
    if (!has(pos, n)) [[unlikely]] throw_out_of_range(pos, n, size_);
  }
  std::uint8_t u8(std::size_t pos) const {
    require(pos, 1);
    return data_[pos];
  }
  std::uint16_t u16(std::size_t pos) const { return load<std::uint16_t>(pos); }
  std::uint32_t u32(std::size_t pos) const { return load<std::uint32_t>(pos); }
  // Two 4-byte reads, so a value cut short is reported as before ("read of 4 bytes at ...").
  std::uint64_t u64(std::size_t pos) const {
    return static_cast<std::uint64_t>(u32(pos)) | (static_cast<std::uint64_t>(u32(pos + 4)) << 32);
  }
  // A sub-range [pos, pos + n) of this view.
  ByteView sub(std::size_t pos, std::size_t n) const {
    require(pos, n);
    return ByteView(data_ + pos, n);
  }

 private:
  template <typename T>
  T load(std::size_t pos) const {
    require(pos, sizeof(T));
    T v;
    std::memcpy(&v, data_ + pos, sizeof v);
    return v;
  }

  const std::uint8_t* data_;
  std::size_t size_;
};

}  // namespace flexrecon::evtx
