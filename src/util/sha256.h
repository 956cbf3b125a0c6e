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

std::string sha256_hex(std::string_view bytes);
// The raw 32-byte digest of a short buffer (per-event fingerprints: millions of calls). Through
// OpenSSL's SHA-256 functions on a context on the stack, not through EVP: OpenSSL 3's EVP (and its
// one-shot SHA256()) looks the algorithm up, or allocates and frees a provider context, on every
// digest, which costs as much as hashing a short buffer. The same SHA-256, with SHA-NI where the CPU
// has it.
std::array<unsigned char, 32> sha256_bytes(std::string_view bytes);
// Hashes a whole file by streaming it; throws flexrecon::Error::input when it cannot be read.
std::string sha256_file(const std::string& path, std::uint64_t* size = nullptr);

}  // namespace flexrecon
