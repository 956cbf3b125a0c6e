// The content fingerprint of an event: two copies of one (host, channel, EventRecordID) are the same
// record when their fingerprints agree, and a conflict (a sign of tampering) when they differ.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flexrecon/event.h"
#include "util/sha256.h"

namespace flexrecon {

using Fingerprint = std::array<unsigned char, 16>;

// Reusable: keeps its buffers between events, so the millions of events of an archive cost no
// allocation each. One per thread.
class Fingerprinter {
 public:
  Fingerprint of(const Event& event);

 private:
  struct Field {
    std::string_view name;
    std::string_view value;  // trimmed, not yet canonical
  };
  struct CanonicalField {
    std::string_view name;
    std::uint32_t offset;  // of the canonical value in canonical_
    std::uint32_t size;
  };
  struct NameOrder {
    std::vector<std::string> names;     // fields_' names, as the event had them
    std::vector<std::uint32_t> order;   // indexes into fields_, by name
    std::array<unsigned char, 32> names_digest{};  // SHA-256 of the names in that order, counted
  };
  // fields_' names in name order (and their digest), or nullptr when a name comes twice (then
  // canonical values decide the order too). Remembered per event id.
  const NameOrder* order_by_name(int event_id);
  static constexpr std::size_t kMaxRememberedOrders = 1024;

  std::string buffer_;     // what is hashed
  std::vector<Field> fields_;
  // Only for events with a name twice: their canonical values, back to back, and their order.
  std::string canonical_;
  std::vector<CanonicalField> sorted_;
  // The last name order seen per event id (order_by_name).
  std::unordered_map<int, NameOrder> orders_;
};

}  // namespace flexrecon
