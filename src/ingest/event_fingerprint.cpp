#include "ingest/event_fingerprint.h"

#include <algorithm>
#include <charconv>

#include "util/sha256.h"
#include "util/strings.h"
#include "flexrecon/time.h"

namespace flexrecon {

namespace {

// ASCII lower-casing without the locale lookup std::tolower makes per character: bytes of other
// scripts (UTF-8 sequences) pass unchanged, as std::tolower in the "C" locale leaves them.
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// Decimal, as std::to_string writes it (a sign for negatives), without the temporary string.
template <typename Integer>
void append_number(std::string& out, Integer n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// Appends `value` in a form every export tool agrees on: hex numbers as `#<decimal>`
// (`0x3e7` = `0x00000000000003e7`), timestamps as `@<seconds>`, anything else lower-cased
// (GUIDs) without carriage returns.
void append_canonical(std::string_view value, std::string& out) {
  if (!value.empty() && value[0] >= '0' && value[0] <= '9') {
    if (value.size() > 2 && value.size() <= 18 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
      const std::string_view digits = value.substr(2);
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, 16);
      if (ec == std::errc() && end == digits.data() + digits.size()) {
        out += '#';
        append_number(out, n);
        return;
      }
    }
    if (value.size() >= 19 && value[4] == '-') {
      if (auto t = parse_timestamp(value)) {
        out += '@';
        append_number(out, *t / kSecond);  // signed: times before 1970 exist in damaged logs
        return;
      }
    }
  }
  // Copied whole, then folded in place: a byte loop the compiler can run many bytes at a time.
  const std::size_t at = out.size();
  out.append(value);
  for (auto it = out.begin() + static_cast<std::ptrdiff_t>(at); it != out.end(); ++it) *it = fold(*it);
  if (value.find('\r') != std::string_view::npos)
    out.erase(std::remove(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), '\r'), out.end());
}

// A length as four little-endian bytes: fixed width, so it can be written after what it measures.
void put_length(std::string& out, std::size_t at, std::size_t n) {
  const auto v = static_cast<std::uint32_t>(n);
  for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Appends `s` as its length then its bytes: field boundaries cannot shift between two events.
void put_counted(std::string& out, std::string_view s) {
  const std::size_t at = out.size();
  out.append(4, '\0');
  put_length(out, at, s.size());
  out.append(s);
}

// Appends `value` canonical (append_canonical), counted like put_counted.
void put_counted_canonical(std::string& out, std::string_view value) {
  const std::size_t at = out.size();
  out.append(4, '\0');
  append_canonical(value, out);
  put_length(out, at, out.size() - at - 4);
}

}  // namespace

Fingerprint Fingerprinter::of(const Event& event) {
  // A cryptographic hash, because a conflicting copy is a sign of tampering: a crafted collision
  // must not pass for an identical copy. Lengths are hashed too, so field boundaries cannot shift.
  // One buffer, one digest: far cheaper than a digest update per field.
  //
  // The content is compared as the event says it, not as one export tool spells it: the same record
  // read from an .evtx and from its XML export (wevtutil, Event Viewer, python-evtx) must be an
  // identical copy. So times count to the second (python-evtx loses microseconds through a float,
  // and a microsecond error can cross any finer boundary), values in their canonical form (above),
  // and empty fields not at all (one tool omits what another writes empty). Values `-` count as
  // written: every tool writes them alike. Fields count in (name, canonical value) order: a SIEM
  // export writes them in its own order (Winlogbeat's event_data, NXLog's flat keys), not the event's.
  fields_.clear();
  for (const auto& f : event.fields) {
    const std::string_view value = trim(f.value);
    if (!value.empty()) fields_.push_back({f.name, value});
  }
  std::string& buf = buffer_;
  buf.clear();
  const auto put_number = [&](auto n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    put_counted(buf, std::string_view(digits, static_cast<std::size_t>(end - digits)));
  };
  put_number(event.event_id);
  put_number(event.time / kSecond);
  {  // the provider, lower-cased (tools differ in its case)
    const std::size_t at = buf.size();
    buf.append(4, '\0');
    put_length(buf, at, event.provider.size());
    for (char c : event.provider) buf.push_back(fold(c));
  }
  // Nearly every event has its names strictly in order (EventData as Windows writes it sorts, or
  // the SIEM's keys do): then names alone decide the order and each value is made canonical
  // straight into the buffer. Otherwise (a name out of order, or twice) the values are made
  // canonical first and the fields sorted by (name, canonical value).
  const auto names_in_order = std::adjacent_find(fields_.begin(), fields_.end(), [](const Field& a, const Field& b) {
                                return !(a.name < b.name);
                              }) == fields_.end();
  if (names_in_order) {
    for (const Field& f : fields_) {
      put_counted(buf, f.name);
      put_counted_canonical(buf, f.value);
    }
  } else {
    canonical_.clear();
    sorted_.clear();
    for (const Field& f : fields_) {
      const auto offset = static_cast<std::uint32_t>(canonical_.size());
      append_canonical(f.value, canonical_);
      sorted_.push_back({f.name, offset, static_cast<std::uint32_t>(canonical_.size() - offset)});
    }
    const auto value_of = [this](const CanonicalField& f) { return std::string_view(canonical_).substr(f.offset, f.size); };
    std::sort(sorted_.begin(), sorted_.end(), [&](const CanonicalField& a, const CanonicalField& b) {
      if (a.name != b.name) return a.name < b.name;
      return value_of(a) < value_of(b);
    });
    for (const CanonicalField& f : sorted_) {
      put_counted(buf, f.name);
      put_counted(buf, value_of(f));
    }
  }
  const auto digest = sha256_.digest(buf);
  Fingerprint out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

}  // namespace flexrecon
