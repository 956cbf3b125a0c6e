#include "util/posix_tz_rule.h"

#include <date/date.h>

#include <cctype>

namespace flexrecon {
namespace {

struct Reader {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i == s.size(); }
  bool take(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  bool number(int& out, int max_digits) {
    const std::size_t begin = i;
    out = 0;
    while (i < s.size() && i - begin < static_cast<std::size_t>(max_digits) &&
           std::isdigit(static_cast<unsigned char>(s[i])))
      out = out * 10 + (s[i++] - '0');
    return i > begin;
  }
  // An abbreviation: three or more letters, or anything between < and >.
  bool name() {
    if (take('<')) {
      const auto close = s.find('>', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
      return true;
    }
    const std::size_t begin = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return i - begin >= 3;
  }
  // [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 allows times past 24 h in rules).
  bool duration(Instant& out) {
    const bool negative = take('-');
    if (!negative) take('+');
    int h = 0, m = 0, sec = 0;
    if (!number(h, 3) || h > 167) return false;
    if (take(':') && (!number(m, 2) || m > 59)) return false;
    if (take(':') && (!number(sec, 2) || sec > 59)) return false;
    out = (negative ? -1 : 1) * (h * kHour + m * kMinute + sec * kSecond);
    return true;
  }
  bool when(PosixTzRule::When& w) {
    using Kind = PosixTzRule::When::Kind;
    if (take('M')) {
      w.kind = Kind::MonthWeekDay;
      if (!number(w.month, 2) || !take('.') || !number(w.week, 1) || !take('.') || !number(w.day, 1)) return false;
      if (w.month < 1 || w.month > 12 || w.week < 1 || w.week > 5 || w.day > 6) return false;
    } else if (take('J')) {
      w.kind = Kind::JulianNoLeap;
      if (!number(w.day, 3) || w.day < 1 || w.day > 365) return false;
    } else {
      w.kind = Kind::DayOfYear;
      if (!number(w.day, 3) || w.day > 365) return false;
    }
    if (take('/') && !duration(w.time)) return false;
    return true;
  }
};

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Day number (days since 1970-01-01) of the rule date in `year`.
std::int64_t day_of(const PosixTzRule::When& w, int year) {
  using Kind = PosixTzRule::When::Kind;
  const std::int64_t jan1 = *days_from_civil(year, 1, 1);
  if (w.kind == Kind::JulianNoLeap) return jan1 + w.day - 1 + (is_leap(year) && w.day >= 60 ? 1 : 0);
  if (w.kind == Kind::DayOfYear) return jan1 + w.day;
  const std::int64_t first = *days_from_civil(year, w.month, 1);
  const std::int64_t next_month = w.month == 12 ? *days_from_civil(year + 1, 1, 1) : *days_from_civil(year, w.month + 1, 1);
  const int weekday_of_first = static_cast<int>(((first + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  std::int64_t day = first + (w.day - weekday_of_first + 7) % 7 + (w.week - 1) * 7;
  while (day >= next_month) day -= 7;  // week 5: the last such weekday of the month
  return day;
}

int year_of(Instant t) {
  const date::sys_days day{date::days{t / kDay - (t % kDay < 0 ? 1 : 0)}};
  return static_cast<int>(date::year_month_day{day}.year());
}

}  // namespace

Instant PosixTzRule::offset_at(Instant t) const {
  if (!daylight) return standard;
  // The local standard-time year decides which year's two transitions apply.
  const int year = year_of(t + standard);
  const Instant begins = day_of(start, year) * kDay + start.time - standard;
  const Instant ends = day_of(end, year) * kDay + end.time - *daylight;
  // Northern rules run daylight saving inside the year; southern ones across its turn.
  const bool in_daylight = begins < ends ? begins <= t && t < ends : !(ends <= t && t < begins);
  return in_daylight ? *daylight : standard;
}

std::optional<PosixTzRule> parse_posix_tz_rule(std::string_view text) {
  Reader r{text};
  PosixTzRule rule;
  Instant west = 0;
  if (!r.name() || !r.duration(west)) return std::nullopt;
  rule.standard = -west;
  if (r.done()) return rule;
  if (!r.name()) return std::nullopt;
  rule.daylight = rule.standard + kHour;  // POSIX: one hour ahead unless stated
  if (!r.done() && text[r.i] != ',') {
    if (!r.duration(west)) return std::nullopt;
    rule.daylight = -west;
  }
  // Without dates POSIX leaves the rule to the implementation; the tz database always states them.
  if (!r.take(',') || !r.when(rule.start) || !r.take(',') || !r.when(rule.end) || !r.done()) return std::nullopt;
  return rule;
}

}  // namespace flexrecon
