#include <catch2/catch.hpp>

#include "scenario.h"

using namespace scenario;

namespace {

// jdoe is logged on all day, so only the charge's own length is in question.
World logged_on_all_day() {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 18:00:00", 100);
  return w;
}

}  // namespace

TEST_CASE("a three-minute charge carrying tokens is challenged in full", "[short-session]") {
  World w = logged_on_all_day();
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 09:18:12", 7.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "short-session");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK_THAT(f.reason, Catch::Contains("3 min 12 s"));
  CHECK(f.evidence == std::vector<EvidenceRef>{w.rows[0].ref()});
}

TEST_CASE("a charge of exactly five minutes is not short", "[short-session]") {
  World w = logged_on_all_day();
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 09:20:00", 7.0);
  w.charge("C2", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 09:19:59", 10.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK(main_finding(w, r, "C2").rule == "short-session");
}

TEST_CASE("the short-session threshold comes from the settings", "[short-session]") {
  World w = logged_on_all_day();
  w.rules.settings.short_session = 10 * kMinute;
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 09:22:00", 7.0);
  CHECK(main_finding(w, w.run(), "C1").rule == "short-session");
}

TEST_CASE("a charge without an end is not evaluable for short-session", "[short-session]") {
  World w = logged_on_all_day();
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "", 7.0);
  const RuleResults r = w.run();
  CHECK(not_evaluable(r, "short-session") == 1);
  CHECK(findings_for(w, r, "C1").empty());
}

TEST_CASE("a charge already challenged in full by background is not judged again", "[short-session]") {
  World w;
  w.host("ws-0042");  // nobody logged on
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 09:16:00", 7.0);
  const RuleResults r = w.run();
  const Finding f = main_finding(w, r, "C1");
  CHECK(f.rule == "background");
  CHECK(f.other_rules.empty());  // short-session never saw it
  CHECK(not_evaluable(r, "short-session") == 0);
}
