#include "ingest/splunk_csv_reader.h"

#include <istream>
#include <optional>
#include <sstream>
#include <streambuf>
#include <vector>

#include "ingest/xml_event_parser.h"
#include "util/csv_reader.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// The byte stream as a std::istream, so the tables' RFC 4180 reader (util/csv_reader) reads it.
class ByteSourceBuf : public std::streambuf {
 public:
  explicit ByteSourceBuf(ByteSource& in) : in_(in), buf_(1 << 16) {}

 protected:
  int_type underflow() override {
    const std::size_t n = in_.read(buf_.data(), buf_.size());
    if (n == 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  ByteSource& in_;
  std::vector<char> buf_;
};

// Why a record the CSV reader flagged is not used.
std::string broken_reason(const CsvRecord& r, std::uint64_t max_bytes) {
  if (r.unterminated) return "quoted field runs to the end of the file";
  return "CSV row larger than " + std::to_string(max_bytes >> 20) + " MiB";
}

// The `_raw` column of a header record (the last, if named twice); the sniffer and the reader
// decide by this one test.
std::optional<std::size_t> raw_column_of(const CsvRecord& header) {
  std::optional<std::size_t> column;
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    if (trim(header.fields[i]) == "_raw") column = i;
  return column;
}

}  // namespace

std::string sniff_splunk_csv_format(std::string_view head) {
  // The header as the reader will take it: the first record by the same RFC 4180 rules, where a
  // quote opened on the first line carries the field past commas and line breaks. Split on commas
  // line by line instead, a damaged XML file with `"_raw"` among commas passed for Splunk CSV and was
  // rejected whole as "Splunk CSV without a _raw column" (fuzz/repro/xml_export/).
  std::istringstream in{std::string(head)};
  CsvReader records(in, head.size() + 1, head.size() + 1);
  CsvRecord header, row;
  if (!records.next(header) || !header.ok() || !raw_column_of(header)) return "";
  // A record after it: the header ends inside the head, as it does in the whole file.
  if (!records.next(row)) return "";
  const auto eol = head.find_first_of("\r\n");
  return eol != std::string_view::npos && head.find("<Event", eol) != std::string_view::npos ? "splunk-csv" : "";
}

void read_splunk_csv_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                            const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                            Rejects& rejects) {
  // A row and its _raw cell are bounded by the event bound: _raw holds one event's XML.
  ByteSourceBuf buf(utf8);
  std::istream in(&buf);
  in.exceptions(std::ios::badbit);  // a read error (a corrupt archive member) propagates, never looks like the end
  CsvReader records(in, options.max_event_bytes, options.max_event_bytes);
  XmlEventParser parser(options);
  CsvRecord r;
  if (!records.next(r)) return;
  // Through read_event_stream the sniffer has found this same header; a caller handing another
  // file directly gets the refusal.
  const std::optional<std::size_t> found = raw_column_of(r);
  if (!found) throw Error::input(source_name + ": Splunk CSV without a _raw column");
  const std::size_t raw_column = *found;
  std::string why;
  while (records.next(r)) {
    const std::string location = "line " + std::to_string(r.line);
    if (!r.ok()) {
      rejects.push_back({source_name, location, broken_reason(r, options.max_event_bytes)});
      continue;
    }
    if (raw_column >= r.fields.size()) {
      rejects.push_back({source_name, location, "row has no _raw cell (" + std::to_string(r.fields.size()) + " fields)"});
      continue;
    }
    std::string& raw = r.fields[raw_column];
    if (raw.find("<Event") == std::string::npos) {
      rejects.push_back({source_name, location, "_raw holds no <Event> XML (export the XmlWinEventLog source type)"});
      continue;
    }
    Event event;
    if (!parser.parse(raw, event, why)) {
      rejects.push_back({source_name, location, why});
      continue;
    }
    event.source = source;
    event.line = r.line;
    event.ref_by_line = true;
    deliver(std::move(event));
  }
}

}  // namespace flexrecon
