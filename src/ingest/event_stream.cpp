// read_event_stream: the one entry point that turns a stream of bytes into events, whatever the form.
#include "ingest/event_stream.h"

#include "evtx/evtx_reader.h"
#include "flexrecon/event_store.h"
#include "ingest/byte_sources.h"
#include "ingest/siem_json_reader.h"
#include "ingest/splunk_csv_reader.h"
#include "ingest/utf8_decoder.h"
#include "ingest/xml_reader.h"

namespace flexrecon {

namespace {

// The text forms, from the decoded head: XML exports first, then the SIEM exports.
std::string sniff_text_format(std::string_view utf8_head) {
  std::string format = sniff_xml_format(utf8_head);
  if (format.empty()) format = sniff_siem_json_format(utf8_head);
  if (format.empty()) format = sniff_splunk_csv_format(utf8_head);
  return format;
}

}  // namespace

std::string sniff_event_format(std::string_view raw_head) {
  if (raw_head.size() >= 8 && looks_like_evtx(raw_head)) return "evtx";
  MemorySource memory(raw_head);
  Utf8Decoder decoder(memory);
  return sniff_text_format(read_head(decoder, raw_head.size() * 2));
}

std::string read_event_stream(ByteSource& in, const std::string& source_name, SourceId source,
                              const EventReadOptions& options,
                              const std::function<void(Event&&)>& deliver, Rejects& rejects) {
  std::string raw_head = read_head(in, kSniffBytes);
  if (raw_head.size() >= 8 && looks_like_evtx(raw_head)) {
    PrefixedSource replay(std::move(raw_head), in);
    read_evtx_stream(replay, source_name, source, options, deliver, rejects);
    return "evtx";
  }
  PrefixedSource replay(std::move(raw_head), in);
  Utf8Decoder decoder(replay);
  std::string head = read_head(decoder, kSniffBytes);
  std::string format = sniff_text_format(head);
  if (format.empty()) return "";
  PrefixedSource decoded(std::move(head), decoder);
  if (format == "splunk-csv") {
    read_splunk_csv_events(decoded, source_name, source, options, deliver, rejects);
  } else if (format.ends_with("-json")) {
    read_siem_json_events(decoded, source_name, source, options, deliver, rejects);
  } else {
    read_xml_events(decoded, source_name, source, options, deliver, rejects);
  }
  return format;
}

}  // namespace flexrecon
