#include "ingest/splunk_csv_reader.h"

#include <vector>

#include "ingest/xml_event_parser.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// One CSV record at a time from a byte stream: quoted fields with doubled quotes and line breaks,
// CRLF or LF. The record as a whole is bounded; a longer one is reported and skipped.
class CsvRecords {
 public:
  CsvRecords(ByteSource& in, std::uint64_t max_bytes) : in_(in), max_bytes_(max_bytes), buf_(1 << 16) {}

  struct Record {
    std::uint64_t line = 0;
    std::vector<std::string> fields;
    std::string broken;
  };

  bool next(Record& r) {
    r.fields.clear();
    r.broken.clear();
    while (peek() == '\n' || peek() == '\r') get();  // blank lines
    if (peek() < 0) return false;
    r.line = line_;
    std::uint64_t bytes = 0;
    std::string field;
    bool quoted = false;
    bool at_field_start = true;
    while (true) {
      const int c = get();
      if (c < 0) {
        if (quoted) r.broken = "quoted field runs to the end of the file";
        break;
      }
      if (++bytes > max_bytes_ && r.broken.empty()) {
        r.broken = "CSV row larger than " + std::to_string(max_bytes_ >> 20) + " MiB";
        r.fields.clear();
        field.clear();
        field.shrink_to_fit();
      }
      const bool keep = r.broken.empty();
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            get();
            if (keep) field.push_back('"');
          } else {
            quoted = false;
          }
        } else if (keep) {
          field.push_back(static_cast<char>(c));
        }
        continue;
      }
      if (c == '"' && at_field_start) {
        quoted = true;
        at_field_start = false;
      } else if (c == ',') {
        if (keep) r.fields.push_back(std::move(field));
        field.clear();
        at_field_start = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && peek() == '\n') get();
        break;
      } else {
        at_field_start = false;
        if (keep) field.push_back(static_cast<char>(c));
      }
    }
    if (r.broken.empty()) r.fields.push_back(std::move(field));
    return true;
  }

 private:
  bool fill() {
    if (pos_ < end_) return true;
    if (eof_) return false;
    pos_ = 0;
    end_ = in_.read(buf_.data(), buf_.size());
    eof_ = end_ == 0;
    return end_ > 0;
  }
  int peek() { return fill() ? static_cast<unsigned char>(buf_[pos_]) : -1; }
  int get() {
    if (!fill()) return -1;
    const int c = static_cast<unsigned char>(buf_[pos_++]);
    // A lone CR ends a line too (CR and CRLF count once: the LF of a CRLF is not counted).
    if (c == '\n' || (c == '\r' && peek() != '\n')) ++line_;
    return c;
  }

  ByteSource& in_;
  std::uint64_t max_bytes_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_ = 1;
};

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
  CsvRecords records(utf8, options.max_event_bytes);
  XmlEventParser parser(options);
  CsvRecords::Record r;
  if (!records.next(r)) return;
  std::size_t raw_column = r.fields.size();
  for (std::size_t i = 0; i < r.fields.size(); ++i)
    if (trim(r.fields[i]) == "_raw") raw_column = i;
  if (raw_column == r.fields.size()) throw Error::input(source_name + ": Splunk CSV without a _raw column");
  std::string why;
  while (records.next(r)) {
    const std::string location = "line " + std::to_string(r.line);
    if (!r.broken.empty()) {
      rejects.push_back({source_name, location, r.broken});
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
