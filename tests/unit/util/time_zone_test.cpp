// IANA zones with their history (src/util/time_zone.cpp): the offset in force at each instant,
// billing-day starts across daylight-saving gaps and overlaps, and instants far from today.
#include <catch2/catch.hpp>

#include "flexrecon/error.h"
#include "flexrecon/time.h"

using namespace flexrecon;

namespace {

Instant utc(const char* text) { return *parse_timestamp(text); }

// The local day containing `t` in `zone`, as [start, next start) in UTC text.
std::string day_of(const std::string& zone, Instant t) {
  const Instant start = day_start(zone, t);
  // Days last 23 to 25 hours, so 26 hours on is always inside the next day.
  const Instant next = day_start(zone, start + 26 * kHour);
  return format_utc(start) + "/" + format_utc(next);
}

}  // namespace

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

TEST_CASE("UTC and its spellings have no offset and calendar days start at 00:00Z") {
  const Instant t = utc("2026-07-01T12:34:56.789Z");
  for (const char* zone : {"", "UTC", "Z", "Etc/UTC"}) {
    CHECK(is_known_zone(zone));
    CHECK(zone_offset(zone, t) == 0);
    CHECK(local_to_utc(zone, t) == t);
    CHECK(format_utc(day_start(zone, t)) == "2026-07-01T00:00:00Z");
  }
  CHECK(format_utc(day_start("UTC", utc("1969-12-31T23:59:59.5Z"))) == "1969-12-31T00:00:00Z");
}

TEST_CASE("unknown zones are usage errors that name the zone") {
  CHECK_FALSE(is_known_zone("Europe/Atlantis"));
  CHECK_FALSE(is_known_zone("../../etc/passwd"));
  CHECK_FALSE(is_known_zone("localtime"));  // the machine's zone: packs would differ between machines
  try {
    day_start("Europe/Atlantis", 0);
    FAIL("no error for an unknown zone");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Usage);
    CHECK_THAT(e.what(), Catch::Contains("'Europe/Atlantis'"));
  }
}

TEST_CASE("Europe/Dublin: negative daylight saving keeps winter at UTC+0 and summer at UTC+1") {
  // Irish law makes summer time the standard (IST, +1) and winter the "daylight saving" (GMT, +0).
  CHECK(zone_offset("Europe/Dublin", utc("2025-01-15T12:00:00Z")) == 0);
  CHECK(zone_offset("Europe/Dublin", utc("2025-07-15T12:00:00Z")) == kHour);
  CHECK(day_of("Europe/Dublin", utc("2025-01-15T12:00:00Z")) == "2025-01-15T00:00:00Z/2025-01-16T00:00:00Z");
  CHECK(day_of("Europe/Dublin", utc("2025-07-15T12:00:00Z")) == "2025-07-14T23:00:00Z/2025-07-15T23:00:00Z");
  // 23:30Z on 15 January is still 15 January in Dublin; in July it is already the 16th.
  CHECK(format_utc(day_start("Europe/Dublin", utc("2025-01-15T23:30:00Z"))) == "2025-01-15T00:00:00Z");
  CHECK(format_utc(day_start("Europe/Dublin", utc("2025-07-15T23:30:00Z"))) == "2025-07-15T23:00:00Z");
  CHECK(format_utc(local_to_utc("Europe/Dublin", utc("2025-01-15T09:00:00"))) == "2025-01-15T09:00:00Z");
  CHECK(format_utc(local_to_utc("Europe/Dublin", utc("2025-07-15T09:00:00"))) == "2025-07-15T08:00:00Z");
}

TEST_CASE("America/Sao_Paulo: daylight saving in 2018, none since 2019") {
  CHECK(zone_offset("America/Sao_Paulo", utc("2018-12-15T12:00:00Z")) == -2 * kHour);
  CHECK(zone_offset("America/Sao_Paulo", utc("2020-12-15T12:00:00Z")) == -3 * kHour);
  CHECK(day_of("America/Sao_Paulo", utc("2018-12-15T12:00:00Z")) == "2018-12-15T02:00:00Z/2018-12-16T02:00:00Z");
  CHECK(day_of("America/Sao_Paulo", utc("2020-12-15T12:00:00Z")) == "2020-12-15T03:00:00Z/2020-12-16T03:00:00Z");
  // Brazil's clocks went from 00:00 to 01:00 on 4 November 2018: that day began at 01:00 -02.
  CHECK(day_of("America/Sao_Paulo", utc("2018-11-04T12:00:00Z")) == "2018-11-04T03:00:00Z/2018-11-05T02:00:00Z");
}

TEST_CASE("Australia/Lord_Howe: a 30-minute daylight-saving shift") {
  CHECK(zone_offset("Australia/Lord_Howe", utc("2026-01-15T00:00:00Z")) == 11 * kHour);
  CHECK(zone_offset("Australia/Lord_Howe", utc("2026-07-15T00:00:00Z")) == 10 * kHour + 30 * kMinute);
  CHECK(format_utc(day_start("Australia/Lord_Howe", utc("2026-07-15T00:00:00Z"))) == "2026-07-14T13:30:00Z");
  // On 4 October 2026 the clocks go from 02:00 to 02:30: a 23.5-hour day.
  const Instant start = day_start("Australia/Lord_Howe", utc("2026-10-04T06:00:00Z"));
  CHECK(format_utc(start) == "2026-10-03T13:30:00Z");
  CHECK(day_start("Australia/Lord_Howe", start + 23 * kHour + 30 * kMinute) - start == 23 * kHour + 30 * kMinute);
  CHECK(day_start("Australia/Lord_Howe", start + 23 * kHour + 29 * kMinute) == start);
}

TEST_CASE("America/Havana: a midnight in the spring-forward gap starts the day at the gap's end") {
  // 9 March 2025: 00:00 CST jumps to 01:00 CDT (05:00Z), so no wall clock shows midnight.
  CHECK(day_of("America/Havana", utc("2025-03-09T12:00:00Z")) == "2025-03-09T05:00:00Z/2025-03-10T04:00:00Z");
  CHECK(day_of("America/Havana", utc("2025-03-08T12:00:00Z")) == "2025-03-08T05:00:00Z/2025-03-09T05:00:00Z");
  // The first instant of the day belongs to it, the one before to the day before.
  CHECK(format_utc(day_start("America/Havana", utc("2025-03-09T05:00:00Z"))) == "2025-03-09T05:00:00Z");
  CHECK(format_utc(day_start("America/Havana", utc("2025-03-09T04:59:59Z"))) == "2025-03-08T05:00:00Z");
  // A wall time inside the gap is read with the offset before it: 00:30 CST is 01:30 CDT.
  CHECK(format_utc(local_to_utc("America/Havana", utc("2025-03-09T00:30:00"))) == "2025-03-09T05:30:00Z");
}

TEST_CASE("America/Havana: a midnight repeated by the fall-back overlap starts the day the first time") {
  // 2 November 2025: 01:00 CDT goes back to 00:00 CST, so 00:00-00:59 happens twice.
  CHECK(day_of("America/Havana", utc("2025-11-02T12:00:00Z")) == "2025-11-02T04:00:00Z/2025-11-03T05:00:00Z");
  // 00:30 CST (the second pass) is on the day that began at the first midnight.
  CHECK(format_utc(day_start("America/Havana", utc("2025-11-02T05:30:00Z"))) == "2025-11-02T04:00:00Z");
  CHECK(format_utc(day_start("America/Havana", utc("2025-11-02T03:59:59Z"))) == "2025-11-01T04:00:00Z");
  // An ambiguous wall time takes the earlier instant.
  CHECK(format_utc(local_to_utc("America/Havana", utc("2025-11-02T00:30:00"))) == "2025-11-02T04:30:00Z");
}

TEST_CASE("America/Santiago: clocks jumping at midnight in both directions") {
  // 5 April 2026: 00:00 -03 goes back to 23:00 -04 on the 4th, a 25-hour Saturday.
  CHECK(day_of("America/Santiago", utc("2026-04-04T12:00:00Z")) == "2026-04-04T03:00:00Z/2026-04-05T04:00:00Z");
  // 6 September 2026: 00:00 -04 jumps to 01:00 -03, a 23-hour Sunday that starts at 04:00Z.
  CHECK(day_of("America/Santiago", utc("2026-09-06T12:00:00Z")) == "2026-09-06T04:00:00Z/2026-09-07T03:00:00Z");
}

TEST_CASE("fractions of a second never move an instant to another offset or day") {
  const Instant before = utc("2026-03-08T07:59:59.999999Z");  // Chicago, the last CST microsecond
  CHECK(zone_offset("America/Chicago", before) == -6 * kHour);
  CHECK(zone_offset("America/Chicago", before + 1) == -5 * kHour);
  CHECK(format_utc(day_start("America/Chicago", utc("1969-07-20T20:17:40.5Z"))) == "1969-07-20T05:00:00Z");
}

TEST_CASE("instants far from today convert without error") {
  // Before a zone's first transition the tz database gives local mean time (Chicago -5:50:36,
  // Dublin -0:25:21).
  const Instant medieval = utc("1013-11-05T09:30:00Z");
  CHECK(zone_offset("America/Chicago", medieval) == -(5 * kHour + 50 * kMinute + 36 * kSecond));
  CHECK(format_utc(local_to_utc("America/Chicago", utc("1013-11-05T09:30:00"))) == "1013-11-05T15:20:36Z");
  CHECK(format_utc(day_start("Europe/Dublin", medieval)) == "1013-11-05T00:25:21Z");
  // Past the last recorded transition the file's closing rule applies: December is winter in Chicago.
  const Instant last = utc("9999-12-31T23:00:00");
  CHECK(zone_offset("America/Chicago", last) == -6 * kHour);
  CHECK(local_to_utc("America/Chicago", last) == last + 6 * kHour);
  CHECK(format_utc(day_start("Asia/Tokyo", last)) == "9999-12-31T15:00:00Z");
  CHECK(day_start("America/Chicago", last + 6 * kHour) == last - 23 * kHour + 6 * kHour);
}

TEST_CASE("past the zone files' last transition (2037) today's rules go on") {
  CHECK(zone_offset("America/Chicago", utc("2040-07-01T12:00:00Z")) == -5 * kHour);
  CHECK(zone_offset("America/Chicago", utc("2040-01-15T12:00:00Z")) == -6 * kHour);
  CHECK(zone_offset("Europe/Dublin", utc("2050-01-15T12:00:00Z")) == 0);
  CHECK(zone_offset("Europe/Dublin", utc("2050-07-15T12:00:00Z")) == kHour);
  CHECK(zone_offset("Australia/Lord_Howe", utc("2040-07-15T00:00:00Z")) == 10 * kHour + 30 * kMinute);
  CHECK(zone_offset("Australia/Lord_Howe", utc("2040-01-15T00:00:00Z")) == 11 * kHour);
  CHECK(zone_offset("Pacific/Auckland", utc("9999-12-31T10:00:00Z")) == 13 * kHour);
  CHECK(zone_offset("America/Sao_Paulo", utc("2040-01-15T12:00:00Z")) == -3 * kHour);
  // Gaps and overlaps at midnight, and wall times in a gap, as before 2037.
  CHECK(day_of("America/Santiago", utc("2040-09-02T12:00:00Z")) == "2040-09-02T04:00:00Z/2040-09-03T03:00:00Z");
  CHECK(day_of("America/Havana", utc("2040-03-11T12:00:00Z")) == "2040-03-11T05:00:00Z/2040-03-12T04:00:00Z");
  CHECK(day_of("America/Havana", utc("2040-11-04T12:00:00Z")) == "2040-11-04T04:00:00Z/2040-11-05T05:00:00Z");
  CHECK(format_utc(local_to_utc("America/Chicago", utc("2040-03-11T02:30:00"))) == "2040-03-11T08:30:00Z");
  CHECK(format_utc(local_to_utc("America/Chicago", utc("2040-11-04T01:30:00"))) == "2040-11-04T06:30:00Z");
  // The last transition itself: 2037-11-01 02:00 CDT goes back to 01:00 CST.
  CHECK(zone_offset("America/Chicago", utc("2037-11-01T06:59:59Z")) == -5 * kHour);
  CHECK(zone_offset("America/Chicago", utc("2037-11-01T07:00:00Z")) == -6 * kHour);
  CHECK(zone_offset("America/Chicago", utc("2038-03-14T08:00:00Z")) == -5 * kHour);
}
