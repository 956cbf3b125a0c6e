#include "ingest/event_store_builder.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "util/sha256.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// A field value in a form every export tool agrees on (see fingerprint_of).
std::string canonical_value(std::string_view value) {
  if (!value.empty() && value[0] >= '0' && value[0] <= '9') {
    if (value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
      std::uint64_t n = 0;
      bool hex = value.size() <= 18;
      for (char c : value.substr(2)) {
        const int d = std::isxdigit(static_cast<unsigned char>(c)) ? (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10) : -1;
        if (d < 0) {
          hex = false;
          break;
        }
        n = n * 16 + static_cast<std::uint64_t>(d);
      }
      if (hex) return "#" + std::to_string(n);
    }
    if (value.size() >= 19 && value[4] == '-')
      if (auto t = parse_timestamp(value)) return "@" + std::to_string(*t / kSecond);
  }
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

EventStoreBuilder::Fingerprint EventStoreBuilder::fingerprint_of(const Event& event) {
  // A cryptographic hash, because a conflicting copy is a sign of tampering: a crafted collision
  // must not pass for an identical copy. Lengths are hashed too, so field boundaries cannot shift.
  // One buffer, one digest: far cheaper than a digest update per field.
  //
  // The content is compared as the event says it, not as one export tool spells it: the same record
  // read from an .evtx and from its XML export (wevtutil, Event Viewer, python-evtx) must be an
  // identical copy. So times count to the second (python-evtx loses microseconds through a float,
  // and a microsecond error can cross any finer boundary), timestamps inside fields are compared as instants, hex numbers as numbers (`0x3e7` vs
  // `0x00000000000003e7`), letters case-insensitively (GUIDs), and empty fields not at all (one
  // tool omits what another writes empty).
  std::string& buf = scratch_;
  buf.clear();
  const auto put = [&](std::string_view s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
  };
  put(std::to_string(event.event_id));
  put(std::to_string(event.time / kSecond));
  put(to_lower(event.provider));
  // Fields in name order: a SIEM export writes them in its own order (Winlogbeat's event_data,
  // NXLog's flat keys), not the event's. Values `-` count as written: every tool writes them alike.
  fields_.clear();
  for (const auto& f : event.fields) {
    const std::string_view value = trim(f.value);
    if (value.empty()) continue;
    fields_.emplace_back(f.name, canonical_value(value));
  }
  std::sort(fields_.begin(), fields_.end());
  for (const auto& [name, value] : fields_) {
    put(name);
    put(value);
  }
  const std::string hex = sha256_hex(buf);
  Fingerprint out{};
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<unsigned char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return out;
}

void EventStoreBuilder::add(Event&& event) {
  auto& counts = store_.counts;
  ++counts.read;
  ++counts.by_channel_and_id[{event.channel_name, event.event_id}];

  if (event.record_id != 0) {
    auto& seen = seen_[event.host];
    const auto channel = channels_.try_emplace(to_lower(event.channel_name), static_cast<std::uint32_t>(channels_.size())).first->second;
    Key key{channel, event.record_id};
    const Fingerprint fingerprint = fingerprint_of(event);
    const auto [it, inserted] = seen.try_emplace(key, Seen{fingerprint, event.ref()});
    if (!inserted) {
      ++counts.duplicates;
      if (it->second.fingerprint != fingerprint)
        store_.conflicts.push_back({event.host, event.channel_name, event.record_id, it->second.ref, event.ref()});
      return;
    }
  }

  auto& host = store_.hosts[event.host];
  if (host.host.empty()) host.host = event.host;
  if (event.channel == Channel::Security && event.record_id != 0)
    host.security.push_back({event.record_id, event.time, event.source, event.event_id, event.ref_by_line ? event.line : 0});
  if (is_relevant_event(event)) {
    ++counts.relevant;
    host.events.push_back(std::move(event));
  }
}

void EventStoreBuilder::finish() {
  for (auto& [name, host] : store_.hosts) {
    // Source and line make the order total, so equal timestamps never depend on input quirks.
    std::sort(host.events.begin(), host.events.end(), [](const Event& a, const Event& b) {
      return std::tie(a.time, a.channel, a.record_id, a.source, a.line) <
             std::tie(b.time, b.channel, b.record_id, b.source, b.line);
    });
    std::sort(host.security.begin(), host.security.end(), [](const SecurityMark& a, const SecurityMark& b) {
      return std::tie(a.record_id, a.time, a.source) < std::tie(b.record_id, b.time, b.source);
    });
  }
}

}  // namespace flexrecon
