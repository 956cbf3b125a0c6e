#include <catch2/catch.hpp>

#include "flexrecon/error.h"
#include "flexrecon/time.h"

using namespace flexrecon;

TEST_CASE("timestamps in every metering and event form parse to the same UTC instant") {
  const Instant expected = *parse_timestamp("2026-11-02 10:15:30");
  CHECK(format_utc(expected) == "2026-11-02T10:15:30Z");
  CHECK(*parse_timestamp("2026-11-02T10:15:30") == expected);
  CHECK(*parse_timestamp("2026-11-02T10:15:30Z") == expected);
  CHECK(*parse_timestamp("2026-11-02 10:15:30.0000000") == expected);
  CHECK(*parse_timestamp("2026-11-02T11:15:30+01:00") == expected);
  CHECK(*parse_timestamp("2026-11-02T05:15:30-05:00") == expected);
  CHECK(*parse_timestamp("2026-11-02T10:15:30.123456789Z") == expected + 123456);
  CHECK(*parse_timestamp("2021-10-20 13:39:12.731903") - *parse_timestamp("2021-10-20 13:39:12") == 731903);
}

TEST_CASE("impossible timestamps are rejected with the reason") {
  std::string why;
  CHECK_FALSE(parse_timestamp("2025-02-30 10:00:00", &why));
  CHECK(why == "impossible date in '2025-02-30 10:00:00'");
  CHECK_FALSE(parse_timestamp("2025-01-01 25:00:00", &why));
  CHECK(why == "hour 25 out of range in '2025-01-01 25:00:00'");
  CHECK_FALSE(parse_timestamp("2025-01-01 24:00:00", &why));
  CHECK(why == "hour 24 out of range in '2025-01-01 24:00:00'");
  CHECK_FALSE(parse_timestamp("2016-12-31 23:59:60", &why));
  CHECK(why == "second 60 out of range in '2016-12-31 23:59:60'");
  CHECK_FALSE(parse_timestamp("yesterday", &why));
  CHECK(why == "not a timestamp 'yesterday'");
  CHECK(parse_timestamp("2024-02-29 00:00:00"));
}

TEST_CASE("a date alone is midnight UTC and SCCM compact dates parse") {
  auto p = parse_timestamp_ex("2026-03-08");
  REQUIRE(p);
  CHECK(p->date_only);
  CHECK(format_utc(p->utc) == "2026-03-08T00:00:00Z");
  CHECK(format_utc(*parse_compact_date("20250115")) == "2025-01-15T00:00:00Z");
  CHECK_FALSE(parse_compact_date("20250230"));
}

TEST_CASE("Chicago offsets follow daylight saving on both transition days") {
  const Instant before_spring = *parse_timestamp("2026-03-08T07:59:59Z");  // 01:59:59 CST
  const Instant after_spring = *parse_timestamp("2026-03-08T08:00:00Z");   // 03:00:00 CDT
  CHECK(zone_offset("America/Chicago", before_spring) == -6 * kHour);
  CHECK(zone_offset("America/Chicago", after_spring) == -5 * kHour);
  const Instant before_fall = *parse_timestamp("2026-11-01T06:59:59Z");  // 01:59:59 CDT
  const Instant after_fall = *parse_timestamp("2026-11-01T07:00:00Z");   // 01:00:00 CST
  CHECK(zone_offset("America/Chicago", before_fall) == -5 * kHour);
  CHECK(zone_offset("America/Chicago", after_fall) == -6 * kHour);
  // The spring-forward day is 23 hours long, the fall-back day 25.
  const Instant spring_day = day_start("America/Chicago", after_spring);
  CHECK(format_utc(spring_day) == "2026-03-08T06:00:00Z");
  CHECK(day_start("America/Chicago", spring_day + 23 * kHour) - spring_day == 23 * kHour);
  const Instant fall_day = day_start("America/Chicago", after_fall);
  CHECK(format_utc(fall_day) == "2026-11-01T05:00:00Z");
  CHECK(day_start("America/Chicago", fall_day + 25 * kHour) - fall_day == 25 * kHour);
}

TEST_CASE("zones east of UTC and unknown zones") {
  CHECK(zone_offset("Europe/Berlin", *parse_timestamp("2026-07-01T12:00:00Z")) == 2 * kHour);
  CHECK(zone_offset("Asia/Kolkata", *parse_timestamp("2026-07-01T12:00:00Z")) == 5 * kHour + 30 * kMinute);
  CHECK(zone_offset("UTC", 0) == 0);
  CHECK_FALSE(is_known_zone("Mars/Olympus_Mons"));
  CHECK_THROWS_AS(zone_offset("Mars/Olympus_Mons", 0), Error);
}

TEST_CASE("local wall time converts back to UTC, ambiguous hours taking the earlier instant") {
  CHECK(format_utc(local_to_utc("America/Chicago", *parse_timestamp("2026-07-01T09:00:00"))) == "2026-07-01T14:00:00Z");
  CHECK(format_utc(local_to_utc("America/Chicago", *parse_timestamp("2026-11-01T01:30:00"))) == "2026-11-01T06:30:00Z");
}
