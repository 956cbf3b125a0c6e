// The last-alive time a System 6008 ("the previous system shutdown was unexpected") records: the
// best available estimate of when a crashed or powered-off host stopped.
#pragma once

#include <optional>

#include "flexrecon/host_event.h"

namespace flexrecon::sessions {

// Reads the time from a 6008's data, best source first:
//  1. <Binary>: two SYSTEMTIMEs (local, then UTC); the second is used when present and valid;
//  2. Data1 (time, e.g. `10:15:31 PM`) and Data2 (date, e.g. `11/26/2026`, possibly wrapped in
//     U+200E marks) as Windows renders them; read as UTC since the host's zone is unknown;
//  3. the first SYSTEMTIME of <Binary>, also read as UTC.
// nullopt when none of them parses; the caller then falls back to the 6008's own time.
std::optional<Instant> parse_last_alive(const HostEvent& e);

}  // namespace flexrecon::sessions
