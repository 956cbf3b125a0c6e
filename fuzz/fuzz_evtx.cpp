// libFuzzer harness: the native EVTX reader on arbitrary bytes (file header, chunks, records,
// Binary XML templates and substitutions). Every corruption must become a Reject; nothing may throw.
//
// Each chunk's two CRC32 checksums are recomputed over the mutated bytes before reading: otherwise
// nearly every mutation dies at "bad event records checksum" and the record decoder -- the part
// worth fuzzing -- is never reached (a first 5-minute campaign without this plateaued at once).
// The checksum rejections themselves are covered by tests/unit/evtx/evtx_reader_test.cpp.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "evtx/crc32.h"
#include "evtx/evtx_reader.h"
#include "ingest/byte_sources.h"

namespace {

constexpr std::size_t kFileHeaderSize = 4096;
constexpr std::size_t kChunkSize = 65536;
constexpr std::size_t kChunkHeaderSize = 512;

std::uint32_t u32_at(const std::string& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);  // EVTX is little-endian, as is every host we build on
  return v;
}

void put_u32(std::string& b, std::size_t at, std::uint32_t v) { std::memcpy(b.data() + at, &v, 4); }

// What a writer would have stored: records checksum over [512, free space), header checksum over
// bytes 0-119 and 128-511 of the chunk header.
void fix_checksums(std::string& b) {
  using flexrecon::evtx::crc32_update;
  for (std::size_t at = kFileHeaderSize; at + kChunkSize <= b.size(); at += kChunkSize) {
    if (std::memcmp(b.data() + at, "ElfChnk\0", 8) != 0) continue;
    const auto* chunk = reinterpret_cast<const std::uint8_t*>(b.data() + at);
    const std::uint32_t free_space = u32_at(b, at + 48);
    if (free_space >= kChunkHeaderSize && free_space <= kChunkSize) {
      put_u32(b, at + 52, crc32_update(0, chunk + kChunkHeaderSize, free_space - kChunkHeaderSize));
    }
    std::uint32_t crc = crc32_update(0, chunk, 120);
    crc = crc32_update(crc, chunk + 128, kChunkHeaderSize - 128);
    put_u32(b, at + 124, crc);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fix_checksums(bytes);
  MemorySource in(bytes);
  EventReadOptions options;
  Rejects rejects;
  std::size_t events = 0;
  read_evtx_stream(in, "fuzz.evtx", 0, options, [&](Event&&) { ++events; }, rejects);
  return 0;
}
