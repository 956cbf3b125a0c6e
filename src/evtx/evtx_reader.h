// Reader for the EVTX binary format (the .evtx files Windows writes), producing the same Event values
// as the XML reader. Format: libyal's libevtx documentation (file header, 64 KiB chunks, event
// records holding Binary XML with templates and substitutions).
#pragma once

#include <functional>
#include <string>

#include "flexrecon/error.h"
#include "flexrecon/event.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// True when `head` (the first bytes of a stream, at least 8) starts with the EVTX signature "ElfFile\0".
bool looks_like_evtx(std::string_view head);

// Streams the records of an EVTX file chunk by chunk (memory bounded by one chunk). Each well-formed
// record is delivered as an Event (source, record_id, time, channel, provider, computer, host,
// event_id, fields filled; line = 0). A corrupt chunk or record is rejected alone (location
// `chunk N`, or `chunk N offset 0xX` for one record; chunks count from 0 after the file header) and
// reading goes on with the next one. All-zero chunks (preallocated, never written) are skipped
// silently. Field values are trimmed, line ends normalised to LF, and control characters XML cannot
// carry dropped, so they equal what the XML reader gets from the same event exported by wevtutil.
void read_evtx_stream(ByteSource& in, const std::string& source_name, SourceId source,
                      const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                      Rejects& rejects);

}  // namespace flexrecon
