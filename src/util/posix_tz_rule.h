// The POSIX TZ rule at the end of a compiled tz database file ("CST6CDT,M3.2.0,M11.1.0"): the rule
// in force after the file's last listed transition (RFC 8536, section 3.3). The zone files list
// transitions up to 2037; this rule carries the zone's current daylight saving beyond that.
#pragma once

#include <optional>
#include <string_view>

#include "flexrecon/time.h"

namespace flexrecon {

struct PosixTzRule {
  // A transition date: Mm.w.d (week 5 is the last), Jn (1-365, February 29 never counted) or n
  // (0-365), at a local time that may be negative or past 24 h ("M9.1.6/24").
  struct When {
    enum class Kind { MonthWeekDay, JulianNoLeap, DayOfYear } kind = Kind::MonthWeekDay;
    int month = 0, week = 0, day = 0;  // day: weekday 0-6 (Sunday 0), or the day number
    Instant time = 2 * kHour;
  };
  Instant standard = 0;  // offsets east-positive (local = utc + offset), unlike POSIX text
  std::optional<Instant> daylight;
  When start, end;  // daylight saving starts (in standard local time) and ends (in daylight time)

  // The offset this rule gives at `t`.
  Instant offset_at(Instant t) const;
};

// nullopt when `text` is not a POSIX TZ string this reader understands.
std::optional<PosixTzRule> parse_posix_tz_rule(std::string_view text);

}  // namespace flexrecon
