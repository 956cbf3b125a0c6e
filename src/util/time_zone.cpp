// IANA time zones with their history, through Howard Hinnant's date/tz.
//
// Debian builds date/tz with USE_OS_TZDB: it reads the compiled zone files of the system's tz
// database (/usr/share/zoneinfo, package tzdata) and never downloads anything. Every transition the
// database records counts: negative daylight saving (Europe/Dublin's winter is "daylight saving"
// at +0 against a +1 standard), 30-minute shifts (Australia/Lord_Howe), and rule changes such as
// Brazil dropping daylight saving in 2019. Before a zone's first transition its local mean time
// applies; past the last transition in the file (2037 in Debian's files) that offset stays.
#include <date/tz.h>

#include <chrono>
#include <exception>

#include "flexrecon/error.h"
#include "flexrecon/time.h"

namespace flexrecon {
namespace {

using Seconds = std::chrono::seconds;

bool is_utc(const std::string& zone) { return zone.empty() || zone == "UTC" || zone == "Z"; }

// nullptr when the tz database has no such zone. The database is read once, on first use.
const date::time_zone* find_zone(const std::string& zone) {
  // /usr/share/zoneinfo/localtime is this machine's zone, not an IANA name: a pack must not change
  // with the machine that wrote it.
  if (zone == "localtime") return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

const date::time_zone& zone_or_throw(const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) throw Error::usage("unknown time zone '" + zone + "' (use an IANA name such as America/Chicago)");
  return *tz;
}

// Whole seconds at or before `t`: zone transitions fall on whole seconds, so the fraction never
// changes which offset applies.
Instant floor_seconds(Instant t) { return t / kSecond - (t % kSecond < 0 ? 1 : 0); }

Instant to_instant(Seconds s) { return s.count() * kSecond; }

Instant floor_day(Instant t) { return t - ((t % kDay) + kDay) % kDay; }

}  // namespace

bool is_known_zone(const std::string& zone) { return is_utc(zone) || find_zone(zone) != nullptr; }

Instant zone_offset(const std::string& zone, Instant t) {
  if (is_utc(zone)) return 0;
  const date::sys_seconds at{Seconds{floor_seconds(t)}};
  return to_instant(zone_or_throw(zone).get_info(at).offset);
}

Instant local_to_utc(const std::string& zone, Instant local_wall) {
  if (is_utc(zone)) return local_wall;
  const date::local_seconds wall{Seconds{floor_seconds(local_wall)}};
  const date::local_info info = zone_or_throw(zone).get_info(wall);
  // Unique and ambiguous times both take `first`: for an overlap it is the earlier instant (the
  // offset before the clocks went back). A time in a spring-forward gap is read with the offset
  // before the gap too, which lands as far past the gap's end as the time is past its start.
  return local_wall - to_instant(info.first.offset);
}

Instant day_start(const std::string& zone, Instant t) {
  if (is_utc(zone)) return floor_day(t);
  const date::time_zone& tz = zone_or_throw(zone);
  const Instant local = t + to_instant(tz.get_info(date::sys_seconds{Seconds{floor_seconds(t)}}).offset);
  const Instant midnight = floor_day(local);
  const date::local_info info = tz.get_info(date::local_seconds{Seconds{midnight / kSecond}});
  // When the clocks jump over midnight the day begins where the gap ends, at the transition.
  if (info.result == date::local_info::nonexistent) return to_instant(info.second.begin.time_since_epoch());
  // Otherwise the earlier occurrence of midnight (a repeated midnight starts the day the first time).
  return midnight - to_instant(info.first.offset);
}

}  // namespace flexrecon
