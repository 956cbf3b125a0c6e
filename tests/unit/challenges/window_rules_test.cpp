#include <catch2/catch.hpp>

#include "scenario.h"

using namespace scenario;

namespace {

// A hostless AutoCAD charge (Account-style exports may carry no host): only the window rules can
// judge it. One hour long, billed at the rate.
void acd(World& w, const std::string& id, const std::string& start, const std::string& user = "jdoe") {
  w.charge(id, user, "", "ACD", start, format_utc(at(start) + kHour), 7.0);
}

// A day-granular row of an Account "Token Usage" export: user, product, day; no host, no time.
void daily(World& w, const std::string& id, const std::string& day) {
  MeteringRow& r = w.charge(id, "jdoe", "", "ACD", "", "", 7.0);
  r.usage_date = at(day);
  r.day_granular = true;
}

}  // namespace

TEST_CASE("a second charge three hours after the first is a double charge", "[double-charge]") {
  World w;
  acd(w, "A", "2026-03-02 09:00:00");
  acd(w, "B", "2026-03-02 12:00:00");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "A").empty());
  const Finding f = main_finding(w, r, "B");
  CHECK(f.rule == "double-charge");
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK(contains(f.evidence, w.rows[0].ref()));  // the charge that opened the window
  CHECK(f.evidence.front() == w.rows[1].ref());
  CHECK_THAT(f.reason, Catch::Contains("3 h 00 min after charge A"));
}

TEST_CASE("a charge exactly 24 hours after the last valid one is valid - one second less is not",
          "[double-charge]") {
  World w;
  acd(w, "A", "2026-03-02 09:00:00");
  acd(w, "B", "2026-03-03 09:00:00");
  acd(w, "C", "2026-03-04 08:59:59");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "B").empty());
  CHECK(main_finding(w, r, "C").rule == "double-charge");
}

TEST_CASE("the window runs from the last valid charge, not from a challenged one", "[double-charge]") {
  World w;
  acd(w, "A", "2026-03-02 09:00:00");
  acd(w, "B", "2026-03-02 20:00:00");  // double charge: opens no window
  acd(w, "C", "2026-03-03 09:30:00");  // 24.5 h after A, 13.5 h after B: valid
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "B").rule == "double-charge");
  CHECK(findings_for(w, r, "C").empty());
}

TEST_CASE("charges at the same instant are ordered by record id, not by file order", "[double-charge]") {
  World w;
  acd(w, "R-2", "2026-03-02 09:00:00");
  acd(w, "R-1", "2026-03-02 09:00:00");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "R-1").empty());
  CHECK(main_finding(w, r, "R-2").rule == "double-charge");
}

TEST_CASE("windows are per user and per product", "[double-charge]") {
  World w;
  acd(w, "A", "2026-03-02 09:00:00");
  acd(w, "B", "2026-03-02 10:00:00", "alice");
  w.charge("C", "jdoe", "", "MAYA", "2026-03-02 11:00:00", "2026-03-02 12:00:00", 6.0);
  CHECK(w.run().findings.empty());
}

TEST_CASE("rows that are not charges never open a window", "[double-charge]") {
  World w;
  w.charge("Z", "jdoe", "", "ACD", "2026-03-02 08:00:00", "2026-03-02 09:00:00", 0.0);
  acd(w, "A", "2026-03-02 09:00:00");
  CHECK(w.run().findings.empty());
}

TEST_CASE("a charge starting just after midnight of a session that ran across it is a midnight split",
          "[midnight-split]") {
  World w;
  w.charge("A", "jdoe", "", "ACD", "2026-03-02 20:00:00", "2026-03-03 00:00:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-03-03 00:00:30", "2026-03-03 02:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "A").empty());
  const Finding f = main_finding(w, r, "B");
  CHECK(f.rule == "midnight-split");
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK(contains(f.evidence, w.rows[0].ref()));
  CHECK_THAT(f.reason, Catch::Contains("2026-03-03T00:00:00Z"));
}

TEST_CASE("the user's logon session across midnight shows the split when the first charge has no end",
          "[midnight-split]") {
  World w;
  w.host("ws-0042");
  Session& s = w.session("ws-0042", "jdoe", "2026-03-02 19:00:00", "2026-03-03 01:00:00", 100);
  const std::uint64_t sid = s.id;
  w.charge("A", "jdoe", "ws-0042", "ACD", "2026-03-02 20:00:00", "", 7.0);
  w.charge("B", "jdoe", "ws-0042", "ACD", "2026-03-03 00:00:20", "", 7.0);
  const Finding f = main_finding(w, w.run(), "B");
  CHECK(f.rule == "midnight-split");
  CHECK(contains(f.evidence, event(100)));
  CHECK(f.session_ids == std::vector<std::uint64_t>{sid});
}

TEST_CASE("a charge just after midnight whose earlier charge ended in the evening is a double charge",
          "[midnight-split]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 19:00:00", "2026-03-02 21:00:00", 100);
  w.session("ws-0042", "jdoe", "2026-03-02 23:59:00", "2026-03-03 02:00:00", 200);
  w.charge("A", "jdoe", "ws-0042", "ACD", "2026-03-02 20:00:00", "2026-03-02 21:00:00", 7.0);
  w.charge("B", "jdoe", "ws-0042", "ACD", "2026-03-03 00:00:20", "2026-03-03 01:00:00", 7.0);
  CHECK(main_finding(w, w.run(), "B").rule == "double-charge");
}

TEST_CASE("a charge beyond the midnight window is a double charge even after a session across midnight",
          "[midnight-split]") {
  World w;
  w.charge("A", "jdoe", "", "ACD", "2026-03-02 20:00:00", "2026-03-03 00:00:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-03-03 00:01:05", "2026-03-03 02:00:00", 7.0);
  CHECK(main_finding(w, w.run(), "B").rule == "double-charge");
}

TEST_CASE("calendar-day: a second charge the same billing day is a double charge - the next day is not",
          "[double-charge][calendar-day]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  acd(w, "A", "2026-03-02 08:00:00");
  acd(w, "B", "2026-03-02 23:30:00");
  acd(w, "C", "2026-03-03 00:30:00");  // one hour after B, but another day
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "A").empty());
  const Finding f = main_finding(w, r, "B");
  CHECK(f.rule == "double-charge");
  CHECK_THAT(f.reason, Catch::Contains("billing day 2026-03-02"));
  CHECK(findings_for(w, r, "C").empty());
}

TEST_CASE("calendar-day judges day-granular rows by their usage date", "[double-charge][calendar-day]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  daily(w, "D1", "2026-03-02");
  daily(w, "D2", "2026-03-02");
  daily(w, "D3", "2026-03-03");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "D1").empty());
  CHECK(main_finding(w, r, "D2").rule == "double-charge");
  CHECK(findings_for(w, r, "D3").empty());
  CHECK(not_evaluable(r, "double-charge") == 0);
}

TEST_CASE("rolling-24h cannot judge day-granular rows: they are counted as not evaluable", "[double-charge]") {
  World w;
  daily(w, "D1", "2026-03-02");
  daily(w, "D2", "2026-03-02");
  const RuleResults r = w.run();
  CHECK(r.findings.empty());
  CHECK(not_evaluable(r, "double-charge") == 2);
}

// America/Chicago: 2026-03-08 02:00 CST -> 03:00 CDT (a 23-hour day); 2026-11-01 02:00 CDT -> 01:00 CST
// (a 25-hour day). Midnight is 06:00Z in CST and 05:00Z in CDT.

TEST_CASE("calendar-day in Chicago across the spring-forward day", "[calendar-day][dst]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  w.rules.settings.billing_tz = "America/Chicago";
  acd(w, "EVE", "2026-03-08 05:30:00");    // 23:30 CST, 7 March
  acd(w, "MORN", "2026-03-08 06:10:00");   // 00:10 CST, 8 March
  acd(w, "NIGHT", "2026-03-09 04:50:00");  // 23:50 CDT, 8 March: same billing day as MORN
  acd(w, "NEXT", "2026-03-09 05:10:00");   // 00:10 CDT, 9 March
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "EVE").empty());
  CHECK(findings_for(w, r, "MORN").empty());
  CHECK(main_finding(w, r, "NIGHT").rule == "double-charge");
  CHECK_THAT(main_finding(w, r, "NIGHT").reason, Catch::Contains("2026-03-08"));
  CHECK(findings_for(w, r, "NEXT").empty());
}

TEST_CASE("calendar-day in Chicago across the fall-back day: 24 hours apart, still one billing day",
          "[calendar-day][dst]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  w.rules.settings.billing_tz = "America/Chicago";
  acd(w, "FIRST", "2026-11-01 05:30:00");   // 00:30 CDT, 1 November
  acd(w, "LAST", "2026-11-02 05:30:00");    // 23:30 CST, 1 November (25-hour day)
  acd(w, "AFTER", "2026-11-02 06:10:00");   // 00:10 CST, 2 November
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "LAST").rule == "double-charge");
  CHECK(findings_for(w, r, "AFTER").empty());
  // The same charges billed by UTC days: LAST and AFTER fall on 2 November, FIRST on 1 November.
  World utc = w;
  utc.rules.settings.billing_tz = "UTC";
  const RuleResults ru = utc.run();
  CHECK(findings_for(utc, ru, "LAST").empty());
  CHECK(main_finding(utc, ru, "AFTER").rule == "double-charge");
}

TEST_CASE("calendar-day in Dublin: winter billing days run midnight to midnight UTC", "[calendar-day][history]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  w.rules.settings.billing_tz = "Europe/Dublin";
  acd(w, "LATE", "2025-01-15 23:30:00");   // 23:30 GMT, 15 January
  acd(w, "NEXT", "2025-01-16 20:00:00");   // 20:00 GMT, 16 January: a new billing day
  acd(w, "AGAIN", "2025-01-16 23:10:00");  // 23:10 GMT, still 16 January
  // Summer is UTC+1: 23:30Z is already the next day.
  acd(w, "JULY", "2025-07-15 22:30:00");   // 23:30 IST, 15 July
  acd(w, "JULY2", "2025-07-15 23:30:00");  // 00:30 IST, 16 July
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "LATE").empty());
  CHECK(findings_for(w, r, "NEXT").empty());
  CHECK(main_finding(w, r, "AGAIN").rule == "double-charge");
  CHECK_THAT(main_finding(w, r, "AGAIN").reason, Catch::Contains("2025-01-16 (Europe/Dublin)"));
  CHECK(findings_for(w, r, "JULY").empty());
  CHECK(findings_for(w, r, "JULY2").empty());
}

TEST_CASE("calendar-day in Sao Paulo follows the daylight saving Brazil had in 2018 and dropped in 2019",
          "[calendar-day][history]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  w.rules.settings.billing_tz = "America/Sao_Paulo";
  acd(w, "DAY14", "2018-12-14 12:00:00");   // 10:00 -02, 14 December
  acd(w, "DAY15", "2018-12-15 02:30:00");   // 00:30 -02, 15 December (23:30 on the 14th at -03)
  acd(w, "DAY20", "2020-12-14 12:00:00");   // 09:00 -03, 14 December
  acd(w, "SAME20", "2020-12-15 02:30:00");  // 23:30 -03, still 14 December
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "DAY14").empty());
  CHECK(findings_for(w, r, "DAY15").empty());
  CHECK(findings_for(w, r, "DAY20").empty());
  CHECK(main_finding(w, r, "SAME20").rule == "double-charge");
  CHECK_THAT(main_finding(w, r, "SAME20").reason, Catch::Contains("2020-12-14 (America/Sao_Paulo)"));
}

TEST_CASE("calendar-day in Havana: a day that starts after a gap at midnight and one repeated by an overlap",
          "[calendar-day][dst]") {
  World w;
  w.rules.settings.billing_model = BillingModel::CalendarDay;
  w.rules.settings.billing_tz = "America/Havana";
  acd(w, "SAT", "2025-03-09 04:30:00");      // 23:30 CST, 8 March
  acd(w, "SUN", "2025-03-09 05:00:00");      // 01:00 CDT, the first instant of 9 March
  acd(w, "FIRST", "2025-11-02 04:10:00");    // 00:10 CDT, 2 November
  acd(w, "REPEAT", "2025-11-02 05:10:00");   // 00:10 CST, the same wall time again: same day
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "SAT").empty());
  CHECK(findings_for(w, r, "SUN").empty());
  CHECK(findings_for(w, r, "FIRST").empty());
  CHECK(main_finding(w, r, "REPEAT").rule == "double-charge");
}

TEST_CASE("rolling-24h midnight split at Lord Howe's half-hour-shifted midnight", "[midnight-split][history]") {
  World w;
  w.rules.settings.billing_tz = "Australia/Lord_Howe";
  // Midnight of 15 July 2026 at +10:30 is 13:30Z on the 14th.
  w.charge("A", "jdoe", "", "ACD", "2026-07-14 09:00:00", "2026-07-14 13:30:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-07-14 13:30:30", "2026-07-14 15:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "B").rule == "midnight-split");
  CHECK_THAT(main_finding(w, r, "B").reason, Catch::Contains("2026-07-14T13:30:00Z"));
}

TEST_CASE("rolling-24h midnight split uses the billing zone's midnight after spring-forward",
          "[midnight-split][dst]") {
  World w;
  w.rules.settings.billing_tz = "America/Chicago";
  // First half runs to local midnight of 9 March, 05:00Z (CDT).
  w.charge("A", "jdoe", "", "ACD", "2026-03-08 22:00:00", "2026-03-09 05:00:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-03-09 05:00:30", "2026-03-09 07:00:00", 7.0);
  // Same shape one hour later (06:00Z would be midnight under CST, but not on this day).
  w.charge("C", "alice", "", "ACD", "2026-03-08 22:00:00", "2026-03-09 06:00:00", 7.0);
  w.charge("D", "alice", "", "ACD", "2026-03-09 06:00:30", "2026-03-09 07:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "B").rule == "midnight-split");
  CHECK_THAT(main_finding(w, r, "B").reason, Catch::Contains("2026-03-09T05:00:00Z"));
  CHECK(main_finding(w, r, "D").rule == "double-charge");
}

TEST_CASE("rolling-24h midnight split uses the billing zone's midnight after fall-back", "[midnight-split][dst]") {
  World w;
  w.rules.settings.billing_tz = "America/Chicago";
  // Local midnight of 2 November is 06:00Z (CST); 05:00Z is 23:00 CST on 1 November.
  w.charge("A", "jdoe", "", "ACD", "2026-11-01 20:00:00", "2026-11-02 06:00:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-11-02 06:00:20", "2026-11-02 07:00:00", 7.0);
  w.charge("C", "alice", "", "ACD", "2026-11-01 20:00:00", "2026-11-02 05:00:00", 7.0);
  w.charge("D", "alice", "", "ACD", "2026-11-02 05:00:20", "2026-11-02 07:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "B").rule == "midnight-split");
  CHECK(main_finding(w, r, "D").rule == "double-charge");
}

TEST_CASE("rolling-24h midnight split at UTC midnight by default", "[midnight-split]") {
  World w;
  w.charge("A", "jdoe", "", "ACD", "2026-03-08 22:00:00", "2026-03-09 05:00:00", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-03-09 05:00:30", "2026-03-09 07:00:00", 7.0);
  CHECK(main_finding(w, w.run(), "B").rule == "double-charge");
}

TEST_CASE("a first half ending one second before midnight is still split at midnight", "[midnight-split]") {
  World w;
  w.charge("A", "jdoe", "", "ACD", "2026-03-02 20:00:00", "2026-03-02 23:59:59", 7.0);
  w.charge("B", "jdoe", "", "ACD", "2026-03-03 00:00:00", "2026-03-03 02:00:00", 7.0);
  // A charge that ended two minutes before midnight did not run across it.
  w.charge("C", "alice", "", "ACD", "2026-03-02 20:00:00", "2026-03-02 23:58:00", 7.0);
  w.charge("D", "alice", "", "ACD", "2026-03-03 00:00:10", "2026-03-03 02:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "B").rule == "midnight-split");
  CHECK(main_finding(w, r, "D").rule == "double-charge");
}

TEST_CASE("numeric record ids break ties numerically", "[double-charge]") {
  World w;
  acd(w, "10", "2026-03-02 09:00:00");
  acd(w, "9", "2026-03-02 09:00:00");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "9").empty());
  CHECK(main_finding(w, r, "10").rule == "double-charge");
}

TEST_CASE("record ids made of file and line break ties in line order", "[double-charge]") {
  World w;
  acd(w, "usage.csv:10", "2026-03-02 09:00:00");
  acd(w, "usage.csv:9", "2026-03-02 09:00:00");
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "usage.csv:9").empty());
  CHECK(main_finding(w, r, "usage.csv:10").rule == "double-charge");
}
