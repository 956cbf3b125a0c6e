// Coverage of a host's Security log: where "nothing was logged" can be believed.
#include <catch2/catch.hpp>

#include "unit/sessions/event_fixture.h"

using namespace sessions_test;

namespace {

std::vector<const CoverageGap*> gaps_of_kind(const HostTimeline& tl, const std::string& kind) {
  std::vector<const CoverageGap*> out;
  for (const CoverageGap& g : tl.uncovered) {
    if (g.kind == kind) out.push_back(&g);
  }
  return out;
}

}  // namespace

TEST_CASE("a complete log is covered from its first to its last record only") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z").noise("2026-11-02T12:00:00Z").noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  CHECK(tl.has_security_log);
  REQUIRE(tl.uncovered.size() == 2);
  CHECK(tl.uncovered[0].kind == "before-first-record");
  CHECK(tl.uncovered[0].span == Span{kMinInstant, at("2026-11-02T07:00:00Z")});
  CHECK(tl.uncovered[1].kind == "after-last-record");
  CHECK(tl.uncovered[1].span == Span{at("2026-11-02T18:00:00Z"), kMaxInstant});
  CHECK(tl.covered == std::vector<Span>{Span{at("2026-11-02T07:00:00Z"), at("2026-11-02T18:00:00Z")}});
  CHECK(TimelineIndex(tl).gaps_overlapping(around("2026-11-02T12:00:00Z")).empty());
  CHECK(TimelineIndex(tl).gaps_overlapping(around("2026-11-02T06:59:00Z")).size() == 1);
}

TEST_CASE("a jump in EventRecordIDs is uncovered between its neighbours") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z").noise("2026-11-02T10:00:00Z").skip_security_records(15).noise("2026-11-02T11:00:00Z")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const auto gaps = gaps_of_kind(w.host(), "record-gap");
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0]->span == Span{at("2026-11-02T10:00:00Z"), at("2026-11-02T11:00:00Z")});
  CHECK(gaps[0]->description ==
        "EventRecordID 1002 -> 1018 missing 15 records between 2026-11-02T10:00:00Z and 2026-11-02T11:00:00Z");
  REQUIRE(gaps[0]->evidence.size() == 2);
  CHECK(gaps[0]->evidence[0].position == 1002);
  CHECK(gaps[0]->evidence[1].position == 1018);
  CHECK(TimelineIndex(w.host()).gaps_overlapping(around("2026-11-02T10:30:00Z")).size() == 1);
  CHECK(w.host().covered.size() == 2);
}

TEST_CASE("overlapping exports' duplicate records do not create gaps") {
  World w;
  HostLog log;
  for (int h = 7; h <= 18; ++h) log.noise("2026-11-02T" + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00:00Z");
  const auto& all = log.events();
  // Two exports of the same log, taken at different times, overlapping by four records.
  w.file("export-1.xml", std::vector<std::string>(all.begin(), all.begin() + 8));
  w.file("export-2.xml", std::vector<std::string>(all.begin() + 4, all.end()));
  w.build();
  CHECK(gaps_of_kind(w.host(), "record-gap").empty());
  CHECK(w.host().uncovered.size() == 2);
  CHECK(w.store.counts.duplicates == 4);
}

TEST_CASE("two exports with a hole between them leave that hole uncovered") {
  World w;
  HostLog log;
  for (int h = 7; h <= 18; ++h) log.noise("2026-11-02T" + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00:00Z");
  const auto& all = log.events();
  w.file("export-1.xml", std::vector<std::string>(all.begin(), all.begin() + 4));   // 07:00-10:00
  w.file("export-2.xml", std::vector<std::string>(all.begin() + 6, all.end()));     // 13:00-18:00
  w.build();
  const auto gaps = gaps_of_kind(w.host(), "record-gap");
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0]->span == Span{at("2026-11-02T10:00:00Z"), at("2026-11-02T13:00:00Z")});
}

TEST_CASE("a 1102 clear makes everything before it uncovered") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 2)
      .log_cleared("2026-11-02T12:00:00Z")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const auto gaps = gaps_of_kind(w.host(), "log-cleared");
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0]->span == Span{kMinInstant, at("2026-11-02T12:00:00Z")});
  CHECK(gaps[0]->description.find("by mallory") != std::string::npos);
  REQUIRE(gaps[0]->evidence.size() == 1);
  CHECK(gaps[0]->evidence[0].position == 1003);
  CHECK(TimelineIndex(w.host()).gaps_overlapping(around("2026-11-02T09:00:00Z")).size() == 1);
  CHECK(TimelineIndex(w.host()).gaps_overlapping(around("2026-11-02T15:00:00Z")).empty());
  CHECK(w.host().covered == std::vector<Span>{Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T18:00:00Z")}});
}

TEST_CASE("a 4616 clock jump beyond tolerance is uncovered, within tolerance is not") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      // Time service correction of 2 seconds: ordinary.
      .clock_change("2026-11-02T09:00:00Z", "2026-11-02T08:59:58.0000000Z", "2026-11-02T09:00:00.0000000Z")
      // Someone set the clock back an hour: times between are unreliable.
      .clock_change("2026-11-02T11:00:00Z", "2026-11-02T12:00:00.5000000Z", "2026-11-02T11:00:00.0000000Z")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const auto gaps = gaps_of_kind(w.host(), "clock-change");
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0]->span == Span{at("2026-11-02T11:00:00Z"), at("2026-11-02T12:00:00.5Z")});
  CHECK(gaps[0]->evidence.at(0).position == 1003);
  CHECK(w.host().events_used == 2);

  Settings lenient;
  lenient.clock_tolerance = 2 * kHour;
  w.build(lenient);
  CHECK(gaps_of_kind(w.host(), "clock-change").empty());
}

TEST_CASE("a 4616 with unreadable times adds no gap and is not used") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z").clock_change("2026-11-02T09:00:00Z", "yesterday", "2026-11-02T09:00:00Z")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  CHECK(gaps_of_kind(w.host(), "clock-change").empty());
  CHECK(w.host().events_used == 0);
}

TEST_CASE("an orphan right after a record gap is rebuilt from the end of the gap") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z").noise("2026-11-02T09:00:00Z").skip_security_records(40).noise("2026-11-02T11:00:00Z")
      .user_logoff("2026-11-02T16:00:00Z", "jdoe", "0x77").noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  // Its logon was not between 11:00 and 16:00 (that stretch is complete): the session existed all along.
  CHECK(w.host().sessions[0].span == Span{at("2026-11-02T11:00:00Z"), at("2026-11-02T16:00:00Z")});
}

TEST_CASE("an export filtered by event id (gaps between nearly all records, few ids) is named as such") {
  World w;
  HostLog log;
  // A forwarder that kept only logons and logoffs: 30 records, each a few records after the last.
  for (int i = 0; i < 30; ++i) {
    const int hour = 6 + i / 2;
    const std::string t = "2026-11-02T" + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":" + (i % 2 ? "30" : "00") + ":00Z";
    if (i % 2) log.logoff(t, "alice", "0x1" + std::to_string(i), 3);
    else log.logon(t, "alice", "0x1" + std::to_string(i + 1), 3);
    log.skip_security_records(7);
  }
  w.file("security.ndjson", log);
  w.build();
  CHECK(gaps_of_kind(w.host(), "record-gap").empty());
  const auto gaps = gaps_of_kind(w.host(), "filtered-export");
  REQUIRE(gaps.size() == 29);
  CHECK(gaps[0]->description.starts_with("filtered export (it kept only event ids 4624, 4634): EventRecordID"));
  CHECK(gaps[0]->description.ends_with("; the unfiltered Security log is needed"));
}

TEST_CASE("a complete log, or one with a few lost stretches, is never called filtered") {
  World w;
  HostLog log;
  for (int i = 0; i < 40; ++i) {
    const int hour = 4 + i / 2;
    log.noise("2026-11-02T" + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":" + (i % 2 ? "30" : "00") + ":00Z");
    if (i % 4 == 3) log.skip_security_records(50);  // a gap after every fourth record: runs remain
  }
  w.file("security.xml", log);
  w.build();
  CHECK(gaps_of_kind(w.host(), "filtered-export").empty());
  CHECK(gaps_of_kind(w.host(), "record-gap").size() == 9);
}
