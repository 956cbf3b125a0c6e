// The XML event reader of SPEC 1.2: every export form (wevtutil, /e:root, Event Viewer, PowerShell
// ToXml, python-evtx) through one streaming path.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// Names the XML export form from the first decoded (UTF-8) bytes of a file: "wevtutil-xml" (bare
// <Event> elements), "root-xml" (a wrapper such as wevtutil's /e:root), "eventviewer-xml" (an
// <Events> root: Event Viewer and python-evtx), "powershell-xml" (bare events with single-quoted
// attributes, as ToXml() writes them), or "" when the head does not look like event XML.
std::string sniff_xml_format(std::string_view utf8_head);

// Reads every event of a UTF-8 stream. Well-formed events go to `deliver`, each broken one to
// `rejects` with its line; one bad event never stops the rest.
void read_xml_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                     const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                     Rejects& rejects);

}  // namespace flexrecon
