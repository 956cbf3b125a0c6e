#include "store/unit_reading.h"

#include <algorithm>

namespace flexrecon {

namespace {

std::string zone_text(const std::string& zone) { return zone.empty() ? "without --events-tz" : "with --events-tz " + zone; }

std::string cap_text(std::uint64_t bytes) { return "archive members capped at " + std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

std::string reading_difference(const UnitReading& stored, const UnitReading& now, const std::vector<SourceFile>& sources,
                               const std::string& now_is) {
  // Winlogbeat, NXLog and Splunk JSON name their format `...-json`; of them only NXLog writes local
  // times, but a file's format is its first document's and each document is read by its own shape.
  const bool siem_json = std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.format.ends_with("-json"); });
  const bool archive = std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.format == "archive"; });
  std::string out;
  const auto add = [&](const std::string& was, const std::string& is) {
    out += (out.empty() ? "" : "; ") + ("read " + was + ", " + now_is + " " + is);
  };
  if (siem_json && stored.events_tz != now.events_tz) add(zone_text(stored.events_tz), zone_text(now.events_tz));
  if (archive && stored.max_member_bytes != now.max_member_bytes) add("with " + cap_text(stored.max_member_bytes), "with " + cap_text(now.max_member_bytes));
  return out;
}

}  // namespace flexrecon
