// Splunk XmlWinEventLog results exported as CSV (Export → CSV, or `outputcsv`): one row per event,
// the event's own XML in the `_raw` column.
// Rows are read by the project's RFC 4180 reader (util/csv_reader.h), streamed one at a time, each
// bounded like an XML event.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// "splunk-csv" when the head's first CSV record, read as the reader reads it (quoted commas and line
// breaks included) and complete within the head, has a `_raw` column, and event XML follows; else "".
std::string sniff_splunk_csv_format(std::string_view utf8_head);

// Reads every row: its `_raw` parsed as one event (cited by line), a broken row rejected alone.
void read_splunk_csv_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                            const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                            Rejects& rejects);

}  // namespace flexrecon
