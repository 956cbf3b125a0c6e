// IANA time zones through Boost.Date_Time.
//
// Boost's posix_time_zone evaluates daylight-saving rules; the rules themselves come from the
// system's tz database (/usr/share/zoneinfo, Debian's tzdata): the footer of a TZif v2+ file is the
// POSIX TZ string in force today ("CST6CDT,M3.2.0,M11.1.0"). That gives current rules for every date,
// which is right for the audit periods flexrecon handles (recent years); historical rule changes
// before the current rules took effect are not modelled (documented in docs/rules.md).
#include <boost/date_time/local_time/local_time.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "flexrecon/error.h"
#include "flexrecon/time.h"

namespace flexrecon {
namespace {

namespace lt = boost::local_time;
namespace pt = boost::posix_time;

const char* zoneinfo_dir() {
  const char* env = std::getenv("TZDIR");
  return env && *env ? env : "/usr/share/zoneinfo";
}

// The last non-empty line of a TZif file: the POSIX TZ string.
std::string posix_string_of(const std::string& zone) {
  if (zone.empty() || zone.find("..") != std::string::npos || zone.front() == '/') return {};
  std::ifstream in(std::string(zoneinfo_dir()) + "/" + zone, std::ios::binary);
  if (!in) return {};
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 5 || bytes.compare(0, 4, "TZif") != 0) return {};
  if (bytes.back() != '\n') return {};
  const auto start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return {};
  return bytes.substr(start + 1, bytes.size() - start - 2);
}

// POSIX writes offsets west-positive ("CST6"); Boost's posix_time_zone wants them east-positive
// ("CST-06"), and does not accept quoted names ("<+03>-3"). Rewrite one into the other.
std::string to_boost_spec(const std::string& posix) {
  std::size_t i = 0;
  auto read_name = [&](std::string& name) {
    if (i < posix.size() && posix[i] == '<') {
      const auto close = posix.find('>', i);
      if (close == std::string::npos) return false;
      i = close + 1;
      name = "ZZZ";
      return true;
    }
    const std::size_t begin = i;
    while (i < posix.size() && std::isalpha(static_cast<unsigned char>(posix[i]))) ++i;
    name = posix.substr(begin, i - begin);
    return name.size() >= 3;
  };
  auto read_offset = [&](std::string& out) {
    int sign = 1;
    if (i < posix.size() && (posix[i] == '+' || posix[i] == '-')) sign = posix[i++] == '-' ? -1 : 1;
    const std::size_t begin = i;
    while (i < posix.size() && (std::isdigit(static_cast<unsigned char>(posix[i])) || posix[i] == ':')) ++i;
    if (begin == i) return false;
    std::string hms = posix.substr(begin, i - begin);
    int h = std::stoi(hms.substr(0, hms.find(':')));
    std::string rest = hms.find(':') == std::string::npos ? "" : hms.substr(hms.find(':'));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d", -sign < 0 ? '-' : '+', h);
    out = buf + rest;
    return true;
  };
  std::string std_name, std_off, dst_name, dst_off;
  if (!read_name(std_name) || !read_offset(std_off)) return {};
  std::string spec = std_name + std_off;
  if (i == posix.size()) return spec;
  if (!read_name(dst_name)) return {};
  spec += dst_name;
  if (i < posix.size() && posix[i] != ',') {
    if (!read_offset(dst_off)) return {};
    // Boost takes the DST offset as the adjustment relative to standard time.
    spec += "+01";
  }
  spec += posix.substr(i);
  return spec;
}

struct ZoneCache {
  std::mutex mutex;
  std::map<std::string, lt::time_zone_ptr> zones;
};

ZoneCache& cache() {
  static ZoneCache c;
  return c;
}

lt::time_zone_ptr find_zone(const std::string& zone) {
  auto& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto it = c.zones.find(zone);
  if (it != c.zones.end()) return it->second;
  lt::time_zone_ptr tz;
  if (zone == "UTC" || zone == "Etc/UTC" || zone == "Z") {
    tz = lt::time_zone_ptr(new lt::posix_time_zone("UTC+00"));
  } else {
    const std::string spec = to_boost_spec(posix_string_of(zone));
    if (!spec.empty()) {
      try {
        tz = lt::time_zone_ptr(new lt::posix_time_zone(spec));
      } catch (const std::exception&) {
        tz.reset();
      }
    }
  }
  c.zones.emplace(zone, tz);
  return tz;
}

const pt::ptime& epoch() {
  static const pt::ptime e(boost::gregorian::date(1970, 1, 1));
  return e;
}

}  // namespace

bool is_known_zone(const std::string& zone) { return zone.empty() || find_zone(zone) != nullptr; }

Instant zone_offset(const std::string& zone, Instant t) {
  if (zone.empty() || zone == "UTC") return 0;
  auto tz = find_zone(zone);
  if (!tz) throw Error::usage("unknown time zone '" + zone + "' (use an IANA name such as America/Chicago)");
  const pt::ptime utc = epoch() + pt::microseconds(t);
  lt::local_date_time local(utc, tz);
  return (local.local_time() - utc).total_microseconds();
}

Instant local_to_utc(const std::string& zone, Instant local_wall) {
  if (zone.empty() || zone == "UTC") return local_wall;
  // The offset in force a day either side bounds the candidates; keep the earliest consistent one.
  const Instant before = zone_offset(zone, local_wall - kDay);
  const Instant after = zone_offset(zone, local_wall + kDay);
  std::optional<Instant> best;
  for (Instant offset : {before, after}) {
    const Instant candidate = local_wall - offset;
    if (zone_offset(zone, candidate) == offset && (!best || candidate < *best)) best = candidate;
  }
  // A wall time inside a spring-forward gap does not exist: take the instant just after the gap.
  return best ? *best : local_wall - before;
}

Instant day_start(const std::string& zone, Instant t) {
  const Instant local = t + zone_offset(zone, t);
  Instant midnight = local - ((local % kDay) + kDay) % kDay;
  return local_to_utc(zone, midnight);
}

}  // namespace flexrecon
