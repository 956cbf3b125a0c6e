#include <catch2/catch.hpp>

#include "pack/evidence_index.h"
#include "pack/evidence_store_events.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

// The sample result with `n` more events of ws-0042 (record ids from 1,000,000), each `k`-th of
// them cited `times` times: by one session, and again by as many findings.
ReconcileResult with_events_cited(std::uint64_t n, std::uint64_t k, int times) {
  ReconcileResult r = sample_result();
  HostEvents& he = r.events.hosts["ws-0042"];
  Session& session = r.timelines.hosts["ws-0042"].sessions[0];
  const HostEvent model = he.events[0];
  Finding finding = r.results.findings[0];
  finding.evidence.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    HostEvent e = model;
    e.record_id = 1'000'000 + i;
    e.time += static_cast<Instant>(i) * kSecond;
    if (i % k == 0) {
      session.evidence.push_back(e.ref());
      finding.evidence.push_back(e.ref());
    }
    he.events.push_back(std::move(e));
  }
  for (int t = 1; t < times; ++t) r.results.findings.push_back(finding);
  return r;
}

}  // namespace

TEST_CASE("each cited event is one row of the store, in the index's order, however often it is cited", "[pack][store]") {
  const ReconcileResult r = with_events_cited(1'000, 3, 3);
  const EvidenceIndex index(r);
  const StoredEvents stored(r, index);
  // The sample's four cited events and every third of the thousand.
  REQUIRE(stored.event_count() == 4 + 334);
  std::size_t previous_ordinal = 0;
  for (std::size_t row = 0; row < stored.event_count(); ++row) {
    INFO("row " << row);
    const Event e = stored.event(row);
    const auto ordinal = index.event_ordinal(e.ref(), e.host);
    REQUIRE(ordinal);
    if (row > 0) CHECK(*ordinal > previous_ordinal);
    previous_ordinal = *ordinal;
    CHECK(stored.row_id(e.ref(), e.host) == static_cast<std::int64_t>(row));
  }
  // An event nobody cites has no row.
  const HostEvents& he = r.events.hosts.at("ws-0042");
  const auto uncited = std::find_if(he.events.begin(), he.events.end(), [](const HostEvent& e) { return e.record_id == 1'000'001; });
  REQUIRE(uncited != he.events.end());
  CHECK_FALSE(stored.row_id(uncited->ref(), "ws-0042"));
}

TEST_CASE("which events the store holds takes two bits per event of the index, however many citations",
          "[pack][store]") {
  // Every event cited four times (a session and three findings): a list of the citations would
  // take 32 bytes an event, and twice that while it grew.
  const ReconcileResult r = with_events_cited(100'000, 1, 3);
  const EvidenceIndex index(r);
  const StoredEvents stored(r, index);
  REQUIRE(stored.event_count() == 100'004);
  INFO(stored.memory_bytes() << " bytes for " << index.event_count() << " events of the index");
  CHECK(stored.memory_bytes() <= index.event_count() / 4 + 64 + stored.marks().size() * sizeof(StoredEvents::Mark));
}
