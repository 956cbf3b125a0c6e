// libFuzzer harness: the archive reader (libarchive behind our expansion bounds and nesting) on
// in-memory bytes. Members are drained, not parsed: the event readers have harnesses of their own.
// A corrupt or over-expanding archive or member must be rejected, never thrown out of read_archive.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/archive_reader.h"
#include "ingest/byte_sources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  MemorySource in(std::string_view(reinterpret_cast<const char*>(data), size));
  EventReadOptions options;
  std::size_t members = 0;
  std::size_t rejected = 0;
  static char buffer[1 << 16];
  read_archive(
      in, "fuzz.zip", options,
      [&](const std::string&, ByteSource& member) {
        ++members;
        while (member.read(buffer, sizeof buffer) > 0) {
        }
      },
      [&](const std::string&, const std::string&) { ++rejected; });
  return 0;
}
