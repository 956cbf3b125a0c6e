// libFuzzer harness: the SIEM export readers (SPEC 1.2), one per input chosen by its first byte (one
// corpus and one campaign cover them all, and a reproducer says which path it is for):
//   'n' the SIEM JSON reader (Winlogbeat ECS/6, NXLog, Splunk JSON; NDJSON or one JSON array, the
//       splitter picks by the first byte of the rest), no --events-tz;
//   'z' the same with --events-tz Europe/Berlin, so zone-less NXLog times go through the zone;
//   'c' the Splunk CSV reader (`_raw` column parsed as event XML);
//   'd' the JSON document splitter alone with a 512-byte bound, so the overlong-document skipping
//       and resumption are reached by small inputs; its promises are checked here;
// any other first byte is taken modulo 4 in that order. The rest of the input is the file.
// Both readers may refuse a whole file with Error::input (their headers: an NXLog file whose first
// event has no zone and no --events-tz, a Splunk CSV without `_raw`); bad documents and rows must
// become Rejects. Anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "flexrecon/event_store.h"
#include "fuzz_support.h"
#include "ingest/byte_sources.h"
#include "ingest/json_document_splitter.h"
#include "ingest/siem_json_reader.h"
#include "ingest/splunk_csv_reader.h"

namespace {

enum class Path { Json, JsonWithZone, SplunkCsv, Splitter };

Path pick(std::uint8_t first) {
  switch (first) {
    case 'n': return Path::Json;
    case 'z': return Path::JsonWithZone;
    case 'c': return Path::SplunkCsv;
    case 'd': return Path::Splitter;
    default: return static_cast<Path>(first % 4);
  }
}

// The splitter's contract (json_document_splitter.h): a kept document never exceeds the bound (a
// longer one is reported broken, not truncated into a different document), and documents come in
// stream order, so line numbers cited as evidence never go backwards.
void split_and_check(std::string_view bytes) {
  constexpr std::uint64_t kBound = 512;
  flexrecon::MemorySource in(bytes);
  flexrecon::JsonDocumentSplitter splitter(in, kBound);
  flexrecon::JsonDocument doc;
  std::uint64_t previous_line = 1;
  while (splitter.next(doc)) {
    if (doc.broken.empty() && doc.text.size() > kBound) std::abort();
    if (doc.line < previous_line) std::abort();
    previous_line = doc.line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  if (size == 0) return 0;
  const Path path = pick(data[0]);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (path == Path::Splitter) {
    split_and_check(bytes);
    return 0;
  }
  fuzz::allow_input_refusal([&] {
    MemorySource in(bytes);
    EventReadOptions options;
    if (path == Path::JsonWithZone) options.events_tz = "Europe/Berlin";
    Rejects rejects;
    std::size_t events = 0;
    const auto count = [&](Event&&) { ++events; };
    if (path == Path::SplunkCsv) {
      read_splunk_csv_events(in, "fuzz-splunk.csv", 0, options, count, rejects);
    } else {
      read_siem_json_events(in, "fuzz-siem.json", 0, options, count, rejects);
    }
  });
  return 0;
}
