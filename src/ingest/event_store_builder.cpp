#include "ingest/event_store_builder.h"

#include <algorithm>
#include <tuple>

#include "util/sha256.h"
#include "util/strings.h"

namespace flexrecon {

EventStoreBuilder::Fingerprint EventStoreBuilder::fingerprint_of(const Event& event) {
  // A cryptographic hash, because a conflicting copy is a sign of tampering: a crafted collision
  // must not pass for an identical copy. Lengths are hashed too, so field boundaries cannot shift.
  // One buffer, one digest: far cheaper than a digest update per field.
  std::string& buf = scratch_;
  buf.clear();
  const auto put = [&](std::string_view s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
  };
  put(std::to_string(event.event_id));
  put(std::to_string(event.time));
  put(event.provider);
  for (const auto& f : event.fields) {
    put(f.name);
    put(f.value);
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
    host.security.push_back({event.record_id, event.time, event.source});
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
