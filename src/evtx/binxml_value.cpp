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

std::string hex_padded(std::uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
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

std::string render_sid(const ByteView& b) {
  b.require(0, 8);
  const unsigned revision = b.u8(0);
  const unsigned count = b.u8(1);
  b.require(8, 4u * count);
  std::uint64_t authority = 0;
  for (int k = 2; k < 8; ++k) authority = (authority << 8) | b.u8(static_cast<std::size_t>(k));
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on the chained operator+ form.
  std::string out = "S-";
  out += std::to_string(revision);
  out += '-';
  out += std::to_string(authority);
  for (unsigned k = 0; k < count; ++k) {
    out += '-';
    out += std::to_string(b.u32(8 + 4 * k));
  }
  return out;
}

std::string render_guid(const ByteView& b, std::size_t pos) {
  b.require(pos, 16);
  char buf[48];
  std::snprintf(buf, sizeof buf, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", b.u32(pos), b.u16(pos + 4),
                b.u16(pos + 6), b.u8(pos + 8), b.u8(pos + 9), b.u8(pos + 10), b.u8(pos + 11), b.u8(pos + 12),
                b.u8(pos + 13), b.u8(pos + 14), b.u8(pos + 15));
  return buf;
}

std::string render_systemtime(const ByteView& b, std::size_t pos) {
  b.require(pos, 16);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", b.u16(pos), b.u16(pos + 2), b.u16(pos + 6),
                b.u16(pos + 8), b.u16(pos + 10), b.u16(pos + 12), b.u16(pos + 14));
  return buf;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// python-evtx prints binary values base64-encoded.
std::string base64(const ByteView& b) {
  std::string out;
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
  return out;
}

std::string strip_trailing_nuls(std::string s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

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

std::string render_scalar(std::uint8_t type, const ByteView& b) {
  switch (type) {
    case 0x00: return "";
    case 0x01: return strip_trailing_nuls(utf16le_to_utf8(b, 0, b.size() / 2));
    case 0x02: return strip_trailing_nuls(std::string(reinterpret_cast<const char*>(b.data()), b.size()));
    case 0x03: return std::to_string(static_cast<std::int8_t>(b.u8(0)));
    case 0x04: return std::to_string(b.u8(0));
    case 0x05: return std::to_string(static_cast<std::int16_t>(b.u16(0)));
    case 0x06: return std::to_string(b.u16(0));
    case 0x07: return std::to_string(static_cast<std::int32_t>(b.u32(0)));
    case 0x08: return std::to_string(b.u32(0));
    case 0x09: return std::to_string(static_cast<std::int64_t>(b.u64(0)));
    case 0x0a: return std::to_string(b.u64(0));
    case 0x0b: {
      const std::uint32_t bits = b.u32(0);
      float f;
      std::memcpy(&f, &bits, sizeof f);
      return python_float(static_cast<double>(f));
    }
    case 0x0c: {
      const std::uint64_t bits = b.u64(0);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return python_float(d);
    }
    case 0x0d: return b.u32(0) != 0 ? "True" : "False";
    case 0x0e: return base64(b);
    case 0x0f: return render_guid(b, 0);
    case 0x10:  // size_t: its width is the value's
      return b.size() >= 8 ? hex_padded(b.u64(0), 16) : hex_padded(b.u32(0), 8);
    case 0x11: return format_filetime(b.u64(0));
    case 0x12: return render_systemtime(b, 0);
    case 0x13: return render_sid(b);
    case 0x14: return hex_padded(b.u32(0), 8);
    case 0x15: return hex_padded(b.u64(0), 16);
    default: throw DecodeError("unknown value type 0x" + std::to_string(type));
  }
}

}  // namespace

std::string utf16le_to_utf8(const ByteView& v, std::size_t pos, std::size_t chars) {
  v.require(pos, chars * 2);
  std::string out;
  out.reserve(chars);
  for (std::size_t k = 0; k < chars; ++k) {
    std::uint32_t cu = v.u16(pos + 2 * k);
    if (cu >= 0xD800 && cu < 0xDC00 && k + 1 < chars) {
      const std::uint32_t lo = v.u16(pos + 2 * (k + 1));
      if (lo >= 0xDC00 && lo < 0xE000) {
        append_utf8(out, 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00));
        ++k;
        continue;
      }
    }
    if (cu >= 0xD800 && cu < 0xE000) cu = 0xFFFD;
    append_utf8(out, cu);
  }
  return out;
}

std::string format_filetime(std::uint64_t ticks) {
  // Beyond year 9999 a FILETIME is not a date any tool prints; show the raw number instead.
  constexpr std::uint64_t kMaxTicks = 2650467743999999999ull;
  if (ticks > kMaxTicks) return hex_padded(ticks, 16);
  const std::uint64_t total_seconds = ticks / 10'000'000;
  const auto fraction = static_cast<unsigned>(ticks % 10'000'000);
  const auto days_since_1601 = static_cast<std::int64_t>(total_seconds / 86400);
  const auto secs = static_cast<unsigned>(total_seconds % 86400);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days_since_1601 - 134774, y, m, d);  // 134774 days from 1601-01-01 to 1970-01-01
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%07uZ", static_cast<long long>(y), m, d, secs / 3600,
                secs / 60 % 60, secs % 60, fraction);
  return buf;
}

std::string render_value(std::uint8_t type, const ByteView& bytes) {
  if (!(type & kArrayFlag)) return render_scalar(type, bytes);
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
  std::string out;
  if (base == 0x01 || base == 0x02) {
    // python-evtx's form for string arrays; Windows instead repeats the enclosing element.
    for (const auto& item : items) out += "<string>" + item + "</string>\n";
    return out;
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k) out += ", ";
    out += items[k];
  }
  return out;
}

}  // namespace flexrecon::evtx
