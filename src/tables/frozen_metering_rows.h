// Metering rows waiting, serialised, while the event logs are read and the hosts rebuilt.
//
// A run reads the metering first, so that a file it cannot use stops it before hours of logs are
// read, but only the rules and the pack need the rows. As MeteringRow objects they cost ~400 bytes
// and a few heap strings each (3.6 MB for the 9,000 rows of 100 hosts over 120 days) through the
// rebuilding phase, where a run has its peak; serialised (src/util/varint.h) they cost about a
// fifth of that. thaw() gives them back exactly, in order.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "flexrecon/metering.h"

namespace flexrecon {

class FrozenMeteringRows {
 public:
  // Takes the rows and frees what they held.
  explicit FrozenMeteringRows(std::vector<MeteringRow>&& rows);
  std::vector<MeteringRow> thaw() const;
  std::size_t size() const { return count_; }
  std::size_t memory_bytes() const { return sizeof(*this) + bytes_.capacity(); }

 private:
  std::string bytes_;
  std::size_t count_ = 0;
};

}  // namespace flexrecon
