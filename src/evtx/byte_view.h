// Bounds-checked little-endian reads over a byte range. Every read of EVTX data goes through here, so
// a corrupt offset or length becomes a DecodeError for the one record (or chunk) being read instead
// of a read past the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace flexrecon::evtx {

// Thrown for malformed EVTX content; caught by the reader and turned into a Reject.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ByteView {
 public:
  ByteView(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t size() const { return size_; }
  const std::uint8_t* data() const { return data_; }

  // True when [pos, pos + n) lies inside the view (overflow-safe).
  bool has(std::size_t pos, std::size_t n) const { return pos <= size_ && n <= size_ - pos; }

  void require(std::size_t pos, std::size_t n) const {
    if (!has(pos, n)) {
      throw DecodeError("read of " + std::to_string(n) + " bytes at offset " + std::to_string(pos) +
                        " runs past the end (" + std::to_string(size_) + ")");
    }
  }
  std::uint8_t u8(std::size_t pos) const {
    require(pos, 1);
    return data_[pos];
  }
  std::uint16_t u16(std::size_t pos) const {
    require(pos, 2);
    return static_cast<std::uint16_t>(data_[pos] | (data_[pos + 1] << 8));
  }
  std::uint32_t u32(std::size_t pos) const {
    require(pos, 4);
    return static_cast<std::uint32_t>(data_[pos]) | (static_cast<std::uint32_t>(data_[pos + 1]) << 8) |
           (static_cast<std::uint32_t>(data_[pos + 2]) << 16) | (static_cast<std::uint32_t>(data_[pos + 3]) << 24);
  }
  std::uint64_t u64(std::size_t pos) const {
    return static_cast<std::uint64_t>(u32(pos)) | (static_cast<std::uint64_t>(u32(pos + 4)) << 32);
  }
  // A sub-range [pos, pos + n) of this view.
  ByteView sub(std::size_t pos, std::size_t n) const {
    require(pos, n);
    return ByteView(data_ + pos, n);
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

}  // namespace flexrecon::evtx
