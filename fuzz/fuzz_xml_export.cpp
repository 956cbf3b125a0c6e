// libFuzzer harness: the XML export path on in-memory bytes -- encoding detection (BOMs, UTF-16,
// declared encodings), format sniffing, splitting into events and parsing each event. Bad events must
// become Rejects; read_event_stream never throws for bad content.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "flexrecon/event_store.h"
#include "ingest/byte_sources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  MemorySource in(std::string_view(reinterpret_cast<const char*>(data), size));
  EventReadOptions options;
  Rejects rejects;
  std::size_t events = 0;
  read_event_stream(in, "fuzz.xml", 0, options, [&](Event&&) { ++events; }, rejects);
  return 0;
}
