#include "evtx/binxml_value.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <vector>

namespace flexrecon::evtx {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Days since 1970-01-01 -> proleptic Gregorian (year, month, day) (Hinnant's civil-from-days).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

constexpr char kHexDigits[] = "0123456789abcdef";

// `digits` lower-case hex digits of `v`, zero-padded (printf's %0*llx for values that fit).
void append_hex_digits(std::string& out, std::uint64_t v, int digits) {
  char buf[16];
  for (int k = digits - 1; k >= 0; --k) {
    buf[k] = kHexDigits[v & 15];
    v >>= 4;
  }
  out.append(buf, static_cast<std::size_t>(digits));
}

// `0x` and 8 or 16 digits: HexInt32 / HexInt64 as Windows prints them.
void append_hex(std::string& out, std::uint64_t v, int digits) {
  out += "0x";
  append_hex_digits(out, v, digits);
}

template <typename Int>
void append_decimal(std::string& out, Int v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// Two-digit (or wider) zero-padded decimal, for dates.
void append_padded(std::string& out, unsigned v, int width) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int k = n; k < width; ++k) out += '0';
  while (n > 0) out += buf[--n];
}

// Python's repr of a float: shortest round-trip digits, fixed notation for exponents in [-4, 16),
// scientific otherwise, and always a fraction or exponent ("1.0", "1e+16").
std::string python_float(double v) {
  if (v != v) return "nan";
  if (v == 1.0 / 0.0) return "inf";
  if (v == -1.0 / 0.0) return "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci is like "-1.2345e+02": split sign, digits, exponent.
  std::string sign;
  std::size_t i = 0;
  if (sci[0] == '-') {
    sign = "-";
    i = 1;
  }
  const std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t k = i; k < e; ++k)
    if (sci[k] != '.') digits += sci[k];
  const int exp = std::atoi(sci.c_str() + e + 1);
  if (exp >= -5 && exp < 16) {
    std::string out;
    if (exp < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    } else {
      const auto int_len = static_cast<std::size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out = digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out = digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    }
    return sign + out;
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1) mant += "." + digits.substr(1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return sign + mant + ebuf;
}

void append_sid(std::string& out, const ByteView& b) {
  b.require(0, 8);
  const unsigned revision = b.u8(0);
  const unsigned count = b.u8(1);
  b.require(8, 4u * count);
  std::uint64_t authority = 0;
  for (int k = 2; k < 8; ++k) authority = (authority << 8) | b.u8(static_cast<std::size_t>(k));
  out += "S-";
  append_decimal(out, revision);
  out += '-';
  append_decimal(out, authority);
  for (unsigned k = 0; k < count; ++k) {
    out += '-';
    append_decimal(out, b.u32(8 + 4 * k));
  }
}

std::string render_sid(const ByteView& b) {
  std::string out;
  append_sid(out, b);
  return out;
}

// {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, lower case: the first three groups little-endian numbers,
// the last eight bytes in stored order.
void append_guid(std::string& out, const ByteView& b, std::size_t pos) {
  b.require(pos, 16);
  out += '{';
  append_hex_digits(out, b.u32(pos), 8);
  out += '-';
  append_hex_digits(out, b.u16(pos + 4), 4);
  out += '-';
  append_hex_digits(out, b.u16(pos + 6), 4);
  out += '-';
  for (std::size_t k = 8; k < 16; ++k) {
    if (k == 10) out += '-';
    append_hex_digits(out, b.u8(pos + k), 2);
  }
  out += '}';
}

void append_systemtime(std::string& out, const ByteView& b, std::size_t pos) {
  b.require(pos, 16);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", b.u16(pos), b.u16(pos + 2), b.u16(pos + 6),
                b.u16(pos + 8), b.u16(pos + 10), b.u16(pos + 12), b.u16(pos + 14));
  out += buf;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// python-evtx prints binary values base64-encoded.
void append_base64(std::string& out, const ByteView& b) {
  const std::size_t n = b.size();
  for (std::size_t k = 0; k < n; k += 3) {
    const std::uint32_t a = b.u8(k);
    const std::uint32_t c1 = k + 1 < n ? b.u8(k + 1) : 0;
    const std::uint32_t c2 = k + 2 < n ? b.u8(k + 2) : 0;
    const std::uint32_t v = (a << 16) | (c1 << 8) | c2;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += k + 1 < n ? kBase64[(v >> 6) & 63] : '=';
    out += k + 2 < n ? kBase64[v & 63] : '=';
  }
}

// Drops NUL characters that end the text appended since `start` (strings stored with their end).
void strip_trailing_nuls(std::string& out, std::size_t start) {
  while (out.size() > start && out.back() == '\0') out.pop_back();
}

void append_filetime(std::string& out, std::uint64_t ticks);

// Fixed item size of the scalar types an array may hold; 0 for variable-size items.
std::size_t item_size(std::uint8_t type) {
  switch (type) {
    case 0x03: case 0x04: return 1;
    case 0x05: case 0x06: return 2;
    case 0x07: case 0x08: case 0x0b: case 0x0d: case 0x14: return 4;
    case 0x09: case 0x0a: case 0x0c: case 0x11: case 0x15: return 8;
    case 0x0f: case 0x12: return 16;
    default: return 0;
  }
}

void append_scalar(std::string& out, std::uint8_t type, const ByteView& b) {
  const std::size_t start = out.size();
  switch (type) {
    case 0x00: return;
    case 0x01:
      append_utf16le_as_utf8(out, b, 0, b.size() / 2);
      return strip_trailing_nuls(out, start);
    case 0x02:
      out.append(reinterpret_cast<const char*>(b.data()), b.size());
      return strip_trailing_nuls(out, start);
    case 0x03: return append_decimal(out, static_cast<int>(static_cast<std::int8_t>(b.u8(0))));
    case 0x04: return append_decimal(out, static_cast<unsigned>(b.u8(0)));
    case 0x05: return append_decimal(out, static_cast<int>(static_cast<std::int16_t>(b.u16(0))));
    case 0x06: return append_decimal(out, static_cast<unsigned>(b.u16(0)));
    case 0x07: return append_decimal(out, static_cast<std::int32_t>(b.u32(0)));
    case 0x08: return append_decimal(out, b.u32(0));
    case 0x09: return append_decimal(out, static_cast<std::int64_t>(b.u64(0)));
    case 0x0a: return append_decimal(out, b.u64(0));
    case 0x0b: {
      const std::uint32_t bits = b.u32(0);
      float f;
      std::memcpy(&f, &bits, sizeof f);
      out += python_float(static_cast<double>(f));
      return;
    }
    case 0x0c: {
      const std::uint64_t bits = b.u64(0);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      out += python_float(d);
      return;
    }
    case 0x0d: out += b.u32(0) != 0 ? "True" : "False"; return;
    case 0x0e: return append_base64(out, b);
    case 0x0f: return append_guid(out, b, 0);
    case 0x10:  // size_t: its width is the value's
      if (b.size() >= 8) return append_hex(out, b.u64(0), 16);
      return append_hex(out, b.u32(0), 8);
    case 0x11: return append_filetime(out, b.u64(0));
    case 0x12: return append_systemtime(out, b, 0);
    case 0x13: return append_sid(out, b);
    case 0x14: return append_hex(out, b.u32(0), 8);
    case 0x15: return append_hex(out, b.u64(0), 16);
    default: throw DecodeError("unknown value type 0x" + std::to_string(type));
  }
}

std::string render_scalar(std::uint8_t type, const ByteView& b) {
  std::string out;
  append_scalar(out, type, b);
  return out;
}

void append_filetime(std::string& out, std::uint64_t ticks) {
  // Beyond year 9999 a FILETIME is not a date any tool prints; show the raw number instead.
  constexpr std::uint64_t kMaxTicks = 2650467743999999999ull;
  if (ticks > kMaxTicks) return append_hex(out, ticks, 16);
  const std::uint64_t total_seconds = ticks / 10'000'000;
  const auto fraction = static_cast<unsigned>(ticks % 10'000'000);
  const auto days_since_1601 = static_cast<std::int64_t>(total_seconds / 86400);
  const auto secs = static_cast<unsigned>(total_seconds % 86400);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days_since_1601 - 134774, y, m, d);  // 134774 days from 1601-01-01 to 1970-01-01
  append_padded(out, static_cast<unsigned>(y), 4);      // 1601..9999 by the bound above
  out += '-';
  append_padded(out, m, 2);
  out += '-';
  append_padded(out, d, 2);
  out += 'T';
  append_padded(out, secs / 3600, 2);
  out += ':';
  append_padded(out, secs / 60 % 60, 2);
  out += ':';
  append_padded(out, secs % 60, 2);
  out += '.';
  append_padded(out, fraction, 7);
  out += 'Z';
}

}  // namespace

void append_utf16le_as_utf8(std::string& out, const ByteView& v, std::size_t pos, std::size_t chars) {
  v.require(pos, chars * 2);
  const std::uint8_t* p = v.data() + pos;
  auto unit = [p](std::size_t k) { return static_cast<std::uint32_t>(p[2 * k] | (p[2 * k + 1] << 8)); };
  // Names and most values are ASCII: one byte per code unit, written straight into the string.
  const std::size_t start = out.size();
  out.resize(start + chars);
  char* w = out.data() + start;
  std::size_t k = 0;
  // Four code units at a time while all four are ASCII (high bits of every unit clear).
  for (; k + 4 <= chars; k += 4) {
    std::uint64_t four;
    std::memcpy(&four, p + 2 * k, 8);
    if (four & 0xFF80FF80FF80FF80ull) break;
    w[k] = static_cast<char>(four);
    w[k + 1] = static_cast<char>(four >> 16);
    w[k + 2] = static_cast<char>(four >> 32);
    w[k + 3] = static_cast<char>(four >> 48);
  }
  for (; k < chars; ++k) {
    const std::uint32_t cu = unit(k);
    if (cu >= 0x80) break;
    w[k] = static_cast<char>(cu);
  }
  if (k == chars) return;
  out.resize(start + k);
  for (; k < chars; ++k) {
    std::uint32_t cu = unit(k);
    if (cu >= 0xD800 && cu < 0xDC00 && k + 1 < chars) {
      const std::uint32_t lo = unit(k + 1);
      if (lo >= 0xDC00 && lo < 0xE000) {
        append_utf8(out, 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00));
        ++k;
        continue;
      }
    }
    if (cu >= 0xD800 && cu < 0xE000) cu = 0xFFFD;
    append_utf8(out, cu);
  }
}

std::string utf16le_to_utf8(const ByteView& v, std::size_t pos, std::size_t chars) {
  std::string out;
  append_utf16le_as_utf8(out, v, pos, chars);
  return out;
}

std::string format_filetime(std::uint64_t ticks) {
  std::string out;
  append_filetime(out, ticks);
  return out;
}

std::string render_value(std::uint8_t type, const ByteView& bytes) {
  std::string out;
  append_value(out, type, bytes);
  return out;
}

void append_value(std::string& out, std::uint8_t type, const ByteView& bytes) {
  if (!(type & kArrayFlag)) return append_scalar(out, type, bytes);
  const auto base = static_cast<std::uint8_t>(type & ~kArrayFlag);
  std::vector<std::string> items;
  if (base == 0x01 || base == 0x02) {
    // String arrays: each item ends with a NUL character.
    const std::size_t unit = base == 0x01 ? 2 : 1;
    std::size_t start = 0;
    for (std::size_t k = 0; k + unit <= bytes.size(); k += unit) {
      const bool nul = unit == 2 ? bytes.u16(k) == 0 : bytes.u8(k) == 0;
      if (nul) {
        items.push_back(render_scalar(base, bytes.sub(start, k - start)));
        start = k + unit;
      }
    }
    if (start < bytes.size()) items.push_back(render_scalar(base, bytes.sub(start, bytes.size() - start)));
  } else if (base == 0x13) {
    std::size_t pos = 0;
    while (pos + 8 <= bytes.size()) {
      const std::size_t len = 8 + 4u * bytes.u8(pos + 1);
      items.push_back(render_sid(bytes.sub(pos, std::min(len, bytes.size() - pos))));
      pos += len;
    }
  } else {
    std::size_t size = item_size(base);
    if (base == 0x10) size = 8;  // size_t arrays: assume 64-bit items
    if (size == 0) throw DecodeError("array of unsupported value type");
    if (bytes.size() % size != 0) throw DecodeError("array size not a multiple of its item size");
    for (std::size_t pos = 0; pos < bytes.size(); pos += size) items.push_back(render_scalar(base, bytes.sub(pos, size)));
  }
  if (base == 0x01 || base == 0x02) {
    // python-evtx's form for string arrays; Windows instead repeats the enclosing element.
    for (const auto& item : items) {
      out += "<string>";
      out += item;
      out += "</string>\n";
    }
    return;
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k) out += ", ";
    out += items[k];
  }
}

}  // namespace flexrecon::evtx
