#include <catch2/catch.hpp>

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

TEST_CASE("an offset that carries a timestamp outside the years 0000-9999 in UTC is rejected") {
  std::string why;
  CHECK_FALSE(parse_timestamp("9999-12-31T23:00:00-05:00", &why));
  CHECK(why == "'9999-12-31T23:00:00-05:00' is outside the years 0000-9999 in UTC");
  CHECK_FALSE(parse_timestamp("0000-01-01T00:30:00+01:00", &why));
  CHECK(format_utc(*parse_timestamp("9999-12-31T23:59:59.999999Z")) == "9999-12-31T23:59:59Z");
  CHECK(format_utc(*parse_timestamp("9999-12-31T23:00:00+05:00")) == "9999-12-31T18:00:00Z");
  CHECK(format_utc(*parse_timestamp("0000-01-01T00:00:00Z")) == "0000-01-01T00:00:00Z");
  CHECK(format_utc(*parse_timestamp("1013-11-05 09:30:00")) == "1013-11-05T09:30:00Z");
}
