// 6008 rendering varies with the host's locale (the text fields) and Windows version (the binary).
// Anything doubtful parses to nullopt: a wrong last-alive time would cut sessions short.
#include "sessions/last_alive.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "util/strings.h"

namespace flexrecon::sessions {

namespace {

// Drops U+200E / U+200F (left-to-right / right-to-left marks) that Windows puts around date parts.
std::string strip_direction_marks(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0x8E || static_cast<unsigned char>(s[i + 2]) == 0x8F)) {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return std::string(trim(out));
}

std::optional<int> to_int(std::string_view s) {
  s = trim(s);
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

Instant at(std::int64_t days, int hour, int minute, int second, int millis) {
  return days * kDay + hour * kHour + minute * kMinute + second * kSecond + millis * 1000 * kMicrosecond;
}

// `10:15:31 PM`, `22:15:31`, `10:15:31 AM` -> seconds of the day.
std::optional<std::array<int, 3>> parse_clock(std::string_view text) {
  std::string s = to_lower(text);
  int shift = -1;  // -1: 24-hour clock
  if (s.size() > 2 && (s.ends_with("am") || s.ends_with("pm"))) {
    shift = s.ends_with("pm") ? 12 : 0;
    s = std::string(trim(std::string_view(s).substr(0, s.size() - 2)));
  }
  const std::vector<std::string> parts = split(s, ':');
  if (parts.size() != 3) return std::nullopt;
  auto h = to_int(parts[0]), m = to_int(parts[1]), sec = to_int(parts[2]);
  if (!h || !m || !sec || *m < 0 || *m > 59 || *sec < 0 || *sec > 59) return std::nullopt;
  if (shift >= 0) {
    if (*h < 1 || *h > 12) return std::nullopt;
    *h = (*h % 12) + shift;
  } else if (*h < 0 || *h > 23) {
    return std::nullopt;
  }
  return std::array<int, 3>{*h, *m, *sec};
}

// `11/26/2026` (month first, as en-US renders), `26/11/2026` when the first part cannot be a
// month, `26.11.2026`, `2026-11-26` -> days since the epoch.
std::optional<std::int64_t> parse_date(std::string_view text) {
  const std::string s(text);
  for (char sep : {'/', '.', '-'}) {
    const std::vector<std::string> parts = split(s, sep);
    if (parts.size() != 3) continue;
    auto a = to_int(parts[0]), b = to_int(parts[1]), c = to_int(parts[2]);
    if (!a || !b || !c) return std::nullopt;
    if (sep == '-' || parts[0].size() == 4) return days_from_civil(*a, *b, *c);
    if (sep == '.') return days_from_civil(*c, *b, *a);
    if (*a > 12) return days_from_civil(*c, *b, *a);
    return days_from_civil(*c, *a, *b);
  }
  return std::nullopt;
}

// SYSTEMTIME: eight little-endian 16-bit words (year, month, weekday, day, hour, minute, second, ms).
std::optional<Instant> systemtime_at(const std::vector<unsigned char>& bytes, std::size_t offset) {
  if (bytes.size() < offset + 16) return std::nullopt;
  std::array<int, 8> w{};
  for (std::size_t i = 0; i < 8; ++i) w[i] = bytes[offset + 2 * i] | (bytes[offset + 2 * i + 1] << 8);
  if (w[0] < 1601 || w[4] > 23 || w[5] > 59 || w[6] > 59 || w[7] > 999) return std::nullopt;
  const auto days = days_from_civil(w[0], w[1], w[3]);
  if (!days) return std::nullopt;
  return at(*days, w[4], w[5], w[6], w[7]);
}

// The <Binary> payload as bytes. Windows' own XML (wevtutil, Event Viewer) writes it in hex; the
// EVTX reader writes it in base64, as python-evtx does. Hex is tried first: a hex string is also
// valid base64, but base64 of a SYSTEMTIME pair is almost never all hex digits.
std::vector<unsigned char> binary_bytes(std::string_view text) {
  std::vector<unsigned char> out;
  std::string digits;
  bool all_hex = true;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) digits.push_back(c);
    else if (!std::isspace(static_cast<unsigned char>(c))) all_hex = false;
  }
  if (all_hex && digits.size() % 2 == 0) {
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
      out.push_back(static_cast<unsigned char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return out;
  }
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') break;
    else if (std::isspace(static_cast<unsigned char>(c))) continue;
    else return {};
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::optional<Instant> parse_last_alive(const HostEvent& e) {
  const std::vector<unsigned char> binary = binary_bytes(e.field("Binary"));
  if (auto utc = systemtime_at(binary, 16)) return utc;

  const auto clock = parse_clock(strip_direction_marks(e.field("Data1")));
  const auto date = parse_date(strip_direction_marks(e.field("Data2")));
  if (clock && date) return at(*date, (*clock)[0], (*clock)[1], (*clock)[2], 0);

  return systemtime_at(binary, 0);
}

}  // namespace flexrecon::sessions
