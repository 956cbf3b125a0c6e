#include <catch2/catch.hpp>

#include <filesystem>

#include "flexrecon/event_store.h"
#include "ingest/event_store_builder.h"
#include "ingest/splunk_csv_reader.h"
#include "ingest_test_support.h"
#include "siem_documents.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

const Event& only(const std::vector<Event>& events) {
  REQUIRE(events.size() == 1);
  return events.front();
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields fields_of(const Event& e) {
  Fields out;
  for (const auto& f : e.fields) out.emplace_back(f.name, f.value);
  return out;
}

// The fields an XML export of the same record yields, for comparison.
Fields xml_fields(const std::string& xml) {
  Rejects rejects;
  const auto events = read_all(xml, rejects);
  REQUIRE(rejects.empty());
  return fields_of(only(events));
}

std::string field_of(const Event& e, const std::string& name) { return std::string(e.field(name)); }

}  // namespace

TEST_CASE("a Winlogbeat 8 (ECS) logon is read with the logging machine as host and cited by line") {
  Rejects rejects;
  std::string format;
  const std::string text = "\n" + winlogbeat_ecs_4624(4711, "2026-03-02T08:00:00.123Z") + "\n";
  const auto events = read_all(text, rejects, &format);
  REQUIRE(rejects.empty());
  CHECK(format == "winlogbeat-ecs-json");
  const Event& e = only(events);
  CHECK(e.host == "ws-0042");  // winlog.computer_name, not host.name (the collector)
  CHECK(e.computer == "WS-0042.corp.example");
  CHECK(e.channel == Channel::Security);
  CHECK(e.event_id == 4624);  // written as a string
  CHECK(e.record_id == 4711);
  CHECK(e.provider == "Microsoft-Windows-Security-Auditing");
  CHECK(e.time == *parse_timestamp("2026-03-02T08:00:00.123Z"));
  CHECK(field_of(e, "TargetUserName") == "jdoe");
  CHECK(field_of(e, "LogonType") == "2");
  CHECK(e.line == 2);
  CHECK(e.ref_by_line);
  CHECK(e.ref() == EvidenceRef{7, 2, true});
}

TEST_CASE("an Elasticsearch dump of Winlogbeat documents (each in _source) is read the same way") {
  Rejects rejects;
  std::string format;
  const std::string text = "{\"_index\":\"winlogbeat-8.11.1-2026.03.02\",\"_id\":\"a1\",\"_score\":1,\"_source\":" +
                           winlogbeat_ecs_4624(4711, "2026-03-02T08:00:00.123Z") + "}\n";
  const auto events = read_all(text, rejects, &format);
  REQUIRE(rejects.empty());
  CHECK(format == "winlogbeat-ecs-json");
  const Event& e = only(events);
  CHECK(e.host == "ws-0042");
  CHECK(e.record_id == 4711);
  CHECK(field_of(e, "TargetUserName") == "jdoe");
}

TEST_CASE("a Winlogbeat 6 record (record_number as a string, beat.hostname the shipper) is read") {
  Rejects rejects;
  std::string format;
  const auto events = read_all(winlogbeat6_4624(287733, "2019-05-18T20:37:14.150Z"), rejects, &format);
  REQUIRE(rejects.empty());
  CHECK(format == "winlogbeat6-json");
  const Event& e = only(events);
  CHECK(e.host == "ws-0042");
  CHECK(e.record_id == 287733);
  CHECK(e.event_id == 4624);
  CHECK(field_of(e, "TargetLogonId") == "0x3e7a1");
}

TEST_CASE("Winlogbeat's user_data wrapper name is not taken for a field of the event") {
  Rejects rejects;
  const auto events = read_all(winlogbeat_ecs_lsm21(12, "2026-03-02T08:00:01Z"), rejects);
  const Event& e = only(events);
  REQUIRE(rejects.empty());
  CHECK(e.channel == Channel::LocalSessionManager);
  CHECK(field_of(e, "User") == "CORP\\jdoe");
  CHECK(field_of(e, "SessionID") == "2");
  CHECK_FALSE(e.has_field("xml_name"));
}

TEST_CASE("NXLog EventTime (collector wall time) is placed in UTC by the offset @timestamp shows") {
  Rejects rejects;
  std::string format;
  // Collector at UTC-4: received 04:38:05 local, stamped 08:38:05.699Z by the pipeline.
  const auto events = read_all(nxlog_4624(821627, "2020-09-22 04:38:02", "2020-09-22T08:38:05.699Z", "2020-09-22 04:38:05"),
                               rejects, &format);
  REQUIRE(rejects.empty());
  CHECK(format == "nxlog-json");
  const Event& e = only(events);
  CHECK(e.time == *parse_timestamp("2020-09-22T08:38:02Z"));  // the event's time, not the receipt's
  CHECK(e.host == "ws-0042");                                  // Hostname, not `host` (the collector)
  CHECK(field_of(e, "TargetUserName") == "jdoe");
  CHECK_FALSE(e.has_field("Keywords"));  // NXLog's own keys are not event data
  CHECK_FALSE(e.has_field("host"));
}

TEST_CASE("NXLog EventTimeUTC is used as written") {
  Rejects rejects;
  std::string doc = nxlog_4624(5, "2020-09-22 04:38:02", "", "");
  doc.insert(1, "\"EventTimeUTC\":\"2020-09-22 08:38:02\",");
  const auto events = read_all(doc, rejects);
  const Event& e = only(events);
  CHECK(e.time == *parse_timestamp("2020-09-22T08:38:02Z"));
}

TEST_CASE("an NXLog file with only local times is refused as a whole unless --events-tz names the zone") {
  const std::string doc = nxlog_4624(5, "2026-07-01 10:00:00", "", "") + "\n" + nxlog_4624(6, "2026-07-01 10:05:00", "", "");
  Rejects rejects;
  try {
    read_all(doc, rejects);
    FAIL("expected the file to be refused");
  } catch (const Error& err) {
    CHECK(std::string(err.what()) == "test.xml: NXLog EventTime has no zone: pass --events-tz ZONE");
  }
  EventReadOptions options;
  options.events_tz = "Europe/Berlin";
  rejects.clear();
  const auto events = read_all(doc, rejects, nullptr, options);
  REQUIRE(events.size() == 2);
  CHECK(events[0].time == *parse_timestamp("2026-07-01T08:00:00Z"));  // CEST, UTC+2
  CHECK(events[1].line == 2);
}

TEST_CASE("Splunk XmlWinEventLog JSON results: the event XML in _raw, Splunk's host ignored") {
  Rejects rejects;
  std::string format;
  const std::string xml = logon_4624(4711, "2026-03-02T08:00:00.1234567Z");
  const auto events = read_all(splunk_json(xml, "collector01") + "\n" + splunk_json(process_4688(4712, "2026-03-02T08:00:01Z"), "collector01"),
                               rejects, &format);
  REQUIRE(rejects.empty());
  CHECK(format == "splunk-json");
  REQUIRE(events.size() == 2);
  CHECK(events[0].host == "ws-0042");
  CHECK(events[0].record_id == 4711);
  CHECK(fields_of(events[0]) == xml_fields(xml));
  CHECK(events[1].ref() == EvidenceRef{7, 2, true});
}

TEST_CASE("Splunk XmlWinEventLog CSV export: one row per event, _raw quoted with doubled quotes") {
  Rejects rejects;
  std::string format;
  const std::string xml = logon_4624(4711, "2026-03-02T08:00:00Z");
  const std::string csv = splunk_csv({xml, "not an event", process_4688(4712, "2026-03-02T08:00:01Z")});
  const auto events = read_all(csv, rejects, &format);
  CHECK(format == "splunk-csv");
  REQUIRE(events.size() == 2);
  CHECK(fields_of(events[0]) == xml_fields(xml));
  CHECK(events[0].line == 2);
  CHECK(events[1].line == 4);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 3");
  CHECK(rejects[0].reason == "_raw holds no <Event> XML (export the XmlWinEventLog source type)");
}

TEST_CASE("a Splunk CSV header is recognised as the CSV reader reads it, quoted commas included") {
  const std::string xml = logon_4624(4711, "2026-03-02T08:00:00Z");
  SECTION("a quoted column name with a comma before _raw: still Splunk CSV, every row read") {
    std::string csv = splunk_csv({xml});
    csv.replace(0, std::string("\"_time\"").size(), "\"_time, UTC\"");
    Rejects rejects;
    std::string format;
    const auto events = read_all(csv, rejects, &format);
    CHECK(format == "splunk-csv");
    CHECK(events.size() == 1);
    CHECK(rejects.empty());
  }
  SECTION("\"_raw\" inside a quoted field is no header: the file is no Splunk CSV, not one refused as such") {
    // Found by the xml_export campaign (fuzz/repro/xml_export/splunk_sniff_quoted_comma.csv): split on
    // commas, the line's cells were `"` and `"_raw"`; read as CSV its one field is `,_raw"`.
    const std::vector<std::string> heads = {"\",\"_raw\"\r<Event", "\"_time,\"_raw\",\"host\"\r\n" + csv_cell(xml) + ",x\r\n"};
    for (const std::string& head : heads) {
      MemorySource in(head);
      Rejects rejects;
      std::size_t events = 0;
      std::string format;
      REQUIRE_NOTHROW(format = read_event_stream(in, "x.csv", 0, {}, [&](Event&&) { ++events; }, rejects));
      CHECK(format != "splunk-csv");
      CHECK(events == 0);
    }
  }
  SECTION("a header that is the whole head (no row after it) is not taken for Splunk CSV") {
    CHECK(sniff_splunk_csv_format("\"_time\",\"_raw\"\r\n") == "");
    CHECK(sniff_splunk_csv_format(splunk_csv({xml})) == "splunk-csv");
  }
}

TEST_CASE("a JSON array export is read element by element, each cited by the line it starts on") {
  Rejects rejects;
  const std::string text = "[\n  " + winlogbeat_ecs_4624(1, "2026-03-02T08:00:00Z") + ",\n  " +
                           winlogbeat_ecs_4624(2, "2026-03-02T08:00:01Z") + "\n]\n";
  const auto events = read_all(text, rejects);
  REQUIRE(rejects.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[0].line == 2);
  CHECK(events[1].line == 3);
}

TEST_CASE("hostile JSON documents are rejected alone, each with its line and reason") {
  const std::string good1 = winlogbeat_ecs_4624(1, "2026-03-02T08:00:00Z");
  const std::string good2 = winlogbeat_ecs_4624(2, "2026-03-02T08:00:01Z");
  std::string deep = "{\"winlog\":{\"computer_name\":\"x\",\"event_data\":";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}}";
  std::string duplicate = winlogbeat_ecs_4624(3, "2026-03-02T08:00:02Z");
  duplicate.insert(1, "\"@timestamp\":\"2026-01-01T00:00:00Z\",");
  std::string bad_utf8 = winlogbeat_ecs_4624(4, "2026-03-02T08:00:03Z");
  bad_utf8.replace(bad_utf8.find("jdoe"), 4, "jd\xC3\x28");
  const std::string nan = "{\"winlog\":{\"event_id\":NaN}}";
  const std::string huge = "{\"message\":\"" + std::string(8192, 'x') + "\"}";
  const std::string text = good1 + "\n" + deep + "\n" + duplicate + "\n" + bad_utf8 + "\n" + nan + "\n" + huge + "\n" +
                           "{\"winlog\":{\"computer_name\":\"ws-1\"\n" + good2 + "\n";
  EventReadOptions options;
  options.max_event_bytes = 4096;
  Rejects rejects;
  const auto events = read_all(text, rejects, nullptr, options);
  REQUIRE(events.size() == 2);
  CHECK(events[0].record_id == 1);
  CHECK(events[1].record_id == 2);
  CHECK(events[1].line == 8);
  REQUIRE(rejects.size() == 6);
  CHECK(rejects[0].location == "line 2");
  CHECK(rejects[0].reason == "JSON nested deeper than 64 levels");
  CHECK(rejects[1].location == "line 3");
  CHECK(rejects[1].reason == "duplicate JSON key '@timestamp'");
  CHECK(rejects[2].reason == "JSON document is not valid UTF-8");
  CHECK(rejects[3].location == "line 5");
  CHECK(rejects[3].reason.starts_with("malformed JSON"));
  CHECK(rejects[4].location == "line 6");
  CHECK(rejects[4].reason == "JSON document larger than 4096 bytes");
  CHECK(rejects[5].location == "line 7");
}

TEST_CASE("an over-long document inside a JSON array is skipped without being held, and the next element read") {
  const std::string text = "[" + winlogbeat_ecs_4624(1, "2026-03-02T08:00:00Z") + ",{\"message\":\"" +
                           std::string(100000, 'x') + "\"},\n" + winlogbeat_ecs_4624(2, "2026-03-02T08:00:01Z") + "]";
  EventReadOptions options;
  options.max_event_bytes = 4096;
  Rejects rejects;
  const auto events = read_all(text, rejects, nullptr, options);
  REQUIRE(events.size() == 2);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 1");
}

TEST_CASE("a truncated JSON array loses only its last element") {
  std::string text = "[" + winlogbeat_ecs_4624(1, "2026-03-02T08:00:00Z") + ",\n" + winlogbeat_ecs_4624(2, "2026-03-02T08:00:01Z");
  text.resize(text.size() - 20);
  Rejects rejects;
  const auto events = read_all(text, rejects);
  CHECK(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 2");
  CHECK(rejects[0].reason == "truncated JSON document (the file ends inside it)");
}

TEST_CASE("the same record from a SIEM export and from the host's XML export is a duplicate, not a conflict") {
  const std::string xml = logon_4624(4711, "2026-03-02T08:00:00.1234567Z");
  const std::vector<std::string> siem = {
      winlogbeat_ecs_4624(4711, "2026-03-02T08:00:00.123Z"),
      winlogbeat6_4624(4711, "2026-03-02T08:00:00.123Z"),
      nxlog_4624(4711, "2026-03-02 03:00:00", "2026-03-02T08:00:01.500Z", "2026-03-02 03:00:01"),
      splunk_json(xml, "collector01"),
  };
  for (const std::string& doc : siem) {
    INFO(doc);
    EventStore store;
    EventStoreBuilder builder(store);
    Rejects rejects;
    for (const std::string& text : {xml, doc})
      for (Event& e : read_all(text, rejects)) builder.add(std::move(e));
    builder.finish();
    REQUIRE(rejects.empty());
    CHECK(store.counts.read == 2);
    CHECK(store.counts.duplicates == 1);
    CHECK(store.conflicts.empty());
  }
}

TEST_CASE("a SIEM copy whose content differs from the XML export is a conflict") {
  EventStore store;
  EventStoreBuilder builder(store);
  Rejects rejects;
  for (const std::string& text : {logon_4624(4711, "2026-03-02T08:00:00Z"),
                                  winlogbeat_ecs_4624(4711, "2026-03-02T08:00:00Z", "mallory")})
    for (Event& e : read_all(text, rejects)) builder.add(std::move(e));
  builder.finish();  // copies are compared when the hosts are assembled
  CHECK(store.conflicts.size() == 1);
}

TEST_CASE("the public OTRF SIEM samples are read whole, with the machines that logged each event as hosts") {
  const std::filesystem::path root = std::string(FLEXRECON_SHARED_DATA) + "/public-siem";
  if (!std::filesystem::exists(root)) {
    WARN("public SIEM samples not present at " << root);
    return;
  }
  // Expected figures counted independently with Python's json module over the extracted members.
  struct Sample {
    std::string file;
    std::string format;
    std::uint64_t events;
    std::map<std::string, std::size_t> security_records;  // distinct Security EventRecordIDs per host
  };
  const std::vector<Sample> samples = {
      {"covenant_psremoting_command.zip", "nxlog-json", 4284, {{"mordordc", 175}, {"workstation5", 141}, {"workstation6", 588}}},
      {"empire_enable_rdp.tar.gz", "winlogbeat6-json", 2668, {{"hfdc01", 90}, {"hr001", 172}, {"it001", 11}}},
      {"rdp_interactive_taskmanager_lsass_dump.zip", "nxlog-json", 5489,
       {{"mordordc", 206}, {"workstation5", 564}, {"workstation6", 23}}},
  };
  for (const Sample& s : samples) {
    INFO(s.file);
    SourceTable sources;
    EventStore store;
    Rejects rejects;
    read_event_inputs({(root / s.file).string()}, {}, sources, store, rejects);
    for (const auto& r : rejects) FAIL_CHECK(r.source << " " << r.location << ": " << r.reason);
    REQUIRE(sources.all().size() == 2);  // the archive itself, then its one member
    CHECK(sources.at(0).format == "archive");
    CHECK(sources.at(1).format == s.format);
    CHECK(store.counts.read == s.events);
    CHECK(store.counts.rejected == 0);
    std::map<std::string, std::size_t> security;
    for (const auto& [host, he] : store.hosts) security[host] = he.security.size();
    CHECK(security == s.security_records);  // never the collectors `wec` / `WECserver`
  }

  // One record checked by hand: line 239 of the RDP sample, a 4778 (session reconnected) on
  // WORKSTATION5 at EventTime 04:38:02 on a UTC-4 collector.
  SourceTable sources;
  EventStore store;
  Rejects rejects;
  read_event_inputs({(root / "rdp_interactive_taskmanager_lsass_dump.zip").string()}, {}, sources, store, rejects);
  const auto& ws5 = store.hosts.at("workstation5").events;
  const auto it = std::find_if(ws5.begin(), ws5.end(), [](const HostEvent& e) { return e.event_id == 4778; });
  REQUIRE(it != ws5.end());
  CHECK(it->record_id == 821627);
  CHECK(it->time == *parse_timestamp("2020-09-22T08:38:02Z"));
  CHECK(it->field("AccountName") == "pgustavo");
  CHECK(it->field("LogonID") == "0x10ac67");
  CHECK(format_ref(sources, it->ref()) ==
        (root / "rdp_interactive_taskmanager_lsass_dump.zip").string() +
            "!rdp_interactive_taskmanager_lsass_dump_2020-09-22043748.json:239");
}
