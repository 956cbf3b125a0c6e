// A host's cited events held as bytes once its timeline is built, read back one `Event` at a time.
//
// After the reconstruction, a host's events are only read again by the pack (the evidence store's
// rows, the dossier's exhibits), one at a time. As `Event`s they cost ~580 bytes each (the struct,
// its strings and field vector, allocator overhead) and, over months of logs, they were most of
// what a run held at its peak. Packed, an event costs its text plus a few bytes of lengths and
// numbers (~150 bytes on the estates), and a pack reader decodes only the event it is writing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flexrecon/event.h"

namespace flexrecon {

class PackedEvents {
 public:
  // Appends `e`; at(size() - 1) returns an Event equal to it in every member.
  void add(const Event& e);
  std::size_t size() const { return offsets_.size(); }
  bool empty() const { return offsets_.empty(); }
  Event at(std::size_t i) const;
  // The bytes held (packed events and their offsets, capacity included): what the tests bound.
  std::size_t memory_bytes() const;
  void shrink_to_fit();

 private:
  std::string bytes_;
  std::vector<std::size_t> offsets_;  // where each event starts in bytes_
};

}  // namespace flexrecon
