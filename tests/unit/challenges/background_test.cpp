#include <catch2/catch.hpp>

#include "scenario.h"

using namespace scenario;

namespace {

// An AutoCAD launch by jdoe on ws-0042 at 09:15, billed at the published rate, lasting an hour.
void launch(World& w, const std::string& id = "C1", const std::string& user = "jdoe",
            const std::string& start = "2026-03-02 09:15:00") {
  const Instant t = at(start);
  w.charge(id, user, "ws-0042", "ACD", start, format_utc(t + kHour), 7.0);
}

IdleSpan idle(const std::string& kind, const std::string& from, const std::string& to, std::uint64_t record) {
  return IdleSpan{Span{at(from), at(to)}, kind, {event(record), event(record + 1)}};
}

}  // namespace

TEST_CASE("a launch during the user's active session is supported and yields no finding", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 100);
  launch(w);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
}

TEST_CASE("a logoff within the presence tolerance before the launch still supports it", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 09:13:30", 100);  // 90 s before
  launch(w);
  CHECK(findings_for(w, w.run(), "C1").empty());
}

TEST_CASE("a logoff just beyond the tolerance leaves the launch without a user", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 09:12:00", 100);  // 3 min before
  launch(w);
  const RuleResults r = w.run();
  const Finding f = main_finding(w, r, "C1");
  CHECK(f.rule == "background");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK_THAT(f.reason, Catch::Contains("no interactive user logged on"));
  // The session before the launch is named: the reader sees what the log does record.
  CHECK_THAT(f.reason, Catch::Contains("2026-03-02T09:12:00Z"));
  CHECK(contains(f.evidence, event(100)));
}

TEST_CASE("a launch inside a record gap is insufficient evidence, not a challenge, and names the gap",
          "[background]") {
  World w;
  HostTimeline& h = w.host("ws-0042");
  h.uncovered.push_back(CoverageGap{Span{at("2026-03-02 09:00:00"), at("2026-03-02 09:30:00")}, "record-gap",
                                    "EventRecordID 1041 -> 1057 (15 records missing)", {event(1041), event(1057)}});
  launch(w);
  const RuleResults r = w.run();
  const Finding f = main_finding(w, r, "C1");
  CHECK(f.rule == "background");
  CHECK(f.status == FindingStatus::InsufficientEvidence);
  CHECK(f.tokens_challenged == 0);
  CHECK_THAT(f.reason, Catch::Contains("EventRecordID 1041 -> 1057 (15 records missing)"));
  CHECK(f.evidence.front() == w.rows[0].ref());
  CHECK(contains(f.evidence, event(1041)));
  CHECK(contains(f.evidence, event(1057)));
}

TEST_CASE("a gap only partly overlapping the tolerance window still blocks the argument from absence",
          "[background]") {
  World w;
  HostTimeline& h = w.host("ws-0042");
  // The gap ends 60 s before the launch: within the 120 s window.
  h.uncovered.push_back(CoverageGap{Span{at("2026-03-02 08:00:00"), at("2026-03-02 09:14:00")}, "record-gap",
                                    "EventRecordID 10 -> 20 (9 records missing)", {event(10), event(20)}});
  launch(w);
  CHECK(main_finding(w, w.run(), "C1").status == FindingStatus::InsufficientEvidence);
}

TEST_CASE("a host with no event log at all is uncovered throughout", "[background]") {
  World w;  // no timeline for ws-0042
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.status == FindingStatus::InsufficientEvidence);
  CHECK(f.tokens_challenged == 0);
  CHECK_THAT(f.reason, Catch::Contains("no event log for host ws-0042"));
}

TEST_CASE("a host whose only logs are not Security logs cannot prove absence", "[background]") {
  World w;
  HostTimeline& h = w.host("ws-0042");
  h.has_security_log = false;
  h.uncovered.clear();
  h.covered.clear();
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.status == FindingStatus::InsufficientEvidence);
  CHECK(f.tokens_challenged == 0);
}

TEST_CASE("a launch while the user's session was locked throughout is challenged with medium confidence",
          "[background]") {
  World w;
  w.host("ws-0042");
  Session& s = w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 100);
  s.idle.push_back(idle("locked", "2026-03-02 09:00:00", "2026-03-02 10:00:00", 200));
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "background");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::Medium);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK_THAT(f.reason, Catch::StartsWith("launched while the user's session was locked"));
  CHECK(contains(f.evidence, event(200)));
  CHECK(contains(f.evidence, event(201)));
  CHECK(f.session_ids == std::vector<std::uint64_t>{s.id});
}

TEST_CASE("a disconnected session is named as disconnected", "[background]") {
  World w;
  w.host("ws-0042");
  Session& s = w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 100);
  s.idle.push_back(idle("disconnected", "2026-03-02 09:00:00", "2026-03-02 10:00:00", 200));
  launch(w);
  CHECK_THAT(main_finding(w, w.run(), "C1").reason,
             Catch::StartsWith("launched while the user's session was disconnected"));
}

TEST_CASE("an unlock within the tolerance after the launch makes the launch supported", "[background]") {
  World w;
  w.host("ws-0042");
  Session& s = w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 100);
  s.idle.push_back(idle("locked", "2026-03-02 09:00:00", "2026-03-02 09:16:00", 200));  // unlocked 60 s after
  launch(w);
  CHECK(findings_for(w, w.run(), "C1").empty());
}

TEST_CASE("a launch while only another user is logged on: metered user not logged on", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "alice", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 300);
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::Medium);
  CHECK_THAT(f.reason, Catch::StartsWith("metered user not logged on"));
  CHECK_THAT(f.reason, Catch::Contains("alice"));
  CHECK_THAT(f.reason, Catch::Contains("jdoe"));
  CHECK(contains(f.evidence, event(300)));
}

TEST_CASE("a launch on a powered-off host", "[background]") {
  World w;
  HostTimeline& h = w.host("ws-0042");
  h.power_off.push_back(PowerSpan{Span{at("2026-03-01 18:00:00"), at("2026-03-02 10:00:00")},
                                  {event(500), event(501)}, "1074 shutdown -> 6005 boot"});
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.confidence == Confidence::High);
  CHECK_THAT(f.reason, Catch::StartsWith("host powered off"));
  CHECK(contains(f.evidence, event(500)));
}

TEST_CASE("a power-off span that does not hold the whole window is just no user", "[background]") {
  World w;
  HostTimeline& h = w.host("ws-0042");
  // The host booted 60 s before the launch.
  h.power_off.push_back(PowerSpan{Span{at("2026-03-01 18:00:00"), at("2026-03-02 09:14:00")},
                                  {event(500), event(501)}, "1074 shutdown -> 6005 boot"});
  launch(w);
  CHECK_THAT(main_finding(w, w.run(), "C1").reason, Catch::StartsWith("no interactive user logged on"));
}

TEST_CASE("charges without a host or a start are not evaluable by background", "[background]") {
  World w;
  w.host("ws-0042");
  w.charge("NOHOST", "jdoe", "", "ACD", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 7.0);
  w.charge("NOSTART", "jdoe", "ws-0042", "MAYA", "", "", 6.0);
  const RuleResults r = w.run();
  CHECK(not_evaluable(r, "background") == 2);
  CHECK_FALSE(has_main_finding(w, r, "NOHOST"));
  CHECK_FALSE(has_main_finding(w, r, "NOSTART"));
}

TEST_CASE("an email metering user matched through the identity map is present", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 100);
  IdentityMap ids;
  ids.add("john.doe@corp.example", "CORP\\jdoe");
  MeteringRow& row = w.charge("C1", "", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 7.0);
  row.user_raw = "John.Doe@corp.example";
  row.user = ids.resolve(row.user_raw);
  // Without the map the same address would be "john.doe", who never logged on.
  MeteringRow& unmapped = w.charge("C2", "", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 10.0);
  unmapped.user_raw = "John.Doe@corp.example";
  unmapped.user = IdentityMap().resolve(unmapped.user_raw);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK_THAT(main_finding(w, r, "C2").reason, Catch::StartsWith("metered user not logged on"));
}

TEST_CASE("rows that are not charges are never challenged", "[background]") {
  World w;
  w.host("ws-0042");  // nobody logged on: a charge here would be challenged
  MeteringRow& zero = w.charge("Z", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 0.0);
  CHECK_FALSE(zero.is_charge);
  MeteringRow& cloud = w.charge("K", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 3.0);
  cloud.category = "CLOUD_SERVICE";
  cloud.is_charge = false;
  CHECK(w.run().findings.empty());
}

TEST_CASE("a charge without a user is not evaluable by background", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "alice", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 300);
  launch(w, "C1", "");
  const RuleResults r = w.run();
  CHECK(not_evaluable(r, "background") == 1);
  CHECK_FALSE(has_main_finding(w, r, "C1"));
}

TEST_CASE("a long session that began before shorter ones still covers the launch", "[background]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-01 08:00:00", "2026-03-03 08:00:00", 100);  // RDP, open for two days
  w.session("ws-0042", "alice", "2026-03-02 07:00:00", "2026-03-02 07:30:00", 200);
  w.session("ws-0042", "bob", "2026-03-02 08:00:00", "2026-03-02 08:30:00", 300);
  w.session("ws-0042", "carol", "2026-03-02 10:00:00", "2026-03-02 11:00:00", 400);
  launch(w);
  CHECK(findings_for(w, w.run(), "C1").empty());
}

TEST_CASE("on a busy terminal server the reason names a few other users and the evidence keeps all",
          "[background]") {
  World w;
  w.host("ws-0042");
  for (int i = 0; i < 8; ++i) {
    w.session("ws-0042", "user" + std::to_string(i), "2026-03-02 08:00:00", "2026-03-02 17:00:00", 1000 + 10 * i);
  }
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK_THAT(f.reason, Catch::StartsWith("metered user not logged on"));
  CHECK_THAT(f.reason, Catch::Contains("and 3 more sessions"));
  CHECK(f.session_ids.size() == 8);
  CHECK(contains(f.evidence, event(1070)));
}

TEST_CASE("a launch after the last record of the Security log is insufficient evidence", "[background]") {
  World w;
  w.host("ws-0042", "2026-01-01 00:00:00", "2026-03-01 00:00:00");  // export taken on 1 March
  launch(w);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.status == FindingStatus::InsufficientEvidence);
  CHECK_THAT(f.reason, Catch::Contains("after-last-record"));
  CHECK_THAT(f.reason, Catch::Contains("from 2026-03-01T00:00:00Z on"));
}
