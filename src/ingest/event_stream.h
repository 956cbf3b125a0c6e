// Format detection for one opened stream: EVTX binary, one of the XML export forms, or a SIEM export.
#pragma once

#include <string>
#include <string_view>

namespace flexrecon {

// How many leading bytes detection looks at.
constexpr std::size_t kSniffBytes = 1 << 16;

// The format name read_event_stream would report for a stream starting with `raw_head` ("evtx",
// "wevtutil-xml", ...), or "" when it is not an event format (it may still be an archive).
std::string sniff_event_format(std::string_view raw_head);

}  // namespace flexrecon
