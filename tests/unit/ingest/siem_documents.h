// Real-shaped SIEM documents for tests: any Event rendered the way Winlogbeat 8 (ECS), Winlogbeat 6,
// NXLog im_msvistalog (behind a Logstash pipeline) and Splunk (XmlWinEventLog results) write it,
// with the collector's own name where each product puts it, so tests can check it is never the host.
// Layouts follow the public OTRF Security-Datasets exports and the products' documentation.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/event.h"
#include "flexrecon/event_store.h"
#include "ingest/byte_sources.h"

namespace flexrecon::test {

inline std::string json_string(std::string_view v) {
  std::string out = "\"";
  for (const char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

inline std::string json_object(const std::vector<EventField>& fields) {
  std::string out = "{";
  for (const auto& f : fields) out += (out.size() > 1 ? "," : "") + json_string(f.name) + ":" + json_string(f.value);
  return out + "}";
}

inline std::string xml_escape(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '\'') out += "&apos;";
    else out.push_back(c);
  }
  return out;
}

// UserData events (LocalSessionManager) keep their fields under UserData, the rest under EventData.
inline bool has_user_data(const Event& e) { return e.channel == Channel::LocalSessionManager; }

// `YYYY-MM-DD HH:MM:SS`, the form NXLog and Splunk's _time use.
inline std::string wall_text(Instant t) {
  std::string s = format_utc(t);
  s[10] = ' ';
  s.pop_back();
  return s;
}

// The event as the Windows rendering (what Splunk keeps in _raw).
inline std::string to_event_xml(const Event& e) {
  std::string x = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" +
                  xml_escape(e.provider) + "'/><EventID>" + std::to_string(e.event_id) + "</EventID><TimeCreated SystemTime='" +
                  format_utc_precise(e.time) + "'/><EventRecordID>" + std::to_string(e.record_id) + "</EventRecordID><Channel>" +
                  xml_escape(e.channel_name) + "</Channel><Computer>" + xml_escape(e.computer) + "</Computer></System>";
  if (has_user_data(e)) {
    x += "<UserData><EventXML xmlns='Event_NS'>";
    for (const auto& f : e.fields) x += "<" + f.name + ">" + xml_escape(f.value) + "</" + f.name + ">";
    x += "</EventXML></UserData>";
  } else {
    x += "<EventData>";
    for (const auto& f : e.fields) x += "<Data Name='" + xml_escape(f.name) + "'>" + xml_escape(f.value) + "</Data>";
    x += "</EventData>";
  }
  return x + "</Event>";
}

// Winlogbeat 8, ECS: ids as strings (event.code, winlog.event_id), the shipper in host/agent.
inline std::string to_winlogbeat_ecs(const Event& e) {
  std::string data = has_user_data(e) ? "\"user_data\":{\"xml_name\":\"EventXML\"," + json_object(e.fields).substr(1)
                                      : "\"event_data\":" + json_object(e.fields);
  if (e.fields.empty() && has_user_data(e)) data = "\"user_data\":{\"xml_name\":\"EventXML\"}";
  return "{\"@timestamp\":" + json_string(format_utc_precise(e.time)) +
         ",\"agent\":{\"hostname\":\"wec01\",\"name\":\"wec01\",\"type\":\"winlogbeat\",\"version\":\"8.11.1\"}"
         ",\"ecs\":{\"version\":\"8.0.0\"},\"event\":{\"code\":" + json_string(std::to_string(e.event_id)) +
         ",\"kind\":\"event\",\"provider\":" + json_string(e.provider) +
         "},\"host\":{\"name\":\"wec01.corp.example\"},\"log\":{\"level\":\"information\"},\"message\":\"(rendered message)\""
         ",\"winlog\":{\"channel\":" + json_string(e.channel_name) + ",\"computer_name\":" + json_string(e.computer) +
         "," + data + ",\"event_id\":" + json_string(std::to_string(e.event_id)) + ",\"provider_name\":" + json_string(e.provider) +
         ",\"record_id\":" + std::to_string(e.record_id) + ",\"process\":{\"pid\":812,\"thread\":{\"id\":4316}}}}";
}

// Winlogbeat 6: top-level names, record_number as a string, the shipper in beat.hostname.
inline std::string to_winlogbeat6(const Event& e) {
  const std::string data = has_user_data(e) ? "\"user_data\":{\"xml_name\":\"EventXML\"," + json_object(e.fields).substr(1)
                                            : "\"event_data\":" + json_object(e.fields);
  return "{\"@timestamp\":" + json_string(format_utc_precise(e.time)) +
         ",\"@metadata\":{\"beat\":\"winlogbeat\",\"type\":\"doc\",\"version\":\"6.7.0\"},\"beat\":{\"hostname\":\"WECserver\","
         "\"name\":\"WECserver\",\"version\":\"6.7.0\"},\"computer_name\":" + json_string(e.computer) + "," + data +
         ",\"event_id\":" + std::to_string(e.event_id) + ",\"host\":{\"name\":\"WECserver\"},\"level\":\"Information\","
         "\"log_name\":" + json_string(e.channel_name) + ",\"message\":\"(rendered message)\",\"record_number\":" +
         json_string(std::to_string(e.record_id)) + ",\"source_name\":" + json_string(e.provider) + ",\"type\":\"wineventlog\"}";
}

// NXLog im_msvistalog behind Logstash: EventTime in the collector's wall time (`offset` from UTC),
// received `delay` later; @timestamp the pipeline's UTC stamp of receipt; `host` the collector.
inline std::string to_nxlog(const Event& e, Instant offset, Instant delay = 3 * kSecond) {
  std::string doc = "{\"EventTime\":" + json_string(wall_text(e.time + offset)) + ",\"Hostname\":" + json_string(e.computer) +
                    ",\"Keywords\":-9214364837600034816,\"EventType\":\"AUDIT_SUCCESS\",\"SeverityValue\":2,\"Severity\":\"INFO\""
                    ",\"EventID\":" + std::to_string(e.event_id) + ",\"SourceName\":" + json_string(e.provider) +
                    ",\"ProviderGuid\":\"{54849625-5478-4994-A5BA-3E3B0328C30D}\",\"Version\":2,\"Task\":12544,\"OpcodeValue\":0"
                    ",\"RecordNumber\":" + std::to_string(e.record_id) +
                    ",\"ExecutionProcessID\":812,\"ThreadID\":4316,\"Channel\":" + json_string(e.channel_name) +
                    ",\"Message\":\"(rendered message)\",\"Category\":\"Logon\",\"Opcode\":\"Info\"";
  if (has_user_data(e)) doc += ",\"Domain\":\"NT AUTHORITY\",\"AccountName\":\"SYSTEM\",\"UserID\":\"S-1-5-18\",\"AccountType\":\"User\"";
  for (const auto& f : e.fields) doc += "," + json_string(f.name) + ":" + json_string(f.value);
  doc += ",\"EventReceivedTime\":" + json_string(wall_text(e.time + offset + delay)) +
         ",\"SourceModuleName\":\"eventlog\",\"SourceModuleType\":\"im_msvistalog\",\"@timestamp\":" +
         json_string(format_utc_precise(e.time + delay + 120 * 1000)) +
         ",\"host\":\"wec.internal.cloudapp.net\",\"port\":60122,\"@version\":\"1\",\"tags\":[\"siem\"]}";
  return doc;
}

// Splunk's JSON export (`| outputjson` / REST export): the event XML in result._raw.
inline std::string splunk_json(const std::string& xml, const std::string& host) {
  return "{\"preview\":false,\"result\":{\"_raw\":" + json_string(xml) +
         ",\"_time\":\"2026-03-02T08:00:00.000+00:00\",\"host\":" + json_string(host) +
         ",\"index\":\"wineventlog\",\"source\":\"XmlWinEventLog:Security\",\"sourcetype\":\"XmlWinEventLog\"}}";
}

inline std::string csv_cell(std::string_view v) {
  std::string out = "\"";
  for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Splunk's CSV export: a header, then one row per event with _raw last.
inline std::string splunk_csv(const std::vector<std::string>& raws) {
  std::string out = "\"_time\",\"host\",\"source\",\"sourcetype\",\"_raw\"\r\n";
  for (const auto& raw : raws)
    out += "\"2026-03-02T08:00:00.000+0000\",\"collector01\",\"XmlWinEventLog:Security\",\"XmlWinEventLog\"," + csv_cell(raw) + "\r\n";
  return out;
}

// The events of one XML text, parsed by the project's own reader.
inline std::vector<Event> parse_xml_events(const std::string& xml) {
  MemorySource in(xml);
  std::vector<Event> out;
  Rejects rejects;
  read_event_stream(in, "x.xml", 0, {}, [&](Event&& e) { out.push_back(std::move(e)); }, rejects);
  return out;
}

inline Event logon_event(std::uint64_t record, const std::string& time, const std::string& user = "jdoe") {
  auto events = parse_xml_events(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4624</EventID><TimeCreated SystemTime='" + time +
      "'/><EventRecordID>" + std::to_string(record) + "</EventRecordID><Channel>Security</Channel>"
      "<Computer>WS-0042.corp.example</Computer></System><EventData>"
      "<Data Name='SubjectUserSid'>S-1-5-18</Data><Data Name='TargetUserName'>" + user + "</Data>"
      "<Data Name='TargetDomainName'>CORP</Data><Data Name='TargetLogonId'>0x3e7a1</Data>"
      "<Data Name='LogonType'>2</Data><Data Name='TargetLinkedLogonId'>0x0</Data>"
      "<Data Name='ElevatedToken'>%%1843</Data></EventData></Event>");
  return events.at(0);
}

inline std::string winlogbeat_ecs_4624(std::uint64_t record, const std::string& time, const std::string& user = "jdoe") {
  return to_winlogbeat_ecs(logon_event(record, time, user));
}

inline std::string winlogbeat6_4624(std::uint64_t record, const std::string& time) {
  return to_winlogbeat6(logon_event(record, time));
}

inline std::string winlogbeat_ecs_lsm21(std::uint64_t record, const std::string& time) {
  auto events = parse_xml_events(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-TerminalServices-LocalSessionManager'/><EventID>21</EventID>"
      "<TimeCreated SystemTime='" + time + "'/><EventRecordID>" + std::to_string(record) + "</EventRecordID>"
      "<Channel>Microsoft-Windows-TerminalServices-LocalSessionManager/Operational</Channel>"
      "<Computer>WS-0042.corp.example</Computer><Security UserID='S-1-5-18'/></System><UserData>"
      "<EventXML xmlns='Event_NS'><User>CORP\\jdoe</User><SessionID>2</SessionID><Address>LOCAL</Address></EventXML>"
      "</UserData></Event>");
  return to_winlogbeat_ecs(events.at(0));
}

// An NXLog 4624 with explicit time texts; an empty @timestamp or EventReceivedTime is left out.
inline std::string nxlog_4624(std::uint64_t record, const std::string& event_time, const std::string& stamp,
                              const std::string& received) {
  const Event e = logon_event(record, "2026-01-01T00:00:00Z");
  std::string doc = "{\"EventTime\":" + json_string(event_time) + ",\"Hostname\":" + json_string(e.computer) +
                    ",\"Keywords\":-9214364837600034816,\"EventID\":4624,\"SourceName\":" + json_string(e.provider) +
                    ",\"RecordNumber\":" + std::to_string(record) + ",\"Channel\":\"Security\"";
  for (const auto& f : e.fields) doc += "," + json_string(f.name) + ":" + json_string(f.value);
  if (!received.empty()) doc += ",\"EventReceivedTime\":" + json_string(received);
  if (!stamp.empty()) doc += ",\"@timestamp\":" + json_string(stamp);
  return doc + ",\"SourceModuleType\":\"im_msvistalog\",\"host\":\"wec.internal.cloudapp.net\"}";
}

}  // namespace flexrecon::test
