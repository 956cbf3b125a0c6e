// The reading options a stored unit was read with, and whether another ingest's or run's options
// would read its files differently. A unit is stored once per content (SHA-256): without this, a
// file rejected for want of --events-tz could never be read with it, and a zone given to a run
// would silently not apply to the files it reads from a store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flexrecon/source.h"

namespace flexrecon {

struct UnitReading {
  std::string events_tz;               // --events-tz; empty: none given
  std::uint64_t max_member_bytes = 0;  // the archive member cap (rules: max_archive_member_mib)
};

// What of `now` reads a unit with these custody entries differently from `stored`, said for a user
// ("read without --events-tz; this one gives America/Chicago"), or "" when nothing does. The zone
// counts only for a unit with a SIEM JSON file (only those have times written without one), the
// member cap only for an archive.
std::string reading_difference(const UnitReading& stored, const UnitReading& now, const std::vector<SourceFile>& sources,
                               const std::string& now_is);

}  // namespace flexrecon
