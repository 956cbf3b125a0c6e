// SHA-256 via OpenSSL libcrypto, incremental so large files are hashed while they stream.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace flexrecon {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex_digest();  // finishes; lower-case hex

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Digests of many short buffers, one after another (per-event fingerprints). sha256_bytes asks
// OpenSSL 3 to look the algorithm up on every call (locks and name compares that cost as much as
// hashing a short buffer); this looks it up once and reuses one context. One per thread.
class Sha256Digester {
 public:
  Sha256Digester();
  ~Sha256Digester();
  Sha256Digester(const Sha256Digester&) = delete;
  Sha256Digester& operator=(const Sha256Digester&) = delete;
  std::array<unsigned char, 32> digest(std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);
// The raw 32-byte digest of a short buffer, in one call (no context to set up: per-event use).
std::array<unsigned char, 32> sha256_bytes(std::string_view bytes);
// Hashes a whole file by streaming it; throws flexrecon::Error::input when it cannot be read.
std::string sha256_file(const std::string& path, std::uint64_t* size = nullptr);

}  // namespace flexrecon
