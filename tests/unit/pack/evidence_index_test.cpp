#include <catch2/catch.hpp>

#include "pack/evidence_index.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

// `hosts` hosts citing `per_host` events each, record ids 1.. in source 0 on every host (so every
// reference is shared by all hosts, as forwarded events from several machines are).
ReconcileResult hosts_sharing_references(int hosts, int per_host) {
  ReconcileResult r;
  for (int h = 0; h < hosts; ++h) {
    const std::string name = "ws-" + std::to_string(h);
    HostEvents& he = r.events.hosts[name];
    he.host = name;
    for (int i = 1; i <= per_host; ++i)
      he.events.push_back(make_event(0, static_cast<std::uint64_t>(i), "2026-03-02T09:00:00Z", 4624, name.c_str(),
                                     {{"TargetUserName", "jdoe"}}));
  }
  return r;
}

}  // namespace

TEST_CASE("a reference shared by several hosts' events resolves to the citing host's copy, else the first", "[pack]") {
  const ReconcileResult r = hosts_sharing_references(3, 5);
  const EvidenceIndex index(r);
  const EvidenceRef ref{0, 4, false};
  // Ordinals run host by host (ws-0, ws-1, ws-2), then event by event.
  CHECK(index.event_ordinal(ref) == 3u);
  CHECK(index.event_ordinal(ref, "ws-1") == 8u);
  CHECK(index.event_ordinal(ref, "ws-2") == 13u);
  CHECK(index.event_ordinal(ref, "ws-9") == 3u);
  CHECK(index.event_at(13).host == "ws-2");
  CHECK(index.event_at(13).record_id == 4u);
  CHECK_FALSE(index.event_ordinal(EvidenceRef{0, 6, false}));
  CHECK_FALSE(index.event_ordinal(EvidenceRef{1, 4, false}));
}

TEST_CASE("a shared reference resolves to the citing host's copy when the hosts' events are packed, as in a run", "[pack]") {
  // A run holds every host's cited events packed and decodes them one after another into one Event
  // while the index is built: each event's host must be the one it was packed with, not whatever
  // that reused Event holds later (host names of one length are where a view into it went wrong).
  ReconcileResult r = hosts_sharing_references(3, 5);
  test::TempDir dir;
  const auto file = std::make_shared<PackedEventFile>(dir.path().string());
  for (auto& [name, he] : r.events.hosts) pack_events(he, file);
  const EvidenceIndex index(r);
  const EvidenceRef ref{0, 4, false};
  CHECK(index.event_ordinal(ref) == 3u);
  CHECK(index.event_ordinal(ref, "ws-1") == 8u);
  CHECK(index.event_ordinal(ref, "ws-2") == 13u);
  CHECK(index.event(ref)->host == "ws-0");
  CHECK(index.event_at(*index.event_ordinal(ref, "ws-2")).host == "ws-2");
}

TEST_CASE("the evidence index costs 24 bytes a cited event, whatever the events hold", "[pack]") {
  // One index serves every file of the pack; at the peak of a long case it is the largest thing
  // held for the cited events, so its size per event is a bound, not an accident.
  const ReconcileResult r = hosts_sharing_references(20, 5'000);
  const EvidenceIndex index(r);
  REQUIRE(index.event_count() == 100'000);
  INFO("index " << index.memory_bytes() << " bytes for 100,000 events");
  CHECK(index.memory_bytes() <= 100'000 * 24 + 4'096);
}
