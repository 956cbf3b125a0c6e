#include "pack/fixed_time.h"

#include <cstdio>

namespace flexrecon {

namespace {

// Writes `v` as exactly `width` decimal digits (v < 10^width).
void put_digits(char* out, std::int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool is_open_end(Instant t) { return t <= kMinInstant || t >= kMaxInstant; }

std::string iso_fixed(Instant t) {
  if (is_open_end(t)) return "";
  const Instant frac = ((t % kSecond) + kSecond) % kSecond;
  std::string s = format_utc(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
  s.insert(s.size() - 1, buf);
  return s;
}

std::optional<std::string_view> FixedTime::format(Instant t) {
  if (is_open_end(t)) return std::nullopt;
  // A year of five digits or before year 0 has no fixed width: iso_fixed writes what it can.
  if (!is_writable_instant(t)) {
    rare_ = iso_fixed(t);
    return std::string_view(rare_);
  }
  const std::int64_t day = floor_div(t, kDay);
  int year = 0, month = 0, day_of_month = 0;
  civil_from_days(day, year, month, day_of_month);
  put_digits(text_, year, 4);
  text_[4] = text_[7] = '-';
  put_digits(text_ + 5, month, 2);
  put_digits(text_ + 8, day_of_month, 2);
  text_[10] = 'T';
  text_[13] = text_[16] = ':';
  text_[19] = '.';
  text_[26] = 'Z';
  const Instant rest = t - day * kDay;
  put_digits(text_ + 11, rest / kHour, 2);
  put_digits(text_ + 14, rest % kHour / kMinute, 2);
  put_digits(text_ + 17, rest % kMinute / kSecond, 2);
  put_digits(text_ + 20, rest % kSecond, 6);
  return std::string_view(text_, kSize);
}

}  // namespace flexrecon
