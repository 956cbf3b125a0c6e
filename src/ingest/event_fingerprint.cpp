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
  for (char c : value)
    if (c != '\r') out.push_back(fold(c));
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
  // written: every tool writes them alike.
  canonical_.clear();
  fields_.clear();
  for (const auto& f : event.fields) {
    const std::string_view value = trim(f.value);
    if (value.empty()) continue;
    const auto offset = static_cast<std::uint32_t>(canonical_.size());
    append_canonical(value, canonical_);
    fields_.push_back({f.name, offset, static_cast<std::uint32_t>(canonical_.size() - offset)});
  }
  const auto value_of = [this](const Field& f) { return std::string_view(canonical_).substr(f.offset, f.size); };
  // Fields in (name, value) order: a SIEM export writes them in its own order (Winlogbeat's
  // event_data, NXLog's flat keys), not the event's.
  // Most events come with their fields already in order (or none out of it): checking is one pass,
  // sorting is many comparisons and moves.
  const auto before = [&](const Field& a, const Field& b) {
    if (a.name != b.name) return a.name < b.name;
    return value_of(a) < value_of(b);
  };
  if (!std::is_sorted(fields_.begin(), fields_.end(), before)) std::sort(fields_.begin(), fields_.end(), before);

  std::string& buf = buffer_;
  buf.clear();
  const auto put = [&](std::string_view s) {
    append_number(buf, s.size());
    buf += ':';
    buf += s;
  };
  // Numbers as their decimal text, written straight into the buffer (same bytes as std::to_string).
  const auto put_number = [&](auto n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    put(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  };
  put_number(event.event_id);
  put_number(event.time / kSecond);
  const std::size_t provider_at = buf.size();
  put(event.provider);
  for (std::size_t i = provider_at; i < buf.size(); ++i) buf[i] = fold(buf[i]);
  for (const Field& f : fields_) {
    put(f.name);
    put(value_of(f));
  }
  const auto digest = sha256_.digest(buf);
  Fingerprint out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

}  // namespace flexrecon
