// A run lists a store's units when it opens it and reads their records later, a bucket at a time.
// An ingest --replace in between removes a unit's records: the run must stop, not reconcile part of
// a file as if it were the whole.
#include <catch2/catch.hpp>

#include "flexrecon/case_store.h"
#include "flexrecon/error.h"
#include "flexrecon/event_store.h"
#include "support/sqlite_file.h"
#include "support/temp_dir.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

// Reads the store's units as a run does and assembles every host; returns the hosts seen.
std::size_t assemble_from(const CaseStore& store) {
  EventReadOptions options;
  SourceTable sources;
  IngestedEvents events;
  Rejects rejects;
  read_event_inputs({}, {&store}, options, sources, events, rejects);
  std::size_t hosts = 0;
  events.for_each_host(2, [&](HostEvents&&) { ++hosts; });
  return hosts;
}

}  // namespace

TEST_CASE("a run whose store loses records after it listed its units stops, naming the file and the counts") {
  TempDir dir;
  const std::string path = dir.file("case.store");
  ingest_events(path, {kSamples + "/events"}, IngestOptions{});
  {
    const auto store = CaseStore::open(path);
    CHECK(assemble_from(*store) == 6);
  }
  const auto store = CaseStore::open(path);
  // What a concurrent `ingest --replace` of ws-0102's log does to the unit the run listed.
  sqlite_exec(path, "DELETE FROM record_blobs WHERE unit = (SELECT id FROM units WHERE path LIKE '%ws-0102/Security.xml')");
  try {
    assemble_from(*store);
    FAIL("the run went on without ws-0102's records");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InputUnusable);
    CHECK_THAT(e.what(), Catch::Contains("the case store " + path + " changed while this run read it: " + kSamples +
                                         "/events/ws-0102/Security.xml should give 108 records, 0 were found"));
  }
}
