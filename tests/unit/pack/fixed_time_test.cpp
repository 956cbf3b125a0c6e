#include <catch2/catch.hpp>

#include <random>

#include "pack/fixed_time.h"

using namespace flexrecon;

TEST_CASE("stored times are fixed-width UTC text with microseconds, NULL for an open end", "[pack][time]") {
  FixedTime time;
  CHECK(time.format(Instant{0}) == std::optional<std::string_view>("1970-01-01T00:00:00.000000Z"));
  const Instant t = *parse_timestamp("2025-03-04T02:00:00.5Z");
  CHECK(time.format(t) == std::optional<std::string_view>("2025-03-04T02:00:00.500000Z"));
  CHECK(time.format(t - 1) == std::optional<std::string_view>("2025-03-04T02:00:00.499999Z"));
  CHECK(time.format(Instant{-1}) == std::optional<std::string_view>("1969-12-31T23:59:59.999999Z"));
  CHECK(time.format(kFirstWritableInstant) == std::optional<std::string_view>("0000-01-01T00:00:00.000000Z"));
  CHECK(time.format(kLastWritableInstant) == std::optional<std::string_view>("9999-12-31T23:59:59.999999Z"));
  CHECK_FALSE(time.format(kMinInstant));
  CHECK_FALSE(time.format(kMaxInstant));
  CHECK_FALSE(time.format(std::optional<Instant>()));
  CHECK(iso_fixed(kMaxInstant).empty());
}

TEST_CASE("a stored time is the same text however it is formatted, before 1970 and past year 9999 too",
          "[pack][time]") {
  // FixedTime writes digits itself; the text must stay byte for byte what the store always held.
  std::mt19937_64 random(20261128);
  std::uniform_int_distribution<Instant> any(kFirstWritableInstant - 400 * 366 * kDay, kLastWritableInstant + 400 * 366 * kDay);
  std::uniform_int_distribution<Instant> near(-3 * kDay, 3 * kDay);
  FixedTime time;
  for (int i = 0; i < 200000; ++i) {
    const Instant t = i % 2 ? any(random) : near(random) + (i % 4 ? 0 : kLastWritableInstant);
    const auto text = time.format(t);
    REQUIRE(text);
    INFO(t);
    // iso_fixed is the plain way the store built its text before FixedTime: the reference.
    REQUIRE(std::string(*text) == iso_fixed(t));
  }
}
