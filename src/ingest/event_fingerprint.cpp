#include "ingest/event_fingerprint.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "util/sha256.h"
#include "util/strings.h"
#include "flexrecon/time.h"

namespace flexrecon {

namespace {

// Writes `s` folded (ascii_lower() on each byte) to `out`, without its carriage returns when `drop_cr`;
// returns the end. Eight bytes at a time where that is the same: a word of ASCII (no byte >= 0x80)
// with nothing to drop has its capitals lower-cased all at once; any other word goes byte by byte.
// Every value of every event is written this way.
char* fold_into(char* out, std::string_view s, bool drop_cr) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighs = 0x8080808080808080;
  const char* p = s.data();
  const char* const end = p + s.size();
  for (; end - p >= 8; p += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    const std::uint64_t cr = w ^ (kOnes * '\r');  // a zero byte where w holds '\r'
    if ((w & kHighs) == 0 && !(drop_cr && ((cr - kOnes) & ~cr & kHighs) != 0)) {
      // Per byte b < 0x80, no carry between bytes: b + 0x3F has its high bit set when b >= 'A',
      // b + 0x25 when b > 'Z'; a capital's 0x20 bit is the high bit moved down two places.
      const std::uint64_t capitals = (w + kOnes * (0x80 - 'A')) & ~(w + kOnes * (0x80 - 'Z' - 1)) & kHighs;
      w |= capitals >> 2;
      std::memcpy(out, &w, 8);
      out += 8;
      continue;
    }
    for (int k = 0; k < 8; ++k)
      if (!drop_cr || p[k] != '\r') *out++ = ascii_lower(p[k]);
  }
  for (; p < end; ++p)
    if (!drop_cr || *p != '\r') *out++ = ascii_lower(*p);
  return out;
}

// Writes the bytes that are hashed, through a cursor into a buffer sized up front: millions of
// events, a dozen fields each, make a per-append capacity check on a std::string a visible cost.
class HashedBytes {
 public:
  // `most`: an upper bound on what will be written (Fingerprinter::of works it out).
  HashedBytes(std::string& buffer, std::size_t most) : buffer_(buffer) {
    buffer_.resize(most);
    at_ = buffer_.data();
  }
  std::string_view done() const { return std::string_view(buffer_.data(), static_cast<std::size_t>(at_ - buffer_.data())); }

  // `s` as its length (four little-endian bytes) then its bytes: field boundaries cannot shift.
  void counted(std::string_view s) {
    length(at_, s.size());
    std::memcpy(at_ + 4, s.data(), s.size());
    at_ += 4 + s.size();
  }
  // `s` as it is, uncounted: only for bytes of a fixed size (a tag, a digest).
  void raw(std::string_view s) {
    std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
  }
  // `s` lower-cased (ASCII), counted.
  void counted_folded(std::string_view s) {
    char* const out = fold_into(at_ + 4, s, false);
    length(at_, s.size());
    at_ = out;
  }
  // `value` in a form every export tool agrees on, counted: hex numbers as `#<decimal>`
  // (`0x3e7` = `0x00000000000003e7`), timestamps as `@<seconds>`, anything else lower-cased
  // (GUIDs) without carriage returns. Never more than value.size() + kCanonicalGrowth bytes.
  void counted_canonical(std::string_view value) {
    char* const start = at_ + 4;
    char* out = start;
    if (!value.empty() && value[0] >= '0' && value[0] <= '9') {
      if (value.size() > 2 && value.size() <= 18 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
        const std::string_view digits = value.substr(2);
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, 16);
        if (ec == std::errc() && end == digits.data() + digits.size()) {
          *out++ = '#';
          out = std::to_chars(out, out + 20, n).ptr;
          finish(start, out);
          return;
        }
      }
      if (value.size() >= 19 && value[4] == '-') {
        if (auto t = parse_timestamp(value)) {
          *out++ = '@';
          out = std::to_chars(out, out + 20, *t / kSecond).ptr;  // signed: damaged logs hold times before 1970
          finish(start, out);
          return;
        }
      }
    }
    finish(start, fold_into(out, value, true));
  }
  // A number as its decimal text, counted.
  template <typename Integer>
  void counted_number(Integer n) {
    char* const start = at_ + 4;
    finish(start, std::to_chars(start, start + 24, n).ptr);
  }

  // `#` and at most 20 digits for the 18 bytes of `0x` and 16 hex digits.
  static constexpr std::size_t kCanonicalGrowth = 3;
  static constexpr std::size_t kNumber = 4 + 24;

 private:
  static void length(char* at, std::size_t n) {
    const auto v = static_cast<std::uint32_t>(n);
    for (int i = 0; i < 4; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void finish(char* start, char* end) {
    length(at_, static_cast<std::size_t>(end - start));
    at_ = end;
  }
  std::string& buffer_;
  char* at_;
};

}  // namespace

Fingerprint Fingerprinter::of(const Event& event) {
  // Case stores keep these fingerprints: a change to the bytes hashed here is a change of the store
  // schema (src/store/store_schema.cpp, docs/evidence-store.md "Versioning").
  //
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
  const NameOrder* order = order_by_name(event.event_id);
  std::size_t most = 2 * HashedBytes::kNumber + 4 + event.provider.size() + 1 + 32;
  for (const Field& f : fields_) most += 8 + f.name.size() + f.value.size() + HashedBytes::kCanonicalGrowth;
  HashedBytes buf(buffer_, most);
  buf.counted_number(event.event_id);
  buf.counted_number(event.time / kSecond);
  buf.counted_folded(event.provider);  // tools differ in its case
  // Fields go in name order. With every name once (nearly every event), the names are hashed once
  // per list of names, not once per event: their digest stands for them, then the values follow in
  // name order, so which value goes with which name is fixed as before, and half the bytes hashed per
  // event are gone (names are as long as values in Windows events). A tag byte keeps this form apart
  // from the other.
  if (order) {
    buf.raw("N");
    buf.raw(std::string_view(reinterpret_cast<const char*>(order->names_digest.data()), order->names_digest.size()));
    for (const std::uint32_t i : order->order) buf.counted_canonical(fields_[i].value);
  } else {
    // A name twice: (name, canonical value) pairs, ordered by name and then value. Each canonical
    // value is made by the same code, into a scratch buffer, and then ordered.
    buf.raw("P");
    std::size_t scratch_most = 0;
    for (const Field& f : fields_) scratch_most += 4 + f.value.size() + HashedBytes::kCanonicalGrowth;
    HashedBytes scratch(canonical_, scratch_most);
    sorted_.clear();
    for (const Field& f : fields_) {
      const std::size_t before = scratch.done().size();
      scratch.counted_canonical(f.value);
      sorted_.push_back({f.name, static_cast<std::uint32_t>(before + 4), static_cast<std::uint32_t>(scratch.done().size() - before - 4)});
    }
    const std::string_view canonical = scratch.done();
    const auto value_of = [&](const CanonicalField& f) { return canonical.substr(f.offset, f.size); };
    std::sort(sorted_.begin(), sorted_.end(), [&](const CanonicalField& a, const CanonicalField& b) {
      if (a.name != b.name) return a.name < b.name;
      return value_of(a) < value_of(b);
    });
    for (const CanonicalField& f : sorted_) {
      buf.counted(f.name);
      buf.counted(value_of(f));
    }
  }
  const auto digest = sha256_bytes(buf.done());
  Fingerprint out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

const Fingerprinter::NameOrder* Fingerprinter::order_by_name(int event_id) {
  // Events of one kind come with the same names in the same (Windows's, not alphabetical) order, so
  // the order found for the last event of an id is checked name by name and reused: n comparisons
  // of equal names instead of a sort's n log n comparisons of different ones.
  const auto same_names = [&](const NameOrder& known) {
    if (known.names.size() != fields_.size()) return false;
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (known.names[i] != fields_[i].name) return false;
    return true;
  };
  if (const auto it = orders_.find(event_id); it != orders_.end() && same_names(it->second)) return &it->second;

  NameOrder found;
  found.order.resize(fields_.size());
  for (std::uint32_t i = 0; i < found.order.size(); ++i) found.order[i] = i;
  std::sort(found.order.begin(), found.order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return fields_[a].name < fields_[b].name; });
  for (std::size_t i = 1; i < found.order.size(); ++i)
    if (fields_[found.order[i - 1]].name == fields_[found.order[i]].name) return nullptr;  // a name twice
  found.names.reserve(fields_.size());
  for (const Field& f : fields_) found.names.emplace_back(f.name);
  std::string names;
  HashedBytes counted_names(names, [&] {
    std::size_t n = 0;
    for (const Field& f : fields_) n += 4 + f.name.size();
    return n;
  }());
  for (const std::uint32_t i : found.order) counted_names.counted(fields_[i].name);
  found.names_digest = sha256_bytes(counted_names.done());
  // Bounded whatever the input: a hostile file with every event id there is only refills it.
  if (orders_.size() >= kMaxRememberedOrders) orders_.clear();
  auto& slot = orders_[event_id];
  slot = std::move(found);
  return &slot;
}

}  // namespace flexrecon
