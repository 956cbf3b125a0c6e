// The POSIX TZ rules that end each tz database file and carry a zone past its last transition.
#include <catch2/catch.hpp>

#include "flexrecon/time.h"
#include "util/posix_tz_rule.h"

using namespace flexrecon;

namespace {
Instant utc(const char* text) { return *parse_timestamp(text); }
}  // namespace

TEST_CASE("a northern rule: Chicago's second Sunday of March to first Sunday of November") {
  const auto rule = parse_posix_tz_rule("CST6CDT,M3.2.0,M11.1.0");
  REQUIRE(rule);
  CHECK(rule->standard == -6 * kHour);
  CHECK(rule->daylight == -5 * kHour);
  // 2045: 12 March and 5 November, at 02:00 local.
  CHECK(rule->offset_at(utc("2045-03-12T07:59:59Z")) == -6 * kHour);
  CHECK(rule->offset_at(utc("2045-03-12T08:00:00Z")) == -5 * kHour);
  CHECK(rule->offset_at(utc("2045-11-05T06:59:59Z")) == -5 * kHour);
  CHECK(rule->offset_at(utc("2045-11-05T07:00:00Z")) == -6 * kHour);
}

TEST_CASE("Dublin's negative daylight saving and quoted numeric abbreviations parse") {
  const auto dublin = parse_posix_tz_rule("IST-1GMT0,M10.5.0,M3.5.0/1");
  REQUIRE(dublin);
  CHECK(dublin->offset_at(utc("2045-01-15T12:00:00Z")) == 0);
  CHECK(dublin->offset_at(utc("2045-07-15T12:00:00Z")) == kHour);
  const auto lord_howe = parse_posix_tz_rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  REQUIRE(lord_howe);
  CHECK(lord_howe->offset_at(utc("2045-07-15T00:00:00Z")) == 10 * kHour + 30 * kMinute);
  CHECK(lord_howe->offset_at(utc("2045-01-15T00:00:00Z")) == 11 * kHour);
  const auto sao_paulo = parse_posix_tz_rule("<-03>3");
  REQUIRE(sao_paulo);
  CHECK_FALSE(sao_paulo->daylight);
  CHECK(sao_paulo->offset_at(utc("2045-01-15T00:00:00Z")) == -3 * kHour);
}

TEST_CASE("rule times past 24 h, negative ones and the last week of a month") {
  // Santiago: first Saturday of September at 24:00 is the Sunday's midnight.
  const auto santiago = parse_posix_tz_rule("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
  REQUIRE(santiago);
  CHECK(santiago->offset_at(utc("2040-09-02T03:59:59Z")) == -4 * kHour);
  CHECK(santiago->offset_at(utc("2040-09-02T04:00:00Z")) == -3 * kHour);
  // Nuuk: last Saturday of March at -1:00, i.e. 23:00 on the Saturday before the last Sunday.
  const auto nuuk = parse_posix_tz_rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  REQUIRE(nuuk);
  CHECK(nuuk->offset_at(utc("2045-03-26T00:59:59Z")) == -2 * kHour);  // last Sunday of March 2045: the 26th
  CHECK(nuuk->offset_at(utc("2045-03-26T01:00:00Z")) == -1 * kHour);
  // Julian days: J60 is 1 March even in a leap year.
  const auto julian = parse_posix_tz_rule("AAA0BBB,J60/0,J300/0");
  REQUIRE(julian);
  CHECK(julian->offset_at(utc("2048-02-29T12:00:00Z")) == 0);
  CHECK(julian->offset_at(utc("2048-03-01T00:00:00Z")) == kHour);
}

TEST_CASE("malformed rules are refused") {
  for (const char* text : {"", "CST", "C6", "CST6CDT,M13.1.0,M11.1.0", "CST6CDT,M3.6.0,M11.1.0", "CST6CDT,M3.2.0",
                           "<+03-3", "CST6CDT,M3.2.0,M11.1.0 trailing", "CST999"}) {
    INFO(text);
    CHECK_FALSE(parse_posix_tz_rule(text));
  }
}
