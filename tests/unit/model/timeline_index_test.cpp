// The overlap questions the rules ask of a host's timeline, answered through the index: the same
// answers a scan of every session and gap gives, on a filtered export's thousands of gaps.
#include <catch2/catch.hpp>

#include "flexrecon/timeline.h"

using namespace flexrecon;

namespace {

HostTimeline gap_heavy_timeline() {
  HostTimeline tl;
  tl.host = "ws-0042";
  // One gap from before the first record, then a short gap after nearly every record, some of them
  // zero-length (records with the same time stamp and a hole in their ids).
  tl.uncovered.push_back({{0, 50'000}, "before-first-record", "", {}});
  for (Instant b = 100; b < 200'000; b += 37)
    tl.uncovered.push_back({{b, b + (b % 5 == 0 ? 0 : 11)}, "record-gap", "", {}});
  std::uint64_t id = 0;
  for (Instant b = 0; b < 200'000; b += 900) {
    Session s;
    s.id = ++id;
    s.span = {b, b + (b % 4 == 0 ? 0 : 2'500)};  // overlapping sessions, and zero-length ones
    tl.sessions.push_back(s);
  }
  return tl;
}

}  // namespace

TEST_CASE("gaps and sessions overlapping a window are those a full scan finds, zero-length ones never",
          "[model][timeline]") {
  const HostTimeline tl = gap_heavy_timeline();
  const TimelineIndex index(tl);
  for (Instant b = -500; b < 201'000; b += 613) {
    for (Instant len : {0, 1, 240, 5'000}) {
      const Span w{b, b + len};
      INFO(b << " +" << len);
      std::vector<const CoverageGap*> gaps;
      for (const CoverageGap& g : tl.uncovered)
        if (len == 0 ? g.span.contains(b) : g.span.overlaps(w)) gaps.push_back(&g);
      CHECK(index.gaps_overlapping(w) == gaps);
      std::vector<const Session*> sessions;
      for (const Session& s : tl.sessions)
        if (s.span.overlaps(w)) sessions.push_back(&s);
      CHECK(index.sessions_overlapping(w) == sessions);
    }
  }
}

TEST_CASE("the session ended last before an instant and the first started from it", "[model][timeline]") {
  HostTimeline tl;
  Session a, b;
  a.id = 1;
  a.span = {0, 100};
  b.id = 2;
  b.span = {50, 80};
  tl.sessions = {a, b};
  const TimelineIndex index(tl);
  CHECK(index.last_ended_by(79) == nullptr);
  CHECK(index.last_ended_by(80)->id == 2);
  CHECK(index.last_ended_by(100)->id == 1);
  CHECK(index.first_started_from(1)->id == 2);
  CHECK(index.first_started_from(51) == nullptr);
}
