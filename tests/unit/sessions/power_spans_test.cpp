// Boots and shutdowns: where sessions a reboot cut off end, and when the host was off.
#include <catch2/catch.hpp>

#include "sessions/last_alive.h"
#include "unit/sessions/event_fixture.h"

using namespace sessions_test;

namespace {

// jdoe logs on at 08:00 and never logs off; the caller adds what happens to the host.
HostLog morning_logon() {
  HostLog sec;
  sec.noise("2026-11-26T07:00:00Z").logon("2026-11-26T08:00:00Z", "jdoe", "0x3e7a1", 2);
  return sec;
}

}  // namespace

TEST_CASE("a clean shutdown ends the open session and the host is off until the next boot") {
  World w;
  HostLog sec = morning_logon();
  sec.security(4609, "2026-11-26T18:00:40Z", {}).startup_4608("2026-11-27T07:00:05Z").noise("2026-11-27T08:00:00Z");
  HostLog sys;
  sys.shutdown_1074("2026-11-26T18:00:00Z")
      .system(6006, "2026-11-26T18:00:30Z")
      .system(6009, "2026-11-27T07:00:00Z")
      .system(6005, "2026-11-27T07:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  CHECK(tl.sessions[0].span.end == at("2026-11-26T18:00:30Z"));  // the event log stopped
  CHECK(tl.sessions[0].end_reason == "shutdown 6006");
  CHECK_FALSE(tl.sessions[0].open_at_end);
  REQUIRE(tl.power_off.size() == 1);
  CHECK(tl.power_off[0].span == Span{at("2026-11-26T18:00:30Z"), at("2026-11-27T07:00:00Z")});
  CHECK(tl.power_off[0].reason == "6006 shutdown -> 6009 boot");
  CHECK(tl.off_throughout(around("2026-11-27T01:00:00Z")) != nullptr);
  CHECK(tl.off_throughout(around("2026-11-26T18:00:00Z")) == nullptr);
  CHECK(tl.boots.size() == 1);  // 6009, 6005 and 4608 are one start
}

TEST_CASE("a 6008 after a crash ends the open session at the last-alive time") {
  World w;
  HostLog sec = morning_logon();
  sec.startup_4608("2026-11-27T07:00:05Z").noise("2026-11-27T08:00:00Z");
  HostLog sys;
  // As en-US Windows renders it, with left-to-right marks around the date parts.
  sys.system(6005, "2026-11-27T07:00:00Z")
      .unexpected_6008("2026-11-27T07:00:01Z", "10:15:31 PM", "\xE2\x80\x8E" "11/\xE2\x80\x8E" "26/\xE2\x80\x8E" "2026")
      .kernel_power_41("2026-11-27T07:00:20Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  CHECK(tl.sessions[0].span.end == at("2026-11-26T22:15:31Z"));
  CHECK(tl.sessions[0].end_reason.find("(6008)") != std::string::npos);
  CHECK(tl.power_off.empty());  // a crash proves no off span: the host may have hung, not stopped
  CHECK(tl.boots.size() == 1);
}

TEST_CASE("a 6008 without a readable last-alive time ends the session at the 6008") {
  World w;
  HostLog sec = morning_logon();
  sec.noise("2026-11-27T08:00:00Z");
  HostLog sys;
  sys.system(6005, "2026-11-27T07:00:00Z").unexpected_6008("2026-11-27T07:00:01Z", "??", "later");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].span.end == at("2026-11-27T07:00:01Z"));
}

TEST_CASE("a Kernel-Power 41 reboot ends the session at the boot - LSM's own event 41 does not") {
  World w;
  HostLog sec = morning_logon();
  sec.noise("2026-11-27T08:00:00Z");
  HostLog sys;
  sys.kernel_power_41("2026-11-27T07:00:20Z");
  HostLog lsm;
  // LocalSessionManager 41 "begin session arbitration" is logged at every logon.
  lsm.lsm(21, "2026-11-26T08:00:01Z", "CORP\\jdoe", "1", "LOCAL");
  lsm.lsm(41, "2026-11-26T09:00:00Z", "CORP\\jdoe", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].span.end == at("2026-11-27T07:00:20Z"));
  CHECK(w.host().sessions[0].end_reason == "next boot 41");
}

TEST_CASE("a 1074 with no boot after it ends nothing") {
  World w;
  HostLog sec = morning_logon();
  sec.noise("2026-11-26T20:00:00Z");
  HostLog sys;
  sys.shutdown_1074("2026-11-26T18:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].open_at_end);
  CHECK(w.host().power_off.empty());
}

TEST_CASE("an aborted shutdown followed by a new logon does not end the sessions of that run") {
  World w;
  HostLog sec = morning_logon();
  sec.logon("2026-11-26T19:00:00Z", "asmith", "0x500", 10).startup_4608("2026-11-27T07:00:05Z").noise("2026-11-27T08:00:00Z");
  HostLog sys;
  sys.shutdown_1074("2026-11-26T18:00:00Z").kernel_power_41("2026-11-27T07:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  REQUIRE(w.host().sessions.size() == 2);
  for (const Session& s : w.host().sessions) CHECK(s.span.end == at("2026-11-27T07:00:00Z"));
  CHECK(w.host().power_off.empty());
}

TEST_CASE("a session logged off during the shutdown ends at its logoff") {
  World w;
  HostLog sec = morning_logon();
  sec.user_logoff("2026-11-26T18:00:10Z", "jdoe", "0x3e7a1").startup_4608("2026-11-27T07:00:05Z").noise("2026-11-27T08:00:00Z");
  HostLog sys;
  sys.shutdown_1074("2026-11-26T18:00:00Z").system(6005, "2026-11-27T07:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].span.end == at("2026-11-26T18:00:10Z"));
  REQUIRE(w.host().power_off.size() == 1);
  CHECK(w.host().power_off[0].span.begin == at("2026-11-26T18:00:00Z"));
}

TEST_CASE("6008 last-alive time: the UTC SYSTEMTIME of the binary wins over the local text") {
  Event e;
  e.channel = Channel::System;
  e.event_id = 6008;
  // Local 2026-11-26 23:15:31.250 (a Thursday) then UTC 22:15:31.250, little-endian words.
  e.fields = {{"Data1", "11:15:31 PM"}, {"Data2", "26.11.2026"},
              {"Binary", "EA070B0004001A0017000F001F00FA00EA070B0004001A0016000F001F00FA00"}};
  const auto utc = flexrecon::sessions::parse_last_alive(e);
  REQUIRE(utc);
  CHECK(*utc == at("2026-11-26T22:15:31.250Z"));
  e.fields.pop_back();
  CHECK(flexrecon::sessions::parse_last_alive(e) == at("2026-11-26T23:15:31Z"));
  e.fields = {{"Data1", "25:00:00"}, {"Data2", "11/26/2026"}};
  CHECK_FALSE(flexrecon::sessions::parse_last_alive(e));
  e.fields = {{"Data1", "12:05:00 AM"}, {"Data2", "2026-02-30"}};
  CHECK_FALSE(flexrecon::sessions::parse_last_alive(e));
  e.fields = {{"Data1", "12:05:00 AM"}, {"Data2", "2/3/2026"}};
  CHECK(flexrecon::sessions::parse_last_alive(e) == at("2026-02-03T00:05:00Z"));
}

TEST_CASE("6008 last-alive time: the binary read from an .evtx (base64, as the EVTX reader writes it) counts too") {
  Event e;
  e.channel = Channel::System;
  e.event_id = 6008;
  e.fields = {{"Data1", "11:15:31 PM"}, {"Data2", "26.11.2026"}, {"Binary", "6gcLAAQAGgAXAA8AHwD6AOoHCwAEABoAFgAPAB8A+gA="}};
  CHECK(flexrecon::sessions::parse_last_alive(e) == at("2026-11-26T22:15:31.250Z"));
}

TEST_CASE("a last clean shutdown with no boot after it ends the session and the host stays off") {
  World w;
  HostLog sec = morning_logon();
  sec.security(1100, "2026-11-26T18:00:40Z", {});
  HostLog sys;
  sys.system(6005, "2026-11-26T06:00:00Z").shutdown_1074("2026-11-26T18:00:00Z").system(6006, "2026-11-26T18:00:30Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  CHECK(tl.sessions[0].span.end == at("2026-11-26T18:00:30Z"));
  CHECK(tl.sessions[0].end_reason == "shutdown 6006");
  CHECK_FALSE(tl.sessions[0].open_at_end);
  REQUIRE(tl.power_off.size() == 1);
  CHECK(tl.power_off[0].span == Span{at("2026-11-26T18:00:30Z"), kMaxInstant});
}

TEST_CASE("a stopped event log followed by new logons did not shut the host down") {
  World w;
  HostLog sec = morning_logon();
  sec.security(1100, "2026-11-26T12:00:00Z", {}).logon("2026-11-26T13:00:00Z", "asmith", "0x600", 2).noise("2026-11-26T20:00:00Z");
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 2);
  for (const Session& s : w.host().sessions) CHECK(s.open_at_end);
  CHECK(w.host().power_off.empty());
}
