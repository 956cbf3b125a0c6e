#include <catch2/catch.hpp>

#include <set>

#include "scenario.h"

using namespace scenario;

TEST_CASE("a background charge followed within 24 h by a legitimate one: the legitimate one stays valid",
          "[precedence][background][double-charge]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 13:00:00", "2026-03-02 18:00:00", 100);
  w.charge("BG", "jdoe", "ws-0042", "ACD", "2026-03-02 06:00:00", "2026-03-02 07:00:00", 7.0);  // nobody there
  w.charge("OK", "jdoe", "ws-0042", "ACD", "2026-03-02 14:00:00", "2026-03-02 15:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "BG").rule == "background");
  // BG was challenged in full, so it opened no 24-hour window: OK is the day's one charge.
  CHECK(findings_for(w, r, "OK").empty());
}

TEST_CASE("min-confidence high drops medium challenges, and the charge then opens its window",
          "[precedence][min-confidence]") {
  World w;
  w.rules.settings.min_confidence = Confidence::High;
  w.host("ws-0042");
  w.session("ws-0042", "alice", "2026-03-02 05:00:00", "2026-03-02 08:00:00", 50);
  w.session("ws-0042", "jdoe", "2026-03-02 13:00:00", "2026-03-02 18:00:00", 100);
  w.charge("BG", "jdoe", "ws-0042", "ACD", "2026-03-02 06:00:00", "2026-03-02 07:00:00", 7.0);  // alice there
  w.charge("OK", "jdoe", "ws-0042", "ACD", "2026-03-02 14:00:00", "2026-03-02 15:00:00", 7.0);
  const RuleResults r = w.run();
  // The medium background claim is reported as a note, not counted.
  const std::vector<Finding> bg = findings_for(w, r, "BG");
  REQUIRE(bg.size() == 1);
  CHECK(bg[0].status == FindingStatus::Note);
  CHECK(bg[0].rule == "background");
  CHECK(bg[0].tokens_challenged == 0);
  CHECK_THAT(bg[0].reason, Catch::StartsWith("not counted: confidence medium is below the minimum high"));
  // Not challenged, BG stays a charge and opens the window OK falls into.
  CHECK(main_finding(w, r, "OK").rule == "double-charge");

  // At the default minimum the same evidence challenges BG and leaves OK alone.
  World lax = w;
  lax.rules.settings.min_confidence = Confidence::Medium;
  const RuleResults rl = lax.run();
  CHECK(main_finding(lax, rl, "BG").status == FindingStatus::Challenged);
  CHECK(findings_for(lax, rl, "OK").empty());
}

TEST_CASE("a midnight split whose first half is misclassified: both halves are challenged",
          "[precedence][misclassification][midnight-split]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 19:00:00", "2026-03-03 02:00:00", 100);
  w.installed("ws-0042", "RVTLT", "2025", "2025-06-01");
  w.charge("H1", "jdoe", "ws-0042", "RVT", "2026-03-02 20:00:00", "2026-03-03 00:00:00", 10.0);
  w.charge("H2", "jdoe", "ws-0042", "RVT", "2026-03-03 00:00:10", "2026-03-03 01:30:00", 10.0);
  const RuleResults r = w.run();
  const Finding first = main_finding(w, r, "H1");
  CHECK(first.rule == "misclassification");
  CHECK(first.tokens_challenged == Approx(5.0));
  // Partly challenged, the first half still counts as the day's charge and opens the window.
  const Finding second = main_finding(w, r, "H2");
  CHECK(second.rule == "midnight-split");
  CHECK(second.tokens_challenged == Approx(10.0));
  CHECK(second.other_rules == std::vector<std::string>{"misclassification"});
}

TEST_CASE("several rules on one charge: one row, the largest claim, never more than billed",
          "[precedence]") {
  World w;
  w.charge("A", "jdoe", "", "RVT", "2026-03-02 09:00:00", "2026-03-02 12:00:00", 14.0);
  w.charge("B", "jdoe", "", "RVT", "2026-03-02 13:00:00", "2026-03-02 15:00:00", 14.0);
  const RuleResults r = w.run();
  // A: only its excess over the rate.
  const Finding a = main_finding(w, r, "A");
  CHECK(a.rule == "rate-mismatch");
  CHECK(a.tokens_challenged == Approx(4.0));
  // B: rate excess (4) and double charge (14) do not add up to 18.
  const Finding b = main_finding(w, r, "B");
  CHECK(b.rule == "double-charge");
  CHECK(b.tokens_challenged == Approx(14.0));
  CHECK(b.other_rules == std::vector<std::string>{"rate-mismatch"});
  double total = 0;
  for (const Finding& f : r.findings) {
    CHECK(f.tokens_challenged <= w.rows.at(f.row).tokens);
    if (f.status == FindingStatus::Challenged) total += f.tokens_challenged;
  }
  CHECK(total == Approx(18.0));
}

TEST_CASE("challenged wins over insufficient evidence on the same charge", "[precedence]") {
  World w;  // no event log for ws-0042: background cannot decide
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 09:17:00", 7.0);
  const RuleResults r = w.run();
  const std::vector<Finding> fs = findings_for(w, r, "C1");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].status == FindingStatus::Challenged);
  CHECK(fs[0].rule == "short-session");
}

TEST_CASE("insufficient evidence leaves the charge to the later rules", "[precedence]") {
  World w;  // no event log: background insufficient, then the window rules still judge
  w.charge("A", "jdoe", "ws-0042", "ACD", "2026-03-02 09:00:00", "2026-03-02 10:00:00", 7.0);
  w.charge("B", "jdoe", "ws-0042", "ACD", "2026-03-02 11:00:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "A").status == FindingStatus::InsufficientEvidence);
  CHECK(main_finding(w, r, "B").rule == "double-charge");
}

TEST_CASE("notes follow their charge's main row and ids run in metering row order", "[precedence]") {
  World w;
  w.host("ws-0042");
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.charge("A", "jdoe", "ws-0042", "RVT", "2026-03-02 09:00:00", "2026-03-02 10:00:00", 12.0);  // nobody there
  w.rows.back().version = "2024";
  w.charge("B", "jdoe", "ws-0042", "ACD", "2026-03-02 09:00:00", "2026-03-02 09:01:00", 7.0);
  const RuleResults r = w.run();
  // Background challenges A in full, so the product rules never see it: no version note.
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].id == "F00001");
  CHECK(r.findings[0].row == 0);
  CHECK(r.findings[1].id == "F00002");
  CHECK(r.findings[1].row == 1);

  World seen;  // jdoe present: A reaches the product rules
  seen.host("ws-0042");
  seen.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 18:00:00", 100);
  seen.installed("ws-0042", "RVT", "2025", "2025-06-01");
  seen.charge("A", "jdoe", "ws-0042", "RVT", "2026-03-02 09:00:00", "2026-03-02 10:00:00", 12.0);
  seen.rows.back().version = "2024";
  const RuleResults rs = seen.run();
  REQUIRE(rs.findings.size() == 2);
  CHECK(rs.findings[0].rule == "rate-mismatch");
  CHECK(rs.findings[0].status == FindingStatus::Challenged);
  CHECK(rs.findings[1].rule == "version-mismatch");
  CHECK(rs.findings[1].status == FindingStatus::Note);
  CHECK(rs.findings[1].id == "F00002");
}

TEST_CASE("evidence lists the metering row first, then each reference once in order", "[precedence]") {
  World w;
  w.host("ws-0042");
  Session& s = w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 17:00:00", 300);
  s.evidence = {event(302), event(300), event(302)};
  s.idle.push_back(IdleSpan{Span{at("2026-03-02 09:00:00"), at("2026-03-02 10:00:00")}, "locked", {event(301)}});
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 10:15:00", 7.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.evidence == std::vector<EvidenceRef>{w.rows[0].ref(), event(300), event(301), event(302)});
}

TEST_CASE("the same inputs give identical findings", "[precedence]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "alice", "2026-03-02 05:00:00", "2026-03-02 08:00:00", 50);
  for (int i = 0; i < 6; ++i) {
    w.charge("C" + std::to_string(i), i % 2 ? "jdoe" : "bob", i % 3 ? "ws-0042" : "", "ACD",
             format_utc(at("2026-03-02 06:00:00") + i * 3 * kHour), format_utc(at("2026-03-02 06:00:00") + i * 3 * kHour + 2 * kMinute + i * kMinute), 7.0 + i);
  }
  const RuleResults a = w.run();
  const RuleResults b = w.run();
  REQUIRE(a.findings.size() == b.findings.size());
  REQUIRE_FALSE(a.findings.empty());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].id == b.findings[i].id);
    CHECK(a.findings[i].rule == b.findings[i].rule);
    CHECK(a.findings[i].reason == b.findings[i].reason);
    CHECK(a.findings[i].tokens_challenged == b.findings[i].tokens_challenged);
    CHECK(a.findings[i].evidence == b.findings[i].evidence);
    ids.insert(a.findings[i].id);
  }
  CHECK(ids.size() == a.findings.size());
  CHECK(a.not_evaluable.by_rule == b.not_evaluable.by_rule);
}

TEST_CASE("status names are the values of the status column", "[precedence]") {
  CHECK(status_name(FindingStatus::Challenged) == "challenged");
  CHECK(status_name(FindingStatus::InsufficientEvidence) == "insufficient-evidence");
  CHECK(status_name(FindingStatus::Note) == "note");
}
