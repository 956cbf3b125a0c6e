// Splunk XmlWinEventLog results exported as CSV (Export → CSV, or `outputcsv`): one row per event,
// the event's own XML in the `_raw` column.
//
// The project's RFC 4180 reader lives in src/tables, which sits above ingest (tables links ingest),
// so it cannot be used here without a dependency cycle; this reader is the small part ingest needs:
// records streamed one at a time, each bounded like an XML event.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// "splunk-csv" when the first line is a CSV header with a `_raw` column and the head holds event
// XML, else "".
std::string sniff_splunk_csv_format(std::string_view utf8_head);

// Reads every row: its `_raw` parsed as one event (cited by line), a broken row rejected alone.
void read_splunk_csv_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                            const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                            Rejects& rejects);

}  // namespace flexrecon
