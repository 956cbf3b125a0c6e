// Folds events, in input order, into an EventStore: counts, duplicate detection, and the per-host
// lists the reconstruction reads.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flexrecon/event_store.h"

namespace flexrecon {

class EventStoreBuilder {
 public:
  explicit EventStoreBuilder(EventStore& store) : store_(store) {}

  // Counts the event, drops it when its (host, channel, EventRecordID) was seen before (recording a
  // conflict when the copies differ), and keeps it when SPEC 1.2 uses it. Events without an
  // EventRecordID (0) cannot be told apart from copies, so they are never treated as duplicates,
  // and they leave no SecurityMark (coverage reasons from record ids).
  void add(Event&& event);
  // Sorts every host's lists into their documented order. Call once, after the last add().
  void finish();

 private:
  struct Key {
    std::uint32_t channel;  // index into channels_
    std::uint64_t record_id;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::uint64_t>()(k.record_id * 0x9E3779B97F4A7C15ull + k.channel);
    }
  };
  using Fingerprint = std::array<unsigned char, 16>;
  struct Seen {
    Fingerprint fingerprint;
    EvidenceRef ref;
  };

  Fingerprint fingerprint_of(const Event& event);

  EventStore& store_;
  // Lookup only, never iterated into output: unordered is safe for determinism here.
  std::map<std::string, std::unordered_map<Key, Seen, KeyHash>> seen_;
  std::string scratch_;  // reused by fingerprint_of
  std::vector<std::pair<std::string, std::string>> fields_;  // reused by fingerprint_of
  // Lower-cased channel name -> small id, so a million keys do not each hold a channel string.
  std::map<std::string, std::uint32_t> channels_;
};

}  // namespace flexrecon
