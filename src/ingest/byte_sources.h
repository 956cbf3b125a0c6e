// Small ByteSource adapters the readers stack on each other: files, memory, replay of an
// already-read head, and hashing while streaming.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "flexrecon/event_store.h"
#include "util/sha256.h"

namespace flexrecon {

// A regular file opened read-only. Throws Error::input when it cannot be opened or read.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::size_t read(char* buf, std::size_t n) override;

 private:
  std::string path_;
  int fd_ = -1;
};

// Bytes held in memory (tests, sniffing a head).
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char* buf, std::size_t n) override;

 private:
  std::string_view bytes_;
};

// Replays `head` (bytes already taken from `rest` to sniff the format), then continues with `rest`,
// so detection never needs to seek.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string head, ByteSource& rest) : head_(std::move(head)), rest_(rest) {}
  std::size_t read(char* buf, std::size_t n) override;

 private:
  std::string head_;
  std::size_t pos_ = 0;
  ByteSource& rest_;
};

// Passes bytes through while hashing and counting them: the SHA-256 recorded for a source is of
// exactly the bytes the readers saw.
class HashingSource : public ByteSource {
 public:
  explicit HashingSource(ByteSource& in) : in_(in) {}
  std::size_t read(char* buf, std::size_t n) override;
  // Reads whatever the consumer left unread, so the hash covers the whole stream.
  void drain();
  std::uint64_t size() const { return size_; }
  std::string hex_digest() { return sha_.hex_digest(); }

 private:
  ByteSource& in_;
  Sha256 sha_;
  std::uint64_t size_ = 0;
};

// Reads up to `n` bytes (fewer only at end of stream).
std::string read_head(ByteSource& in, std::size_t n);

}  // namespace flexrecon
