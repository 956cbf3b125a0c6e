// How event fields come out of EVTX records, on hand-built records of the shapes SPEC 1.2 names
// (the public samples lack LocalSessionManager events and unnamed Data).
#include <catch2/catch.hpp>

#include "evtx_builder.h"
#include "evtx_test_support.h"

using namespace flexrecon;
using namespace flexrecon::evtx_test;

namespace {

std::string value_of(const Event& e, const std::string& name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return "<absent>";
}

}  // namespace

TEST_CASE("a LocalSessionManager logon's UserData fields are named by their elements") {
  EventShape s;
  s.event_id = 21;
  s.channel = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  s.provider = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  s.computer = "RDS-01.Corp.Example";
  s.extra = [](BinXmlWriter& w) {
    w.open("UserData");
    w.open("EventXML", {{"xmlns", "Event_NS"}});
    w.leaf("User", "CORP\\jdoe");
    w.leaf("SessionID", "2");
    w.leaf("Address", "10.0.0.5");
    w.close();
    w.close();
  };
  auto r = read_bytes(build_evtx({s}));
  REQUIRE(r.rejects.empty());
  REQUIRE(r.events.size() == 1);
  const Event& e = r.events[0];
  CHECK(e.channel == Channel::LocalSessionManager);
  CHECK(e.host == "rds-01");
  CHECK(e.computer == "RDS-01.Corp.Example");
  CHECK(e.event_id == 21);
  CHECK(e.time == *parse_timestamp("2025-03-03T09:15:00.123456Z"));
  CHECK(value_of(e, "User") == "CORP\\jdoe");
  CHECK(value_of(e, "SessionID") == "2");
  CHECK(value_of(e, "Address") == "10.0.0.5");
}

TEST_CASE("unnamed Data elements are numbered Data1, Data2 and Binary keeps its own name") {
  EventShape s;
  s.event_id = 6008;
  s.channel = "System";
  s.provider = "EventLog";
  s.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    w.leaf("Data", "10:02:11");
    w.leaf("Data", "3/3/2025");
    w.leaf("Binary", "E9070300");
    w.close();
  };
  auto r = read_bytes(build_evtx({s}));
  REQUIRE(r.events.size() == 1);
  const Event& e = r.events[0];
  CHECK(e.channel == Channel::System);
  CHECK(value_of(e, "Data1") == "10:02:11");
  CHECK(value_of(e, "Data2") == "3/3/2025");
  CHECK(value_of(e, "Binary") == "E9070300");
}

TEST_CASE("field values come out as an XML reader gives them: trimmed, LF line ends, no stray controls") {
  EventShape s;
  s.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    w.open("Data", {{"Name", "PrivilegeList"}});
    w.text("  SeBackupPrivilege\r\n\x02SeRestorePrivilege\x0f  ");
    w.close();
    w.open("Data", {{"Name", "TargetUserName"}});
    w.text("a");
    w.entity("amp");
    w.char_ref(0x263A);
    w.close();
    w.close();
  };
  auto r = read_bytes(build_evtx({s}));
  REQUIRE(r.events.size() == 1);
  CHECK(value_of(r.events[0], "PrivilegeList") == "SeBackupPrivilege\nSeRestorePrivilege");
  CHECK(value_of(r.events[0], "TargetUserName") == "a&\xE2\x98\xBA");
}

TEST_CASE("an event nested deeper than 64 elements is rejected alone and its neighbours are read") {
  EventShape ok1, deep, ok2;
  ok1.record_id = 100;
  deep.record_id = 101;
  ok2.record_id = 102;
  deep.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    for (int k = 0; k < 70; ++k) w.open("Nest");
    for (int k = 0; k < 70; ++k) w.close();
    w.close();
  };
  auto r = read_bytes(build_evtx({ok1, deep, ok2}));
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].record_id == 100);
  CHECK(r.events[1].record_id == 102);
  REQUIRE(r.rejects.size() == 1);
  CHECK_THAT(r.rejects[0].location, Catch::StartsWith("chunk 0 offset 0x"));
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("nested deeper than 64"));
}

TEST_CASE("a record without an EventID is rejected with that reason, not delivered with a guess") {
  EventShape s;
  s.with_event_id = false;
  auto r = read_bytes(build_evtx({s}));
  CHECK(r.events.empty());
  REQUIRE(r.rejects.size() == 1);
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("EventID"));
}

TEST_CASE("names are decoded per chunk: the same offset naming another element in the next chunk is read anew") {
  // Same System part, so EventData in the first chunk and UserData in the second start at the same
  // chunk offset: a name remembered from the first chunk would rename the second chunk's elements.
  EventShape first;
  first.record_id = 1;
  first.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    w.leaf("Data", "alice", {{"Name", "TargetUserName"}});
    w.close();
  };
  EventShape second = first;
  second.record_id = 2;
  second.extra = [](BinXmlWriter& w) {
    w.open("UserData");
    w.open("EventXML");
    w.leaf("User", "CORP\\bob");
    w.close();
    w.close();
  };
  const std::string a = build_evtx({first});
  const std::string b = build_evtx({second});
  auto r = read_bytes(a + b.substr(4096));  // one file: the first file's header, both chunks
  REQUIRE(r.rejects.empty());
  REQUIRE(r.events.size() == 2);
  CHECK(value_of(r.events[0], "TargetUserName") == "alice");
  CHECK(r.events[0].fields.size() == 1);
  CHECK(value_of(r.events[1], "User") == "CORP\\bob");
  CHECK(r.events[1].fields.size() == 1);
}

TEST_CASE("records of one chunk each get their own names and text, however many share the chunk") {
  // The decoder reuses its tree and name table from record to record: nothing of a record may
  // leak into the next (a longer value before a shorter one, a field present only in the first).
  EventShape longer;
  longer.record_id = 10;
  longer.computer = "A-VERY-LONG-WORKSTATION-NAME.corp.example";
  longer.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    w.leaf("Data", "administrator-with-a-long-name", {{"Name", "TargetUserName"}});
    w.leaf("Data", "10", {{"Name", "LogonType"}});
    w.close();
  };
  EventShape shorter;
  shorter.record_id = 11;
  shorter.computer = "WS-1";
  shorter.extra = [](BinXmlWriter& w) {
    w.open("EventData");
    w.leaf("Data", "bob", {{"Name", "TargetUserName"}});
    w.close();
  };
  auto r = read_bytes(build_evtx({longer, shorter, longer}));
  REQUIRE(r.rejects.empty());
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[1].computer == "WS-1");
  CHECK(r.events[1].host == "ws-1");
  CHECK(r.events[1].record_id == 11);
  REQUIRE(r.events[1].fields.size() == 1);
  CHECK(value_of(r.events[1], "TargetUserName") == "bob");
  CHECK(r.events[2].computer == "A-VERY-LONG-WORKSTATION-NAME.corp.example");
  CHECK(value_of(r.events[2], "TargetUserName") == "administrator-with-a-long-name");
  CHECK(value_of(r.events[2], "LogonType") == "10");
}
