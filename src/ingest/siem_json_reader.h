// SIEM exports of Windows events (SPEC 1.2): Winlogbeat 7/8 (ECS) and 6, NXLog im_msvistalog, and
// Splunk XmlWinEventLog results, as JSON (one document per line or one array).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// Names the SIEM JSON form from the first decoded bytes of a file: "winlogbeat-ecs-json",
// "winlogbeat6-json", "nxlog-json", "splunk-json", or "" when the head is not one of them. Only the
// first document decides; each document is then read by its own shape, so a mixed file still reads.
std::string sniff_siem_json_format(std::string_view utf8_head);

// Reads every document of a UTF-8 stream. Well-formed events go to `deliver` (cited by line), each
// broken document to `rejects` with its line; one bad document never stops the rest. Times written
// without a zone (NXLog EventTime) take it from @timestamp / EventTimeUTC, else from
// options.events_tz; a file whose first event has neither throws Error::input (the file is
// rejected as a whole with a reason that names --events-tz): flexrecon never guesses a zone.
void read_siem_json_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                           const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                           Rejects& rejects);

}  // namespace flexrecon
