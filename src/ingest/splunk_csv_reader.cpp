#include "ingest/splunk_csv_reader.h"

#include <istream>
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

std::string_view unquoted(std::string_view cell) {
  cell = trim(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
  return cell;
}

}  // namespace

std::string sniff_splunk_csv_format(std::string_view head) {
  const auto eol = head.find_first_of("\r\n");
  if (eol == std::string_view::npos) return "";
  bool raw = false;
  for (const std::string& cell : split(head.substr(0, eol), ','))
    if (unquoted(cell) == "_raw") raw = true;
  return raw && head.find("<Event", eol) != std::string_view::npos ? "splunk-csv" : "";
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
  std::size_t raw_column = r.fields.size();
  for (std::size_t i = 0; i < r.fields.size(); ++i)
    if (trim(r.fields[i]) == "_raw") raw_column = i;
  if (raw_column == r.fields.size()) throw Error::input(source_name + ": Splunk CSV without a _raw column");
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
