// libFuzzer harness: the whole event-input path as the CLI runs it on one file -- regular-file
// checks, format sniffing (EVTX, XML forms, archives), archive expansion with its bounds, and the
// store builder. read_event_inputs promises never to throw for bad content.
#include <cstddef>
#include <cstdint>

#include "flexrecon/event_store.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  static fuzz::ScratchFile scratch("event_input");
  const std::string& path = scratch.write(data, size);
  EventReadOptions options;
  SourceTable sources;
  EventStore store;
  Rejects rejects;
  read_event_inputs({path}, options, sources, store, rejects);
  return 0;
}
