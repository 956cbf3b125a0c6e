// IANA time zones with their history, through Howard Hinnant's date/tz.
//
// Debian builds date/tz with USE_OS_TZDB: it reads the compiled zone files of the system's tz
// database (/usr/share/zoneinfo, package tzdata) and never downloads anything. Every transition the
// database records counts: negative daylight saving (Europe/Dublin's winter is "daylight saving"
// at +0 against a +1 standard), 30-minute shifts (Australia/Lord_Howe), and rule changes such as
// Brazil dropping daylight saving in 2019. Before a zone's first transition its local mean time
// applies. The files list transitions up to 2037 and end with the POSIX TZ rule in force after
// that; date/tz does not read that rule, so past the last transition this file applies it.
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string_view>

#include "flexrecon/error.h"
#include "flexrecon/time.h"
#include "util/posix_tz_rule.h"
#include "util/tz_database.h"

namespace flexrecon {
namespace {

using Seconds = std::chrono::seconds;

bool is_utc(const std::string& zone) { return zone.empty() || zone == "UTC" || zone == "Z"; }

// Whole seconds at or before `t`: zone transitions fall on whole seconds, so the fraction never
// changes which offset applies.
Instant floor_seconds(Instant t) { return t / kSecond - (t % kSecond < 0 ? 1 : 0); }
date::sys_seconds sys_at(Instant t) { return date::sys_seconds{Seconds{floor_seconds(t)}}; }
date::local_seconds local_at(Instant t) { return date::local_seconds{Seconds{floor_seconds(t)}}; }
Instant to_instant(Seconds s) { return s.count() * kSecond; }
Instant floor_day(Instant t) { return t - ((t % kDay) + kDay) % kDay; }

// The rule in a TZif file's last line, when it has one this reader understands. Version 1 files
// have no such line.
std::optional<PosixTzRule> footer_rule(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 6 || bytes.compare(0, 4, "TZif") != 0 || bytes[4] < '2' || bytes.back() != '\n')
    return std::nullopt;
  const auto start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return std::nullopt;
  return parse_posix_tz_rule(std::string_view(bytes).substr(start + 1, bytes.size() - start - 2));
}

struct Zone {
  const date::time_zone* tz = nullptr;
  std::optional<PosixTzRule> footer;  // in force from `footer_from` on
  Instant footer_from = kMaxInstant;

  Instant offset_at(Instant t) const {
    if (footer && t >= footer_from) return footer->offset_at(t);
    return to_instant(tz->get_info(sys_at(t)).offset);
  }
  // Far enough past the last transition that a wall time and the day around it are all footer.
  bool footer_rules(Instant local_wall) const { return footer && local_wall - 3 * kDay >= footer_from; }
};

// nullptr when the tz database has no such zone. The database is read once, on first use; each
// zone's footer once, when the zone is first asked for.
const Zone* find_zone(const std::string& name) {
  // /usr/share/zoneinfo/localtime is this machine's zone, not an IANA name: a pack must not change
  // with the machine that wrote it.
  if (name == "localtime") return nullptr;
  static std::mutex mutex;
  static std::map<std::string, Zone> zones;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = zones.find(name); it != zones.end()) return it->second.tz ? &it->second : nullptr;
  Zone zone;
  try {
    zone.tz = date::locate_zone(name);
  } catch (const std::exception&) {
    zone.tz = nullptr;
  }
  if (zone.tz) {
    // The span in force at the end of year 9999 begins at the file's last transition.
    const date::sys_info last = zone.tz->get_info(sys_at(kLastWritableInstant));
    zone.footer = footer_rule(zone.tz->name());
    zone.footer_from = to_instant(last.begin.time_since_epoch());
  }
  const Zone& stored = zones.emplace(name, zone).first->second;
  return stored.tz ? &stored : nullptr;
}

const Zone& zone_or_throw(const std::string& name) {
  const Zone* zone = find_zone(name);
  if (!zone) throw Error::usage("unknown time zone '" + name + "' (use an IANA name such as America/Chicago)");
  return *zone;
}

// How a wall time maps to UTC: the instant (the earlier one when the clocks pass it twice; for a
// time they skip, read with the offset before the gap), and whether it was skipped.
struct Resolved {
  Instant utc = 0;
  bool skipped = false;
  Instant gap_end = 0;  // the transition instant, when skipped
};

Resolved resolve(const Zone& zone, Instant local_wall) {
  if (!zone.footer_rules(local_wall)) {
    const date::local_info info = zone.tz->get_info(local_at(local_wall));
    const Instant utc = local_wall - to_instant(info.first.offset);
    if (info.result == date::local_info::nonexistent)
      return {utc, true, to_instant(info.second.begin.time_since_epoch())};
    return {utc, false, 0};
  }
  // Footer rules change the offset at most twice a year: the offsets a day either side are the
  // only candidates.
  const Instant before = zone.offset_at(local_wall - kDay);
  const Instant after = zone.offset_at(local_wall + kDay);
  std::optional<Instant> best;
  for (Instant offset : {before, after}) {
    const Instant candidate = local_wall - offset;
    if (zone.offset_at(candidate) == offset && (!best || candidate < *best)) best = candidate;
  }
  if (best) return {*best, false, 0};
  // Skipped: the clocks jumped from `before` to `after` at an instant between the two readings.
  Instant lo = local_wall - after, hi = local_wall - before;
  while (hi - lo > 1) {
    const Instant mid = lo + (hi - lo) / 2;
    (zone.offset_at(mid) == before ? lo : hi) = mid;
  }
  const Instant utc = local_wall - before, gap_end = hi;
  return {utc, true, gap_end};
}

}  // namespace

bool is_known_zone(const std::string& zone) { return is_utc(zone) || find_zone(zone) != nullptr; }

Instant zone_offset(const std::string& zone, Instant t) {
  if (is_utc(zone)) return 0;
  return zone_or_throw(zone).offset_at(t);
}

Instant local_to_utc(const std::string& zone, Instant local_wall) {
  if (is_utc(zone)) return local_wall;
  return resolve(zone_or_throw(zone), local_wall).utc;
}

Instant day_start(const std::string& zone, Instant t) {
  if (is_utc(zone)) return floor_day(t);
  const Zone& z = zone_or_throw(zone);
  const Instant midnight = floor_day(t + z.offset_at(t));
  const Resolved r = resolve(z, midnight);
  // When the clocks jump over midnight the day begins where the gap ends, at the transition.
  return r.skipped ? r.gap_end : r.utc;
}

std::string tz_database_version() {
  std::ifstream in("/usr/share/zoneinfo/tzdata.zi");
  std::string line;
  constexpr std::string_view kPrefix = "# version ";
  if (!std::getline(in, line) || !line.starts_with(kPrefix)) return "unknown";
  std::string version = line.substr(kPrefix.size());
  while (!version.empty() && (version.back() == '\r' || version.back() == ' ')) version.pop_back();
  const bool plain = !version.empty() && version.size() <= 32 &&
                     std::all_of(version.begin(), version.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  return plain ? version : "unknown";
}

}  // namespace flexrecon
