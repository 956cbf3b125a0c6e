// Which edition of the IANA time zone database the zones came from, for the chain of custody: a
// zone's history changes between editions (a country moves its clocks), so a pack says which one its
// local-time conversions used.
#pragma once

#include <string>

namespace flexrecon {

// The edition named on the first line of /usr/share/zoneinfo/tzdata.zi (`# version 2026a` ->
// "2026a"), the file Debian's tzdata ships beside the compiled zones; "unknown" when it is missing or
// says nothing else (date/tz, built to read the system's zones, does not know it).
std::string tz_database_version();

}  // namespace flexrecon
