#include "flexrecon/time.h"

#include <cctype>
#include <cstdio>

namespace flexrecon {
namespace {

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool fail(std::string* why, const std::string& reason) {
  if (why) *why = reason;
  return false;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<std::int64_t> days_from_civil(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  // Counting from March makes the leap day the last day of the year.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = month > 2 ? month - 3 : month + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<ParsedTimestamp> parse_timestamp_ex(std::string_view text, std::string* why) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // Spelled out only when a timestamp is refused: this runs for every event read.
  const auto quoted = [&] { return "'" + std::string(text) + "'"; };
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0;
  if (!read_digits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-' || !read_digits(s, pos, 2, month) ||
      pos >= s.size() || s[pos++] != '-' || !read_digits(s, pos, 2, day)) {
    fail(why, "not a timestamp " + quoted());
    return std::nullopt;
  }
  if (month < 1 || month > 12) {
    fail(why, "month " + std::to_string(month) + " out of range in " + quoted());
    return std::nullopt;
  }
  auto days = days_from_civil(year, month, day);
  if (!days) {
    fail(why, "impossible date in " + quoted());
    return std::nullopt;
  }
  ParsedTimestamp result;
  Instant micros = 0;
  if (pos == s.size()) {
    result.date_only = true;
    result.utc = *days * kDay;
    return result;
  }
  if (s[pos] != 'T' && s[pos] != ' ' && s[pos] != 't') {
    fail(why, "not a timestamp " + quoted());
    return std::nullopt;
  }
  ++pos;
  int hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':' || !read_digits(s, pos, 2, minute)) {
    fail(why, "not a timestamp " + quoted());
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!read_digits(s, pos, 2, second)) {
      fail(why, "not a timestamp " + quoted());
      return std::nullopt;
    }
  }
  if (hour > 23) {
    fail(why, "hour " + std::to_string(hour) + " out of range in " + quoted());
    return std::nullopt;
  }
  if (minute > 59) {
    fail(why, "minute " + std::to_string(minute) + " out of range in " + quoted());
    return std::nullopt;
  }
  if (second > 59) {
    fail(why, "second " + std::to_string(second) + " out of range in " + quoted());
    return std::nullopt;
  }
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    Instant scale = 100000;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits >= 9) {
        fail(why, "more than 9 fractional digits in " + quoted());
        return std::nullopt;
      }
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      fail(why, "empty fraction in " + quoted());
      return std::nullopt;
    }
  }
  Instant offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      result.had_offset = true;
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0, om = 0;
      if (!read_digits(s, pos, 2, oh)) {
        fail(why, "bad UTC offset in " + quoted());
        return std::nullopt;
      }
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (pos < s.size() && !read_digits(s, pos, 2, om)) {
        fail(why, "bad UTC offset in " + quoted());
        return std::nullopt;
      }
      if (oh > 18 || om > 59) {
        fail(why, "bad UTC offset in " + quoted());
        return std::nullopt;
      }
      offset = sign * (oh * kHour + om * kMinute);
      result.had_offset = true;
    }
  }
  if (pos != s.size()) {
    fail(why, "unexpected text after the time in " + quoted());
    return std::nullopt;
  }
  result.utc = *days * kDay + hour * kHour + minute * kMinute + second * kSecond + micros - offset;
  // 9999-12-31T23:00:00-05:00 is in year 10000: no four-digit timestamp could show it.
  if (!is_writable_instant(result.utc)) {
    fail(why, quoted() + " is outside the years 0000-9999 in UTC");
    return std::nullopt;
  }
  return result;
}

std::optional<Instant> parse_timestamp(std::string_view text, std::string* why) {
  auto parsed = parse_timestamp_ex(text, why);
  if (!parsed) return std::nullopt;
  return parsed->utc;
}

std::optional<Instant> parse_compact_date(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, m = 0, d = 0;
  if (text.size() != 8 || !read_digits(text, pos, 4, y) || !read_digits(text, pos, 2, m) || !read_digits(text, pos, 2, d))
    return std::nullopt;
  auto days = days_from_civil(y, m, d);
  if (!days) return std::nullopt;
  return *days * kDay;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

std::string format_utc(Instant t) {
  const std::int64_t days = floor_div(t, kDay);
  const Instant rest = t - days * kDay;
  int y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, static_cast<int>(rest / kHour),
                static_cast<int>(rest % kHour / kMinute), static_cast<int>(rest % kMinute / kSecond));
  return buf;
}

std::string format_utc_precise(Instant t) {
  const Instant frac = t - floor_div(t, kSecond) * kSecond;
  std::string s = format_utc(t);
  if (frac == 0) return s;
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
  s.insert(s.size() - 1, buf);
  return s;
}

std::string format_date(Instant t) { return format_utc(t).substr(0, 10); }

}  // namespace flexrecon
