#include "ingest/siem_json_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "ingest/json_document_splitter.h"
#include "ingest/xml_event_parser.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

// Keys NXLog (and the Logstash pipeline that usually ships its output) adds around the event data:
// they describe the record or its transport, not the event, and an XML export of the same record
// has no such fields. Everything else at the top level is the event's EventData/UserData.
bool is_nxlog_metadata(std::string_view key) {
  static constexpr std::array<std::string_view, 38> kKeys = {
      "@timestamp", "@version", "@metadata", "AccountType", "ActivityID", "Category", "Channel", "Domain",
      "EventID", "EventReceivedTime", "EventTime", "EventTimeUTC", "EventType", "ExecutionProcessID",
      "Hostname", "Keywords", "Message", "Opcode", "OpcodeValue", "ProviderGuid", "RecordNumber",
      "RelatedActivityID", "Severity", "SeverityValue", "SourceModuleName", "SourceModuleType", "SourceName",
      "Task", "ThreadID", "UserID", "Version", "beat", "fields", "host", "message", "port", "tags", "type"};
  return std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end();
}

// A JSON value as the text an XML export would carry: strings as they are, numbers in decimal,
// null as empty, nested values as compact JSON.
std::string value_text(const element& v) {
  switch (v.type()) {
    case element_type::STRING: return std::string(std::string_view(v.get_string().value_unsafe()));
    case element_type::INT64: return std::to_string(v.get_int64().value_unsafe());
    case element_type::UINT64: return std::to_string(v.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      std::array<char, 64> buf{};
      const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.get_double().value_unsafe());
      return std::string(buf.data(), r.ptr);
    }
    case element_type::BOOL: return v.get_bool().value_unsafe() ? "true" : "false";
    case element_type::NULL_VALUE: return "";
    default: return simdjson::minify(v);
  }
}

// Winlogbeat and NXLog write ids as numbers or as strings ("record_number": "5402080").
template <typename T>
bool integer_of(const element& v, T& out) {
  if (v.type() == element_type::INT64) {
    const std::int64_t n = v.get_int64().value_unsafe();
    if (n < 0) return false;
    out = static_cast<T>(n);
    return static_cast<std::int64_t>(out) == n;
  }
  if (v.type() == element_type::UINT64) {
    const std::uint64_t n = v.get_uint64().value_unsafe();
    out = static_cast<T>(n);
    return static_cast<std::uint64_t>(out) == n;
  }
  if (v.type() != element_type::STRING) return false;
  const std::string_view s = trim(v.get_string().value_unsafe());
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// The member `key` of `o`, or nullopt. Duplicates were refused before (no_duplicate_keys).
std::optional<element> member(const object& o, std::string_view key) {
  element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

std::optional<object> object_member(const object& o, std::string_view key) {
  const auto v = member(o, key);
  object out;
  if (!v || v->get_object().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::string string_member(const object& o, std::string_view key) {
  const auto v = member(o, key);
  return v ? std::string(trim(value_text(*v))) : std::string();
}

// The same key twice in one object makes the record ambiguous (which LogonType is true?): the
// document is refused rather than read one way.
bool no_duplicate_keys(const object& o, std::string& why) {
  std::vector<std::string_view> keys;
  keys.reserve(o.size());
  for (const auto field : o) keys.push_back(field.key);
  std::sort(keys.begin(), keys.end());
  const auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup == keys.end()) return true;
  why = "duplicate JSON key '" + std::string(dup->substr(0, 64)) + "'";
  return false;
}

// EventData / UserData as Winlogbeat writes them: one object of named values. Winlogbeat adds
// `xml_name` (the UserData wrapper's element name) to user_data; it is not a field of the event.
bool add_fields(const object& data, std::vector<EventField>& fields, std::string& why) {
  if (!no_duplicate_keys(data, why)) return false;
  for (const auto field : data) {
    if (field.key == "xml_name") continue;
    fields.push_back({std::string(field.key), std::string(trim(value_text(field.value)))});
  }
  return true;
}

bool require_time(std::string_view text, std::string_view what, Event& out, std::string& why) {
  std::string time_why;
  const auto t = parse_timestamp(trim(text), &time_why);
  if (!t) {
    why = text.empty() ? "missing " + std::string(what)
                       : "unparsable " + std::string(what) + " '" + std::string(text.substr(0, 64)) + "'" +
                             (time_why.empty() ? "" : ": " + time_why);
    return false;
  }
  out.time = *t;
  return true;
}

enum class Shape { WinlogbeatEcs, Winlogbeat6, Nxlog, Splunk, Unknown };

Shape shape_of(const object& doc) {
  if (object_member(doc, "winlog")) return Shape::WinlogbeatEcs;
  if (member(doc, "_raw") || object_member(doc, "result")) return Shape::Splunk;
  if (member(doc, "log_name") && member(doc, "computer_name")) return Shape::Winlogbeat6;
  if (member(doc, "EventID") && member(doc, "Hostname")) return Shape::Nxlog;
  return Shape::Unknown;
}

class DocumentReader {
 public:
  explicit DocumentReader(const EventReadOptions& options) : options_(options), xml_(options) {}

  // Fills `out` (but source and line) from one parsed document; false with `why` when it cannot.
  bool read(const object& top, Event& out, std::string& why) {
    out.fields.clear();
    if (!no_duplicate_keys(top, why)) return false;
    // An Elasticsearch dump (elasticdump, a scroll of _search hits) wraps each Winlogbeat document
    // in its index metadata: the event is the `_source`.
    object doc = top;
    if (const auto source = object_member(top, "_source")) {
      doc = *source;
      if (!no_duplicate_keys(doc, why)) return false;
    }
    switch (shape_of(doc)) {
      case Shape::WinlogbeatEcs: return winlogbeat_ecs(doc, out, why);
      case Shape::Winlogbeat6: return winlogbeat6(doc, out, why);
      case Shape::Nxlog: return nxlog(doc, out, why);
      case Shape::Splunk: return splunk(doc, out, why);
      case Shape::Unknown: break;
    }
    why = "not a Windows event of a known SIEM export (Winlogbeat, NXLog, Splunk)";
    return false;
  }

  // Set when an event had a time without zone and nothing to place it: see read_siem_json_events.
  bool needs_zone = false;

 private:
  // The System part every shape shares once its keys are found. The host is the machine that logged
  // the event (its Computer), never the collector or forwarder that shipped it.
  bool system(std::string computer, std::string channel, std::string provider, const std::optional<element>& id,
              const std::optional<element>& record, Event& out, std::string& why) {
    if (!id) {
      why = "missing event id";
      return false;
    }
    if (!integer_of(*id, out.event_id)) {
      why = "unparsable event id '" + value_text(*id).substr(0, 64) + "'";
      return false;
    }
    out.record_id = 0;
    if (record && record->type() != element_type::NULL_VALUE && !integer_of(*record, out.record_id)) {
      why = "unparsable record number '" + value_text(*record).substr(0, 64) + "'";
      return false;
    }
    if (computer.empty()) {
      why = "missing computer name";
      return false;
    }
    out.computer = std::move(computer);
    out.host = normalize_host(out.computer);
    out.channel_name = std::move(channel);
    out.channel = channel_from_name(out.channel_name);
    out.provider = std::move(provider);
    return true;
  }

  // Winlogbeat 7/8 (ECS): the event's own System values live under `winlog`; `host.name` and
  // `agent.*` name the machine running Winlogbeat (a collector, when events are forwarded).
  bool winlogbeat_ecs(const object& doc, Event& out, std::string& why) {
    const object winlog = *object_member(doc, "winlog");
    if (!no_duplicate_keys(winlog, why)) return false;
    std::optional<element> id = member(winlog, "event_id");
    if (!id)
      if (const auto event = object_member(doc, "event")) id = member(*event, "code");
    if (!system(string_member(winlog, "computer_name"), string_member(winlog, "channel"),
                string_member(winlog, "provider_name"), id, member(winlog, "record_id"), out, why))
      return false;
    if (!require_time(string_member(doc, "@timestamp"), "@timestamp", out, why)) return false;
    for (const char* part : {"event_data", "user_data"})
      if (const auto data = object_member(winlog, part))
        if (!add_fields(*data, out.fields, why)) return false;
    return true;
  }

  // Winlogbeat 6 (before ECS): the same values at the top level under older names; `beat.hostname`
  // and `host.name` are the shipper.
  bool winlogbeat6(const object& doc, Event& out, std::string& why) {
    if (!system(string_member(doc, "computer_name"), string_member(doc, "log_name"), string_member(doc, "source_name"),
                member(doc, "event_id"), member(doc, "record_number"), out, why))
      return false;
    if (!require_time(string_member(doc, "@timestamp"), "@timestamp", out, why)) return false;
    for (const char* part : {"event_data", "user_data"})
      if (const auto data = object_member(doc, part))
        if (!add_fields(*data, out.fields, why)) return false;
    return true;
  }

  // NXLog im_msvistalog: flat. `Hostname` is the logging machine; `host` is added by the pipeline
  // (the collector). The event data are the top-level keys that are not NXLog's own.
  bool nxlog(const object& doc, Event& out, std::string& why) {
    if (!system(string_member(doc, "Hostname"), string_member(doc, "Channel"), string_member(doc, "SourceName"),
                member(doc, "EventID"), member(doc, "RecordNumber"), out, why))
      return false;
    if (!nxlog_time(doc, out, why)) return false;
    // NXLog resolves the System UserID into AccountName/Domain/AccountType next to it; without a
    // UserID, an AccountName is the event's own field (4778/4779 carry one).
    const bool system_account = member(doc, "UserID").has_value();
    for (const auto field : doc) {
      if (is_nxlog_metadata(field.key)) continue;
      if (system_account && field.key == "AccountName") continue;
      out.fields.push_back({std::string(field.key), std::string(trim(value_text(field.value)))});
    }
    return true;
  }

  // NXLog writes EventTime in the collector's wall-clock time, with no zone. In order:
  //  - EventTimeUTC, or an EventTime that does carry an offset: used as written;
  //  - --events-tz: the user says which zone the collector ran in;
  //  - @timestamp: the UTC instant the pipeline stamped beside a wall-clock time of the same
  //    machine (EventReceivedTime, else EventTime). Their difference, rounded to the nearest quarter
  //    hour, is the collector's UTC offset at that moment, which EventTime is shifted by. (The
  //    @timestamp itself is the time of receipt, seconds after the event: not the event's time.)
  //  - none of them: the zone is unknown and nothing is guessed.
  bool nxlog_time(const object& doc, Event& out, std::string& why) {
    const std::string utc_text = string_member(doc, "EventTimeUTC");
    if (!utc_text.empty()) return require_time(utc_text, "EventTimeUTC", out, why);
    const std::string local_text = string_member(doc, "EventTime");
    std::string time_why;
    const auto local = parse_timestamp_ex(local_text, &time_why);
    if (!local) {
      why = local_text.empty() ? "missing EventTime"
                               : "unparsable EventTime '" + local_text.substr(0, 64) + "'" +
                                     (time_why.empty() ? "" : ": " + time_why);
      return false;
    }
    if (local->had_offset) {
      out.time = local->utc;
      return true;
    }
    if (!options_.events_tz.empty()) {
      out.time = local_to_utc(options_.events_tz, local->utc);
      return true;
    }
    const std::string stamp_text = string_member(doc, "@timestamp");
    const auto stamp = parse_timestamp_ex(stamp_text);
    if (stamp && stamp->had_offset) {
      const std::string received_text = string_member(doc, "EventReceivedTime");
      const auto received = parse_timestamp_ex(received_text);
      const Instant wall = received && !received->had_offset ? received->utc : local->utc;
      constexpr Instant kQuarter = 15 * kMinute;
      const Instant diff = wall - stamp->utc;
      const Instant offset = static_cast<Instant>(std::llround(static_cast<double>(diff) / kQuarter)) * kQuarter;
      if (offset > 14 * kHour || offset < -14 * kHour) {
        why = "EventTime has no zone and @timestamp '" + stamp_text.substr(0, 64) +
              "' is no UTC offset away from it: pass --events-tz ZONE";
        return false;
      }
      out.time = local->utc - offset;
      return true;
    }
    needs_zone = true;
    why = "NXLog EventTime has no zone: pass --events-tz ZONE";
    return false;
  }

  // Splunk XmlWinEventLog: the event's own XML in `_raw` (at the top, or under `result` in the
  // REST/CLI export). Splunk's `host` is whatever the forwarder said: the Computer inside wins.
  bool splunk(const object& doc, Event& out, std::string& why) {
    const object* holder = &doc;
    object result;
    if (const auto r = object_member(doc, "result")) {
      result = *r;
      if (!no_duplicate_keys(result, why)) return false;
      holder = &result;
    }
    const auto raw = member(*holder, "_raw");
    if (!raw || raw->type() != element_type::STRING) {
      why = "Splunk result without an _raw event";
      return false;
    }
    return parse_splunk_raw(raw->get_string().value_unsafe(), out, why);
  }

 public:
  bool parse_splunk_raw(std::string_view raw, Event& out, std::string& why) {
    if (!contains(raw, "<Event")) {
      why = "_raw holds no <Event> XML (export the XmlWinEventLog source type)";
      return false;
    }
    text_.assign(raw);
    return xml_.parse(text_, out, why);
  }

 private:
  const EventReadOptions& options_;
  XmlEventParser xml_;
  std::string text_;
};

std::string describe(simdjson::error_code e, const EventReadOptions& options) {
  switch (e) {
    case simdjson::DEPTH_ERROR: return "JSON nested deeper than " + std::to_string(options.max_depth) + " levels";
    case simdjson::UTF8_ERROR: return "JSON document is not valid UTF-8";
    case simdjson::CAPACITY: return "JSON document too large";
    default: return std::string("malformed JSON: ") + simdjson::error_message(e);
  }
}

}  // namespace

std::string sniff_siem_json_format(std::string_view head) {
  std::size_t p = 0;
  while (p < head.size() && (head[p] == ' ' || head[p] == '\t' || head[p] == '\r' || head[p] == '\n')) ++p;
  if (p >= head.size() || (head[p] != '{' && head[p] != '[')) return "";
  // The first document's keys, as far as the head shows them. Quoted key names cannot occur in
  // XML or CSV heads, so a match is the SIEM form and not a look-alike.
  const auto rest = head.substr(p);
  if (contains(rest, "\"winlog\"") && contains(rest, "\"computer_name\"")) return "winlogbeat-ecs-json";
  if (contains(rest, "\"_raw\"") && contains(rest, "<Event")) return "splunk-json";
  if (contains(rest, "\"log_name\"") && contains(rest, "\"computer_name\"")) return "winlogbeat6-json";
  if (contains(rest, "\"EventID\"") && contains(rest, "\"Hostname\"") &&
      (contains(rest, "\"EventTime\"") || contains(rest, "\"SourceModuleType\"")))
    return "nxlog-json";
  return "";
}

void read_siem_json_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                           const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                           Rejects& rejects) {
  JsonDocumentSplitter splitter(utf8, options.max_event_bytes);
  simdjson::dom::parser parser;
  if (const auto e = parser.allocate(options.max_event_bytes, static_cast<std::size_t>(options.max_depth)))
    throw Error::internal(source_name + ": cannot allocate the JSON parser: " + simdjson::error_message(e));
  DocumentReader reader(options);
  JsonDocument doc;
  std::string why;
  bool any_event = false;
  while (splitter.next(doc)) {
    const std::string location = "line " + std::to_string(doc.line);
    if (!doc.broken.empty()) {
      rejects.push_back({source_name, location, doc.broken});
      continue;
    }
    const std::size_t size = doc.text.size();
    doc.text.append(simdjson::SIMDJSON_PADDING, ' ');  // simdjson reads ahead past the end
    element root;
    if (const auto e = parser.parse(doc.text.data(), size, false).get(root)) {
      rejects.push_back({source_name, location, describe(e, options)});
      continue;
    }
    object o;
    if (root.get_object().get(o) != simdjson::SUCCESS) {
      rejects.push_back({source_name, location, "JSON document is not an object"});
      continue;
    }
    Event event;
    reader.needs_zone = false;
    bool ok = false;
    try {
      ok = reader.read(o, event, why);
    } catch (const simdjson::simdjson_error& e) {
      why = std::string("malformed JSON: ") + e.what();
    }
    if (!ok) {
      // The first event already lacks a zone: the whole file is written that way, and one reject
      // says what to do rather than one per line.
      if (reader.needs_zone && !any_event) throw Error::input(source_name + ": " + why);
      rejects.push_back({source_name, location, why});
      continue;
    }
    event.source = source;
    event.line = doc.line;
    event.ref_by_line = true;
    any_event = true;
    deliver(std::move(event));
  }
}

}  // namespace flexrecon
