// The content fingerprint of an event: two copies of one (host, channel, EventRecordID) are the same
// record when their fingerprints agree, and a conflict (a sign of tampering) when they differ.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
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
  std::string buffer_;     // what is hashed
  std::vector<Field> fields_;
  // Only for fields whose names are not strictly in order: their canonical values, back to back.
  std::string canonical_;
  std::vector<CanonicalField> sorted_;
  Sha256Digester sha256_;
};

}  // namespace flexrecon
