// The settings.ini parser (the names and questions of Settings are in src/model).
#include <set>
#include <sstream>

#include "flexrecon/error.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "tables/rules_files.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// Whole seconds, 0 to ten days: larger values are typos, not tolerances.
Instant parse_seconds(std::string_view value, const std::string& where, const std::string& key) {
  constexpr long long kMax = 10LL * 24 * 3600;
  long long n = 0;
  // Seven digits hold every allowed value; a longer string is refused before it is accumulated, as
  // its digits would overflow `n` (undefined behaviour, found by the tables fuzz harness).
  bool ok = !value.empty() && value.size() <= 7;
  for (std::size_t i = 0; ok && i < value.size(); ++i) {
    const char c = value[i];
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    n = n * 10 + (c - '0');
  }
  if (!ok || n > kMax) {
    throw Error::input(where + ": " + key + " " + quoted(value) + " is not a whole number of seconds (0 to 864000)");
  }
  return n * kSecond;
}

}  // namespace

Settings parse_settings(const std::string& text, const std::string& file) {
  Settings s;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string raw;
  std::uint64_t line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string_view view = raw;
    if (line == 1 && view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
    view = trim(view);
    if (view.empty() || view.front() == '#' || view.front() == ';') continue;
    const std::string where = file + ":" + std::to_string(line);
    const auto eq = view.find('=');
    if (eq == std::string_view::npos) throw Error::input(where + ": expected 'key = value', found " + quoted(view));
    const std::string key = to_lower(trim(view.substr(0, eq)));
    std::string_view value = view.substr(eq + 1);
    // A comment may follow the value after whitespace: `billing_tz = UTC  # contract zone`.
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
        value = value.substr(0, i);
        break;
      }
    }
    value = trim(value);
    if (key.empty()) throw Error::input(where + ": missing key before '='");
    if (!seen.insert(key).second) throw Error::input(where + ": " + key + " is set twice");

    if (key == "presence_tolerance_seconds") {
      s.presence_tolerance = parse_seconds(value, where, key);
    } else if (key == "clock_tolerance_seconds") {
      s.clock_tolerance = parse_seconds(value, where, key);
    } else if (key == "short_session_seconds") {
      s.short_session = parse_seconds(value, where, key);
    } else if (key == "midnight_window_seconds") {
      s.midnight_window = parse_seconds(value, where, key);
    } else if (key == "linked_logon_window_seconds") {
      s.linked_logon_window = parse_seconds(value, where, key);
    } else if (key == "billing_model") {
      if (const auto model = parse_billing_model(value)) {
        s.billing_model = *model;
      } else {
        throw Error::input(where + ": billing_model " + quoted(value) + " is not rolling-24h or calendar-day");
      }
    } else if (key == "billing_tz") {
      if (value.empty() || !is_known_zone(std::string(value))) {
        throw Error::input(where + ": billing_tz " + quoted(value) + " is not a known time zone");
      }
      s.billing_tz = std::string(value);
    } else if (key == "min_confidence") {
      const auto c = parse_confidence(value);
      if (!c) throw Error::input(where + ": min_confidence " + quoted(value) + " is not high, medium or low");
      s.min_confidence = *c;
    } else if (key == "max_archive_member_mib") {
      std::uint64_t mib = 0;
      bool ok = !value.empty() && value.size() <= 9;
      for (char c : value) {
        if (c < '0' || c > '9') ok = false;
        else mib = mib * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (!ok || mib == 0)
        throw Error::input(where + ": max_archive_member_mib " + quoted(value) + " is not a whole number of MiB above 0");
      s.max_archive_member_bytes = mib << 20;
    } else if (key == "service_account_patterns") {
      s.service_account_patterns.clear();
      for (const std::string& p : split(value, ',')) {
        if (!trim(p).empty()) s.service_account_patterns.emplace_back(trim(p));
      }
    } else {
      throw Error::input(where + ": unknown setting " + quoted(key));
    }
  }
  return s;
}

}  // namespace flexrecon
