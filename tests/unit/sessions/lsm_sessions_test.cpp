// RDP sessions from the TerminalServices LocalSessionManager log, tied to Security logons by user,
// host and time; session ids that Windows reuses; 1149 as supporting evidence only.
#include <catch2/catch.hpp>

#include "unit/sessions/event_fixture.h"

using namespace sessions_test;

TEST_CASE("LSM 24/25 disconnected span is idle and LSM 23 ends the session") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "3")
      .lsm(22, "2026-11-02T08:00:02Z", "CORP\\jdoe", "3")
      .lsm(24, "2026-11-02T12:00:00Z", "CORP\\jdoe", "3")
      .lsm(25, "2026-11-02T13:00:00Z", "CORP\\jdoe", "3")
      .lsm(23, "2026-11-02T17:00:00Z", "CORP\\jdoe", "3");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  const Session& s = tl.sessions[0];
  CHECK(s.logon_type == 10);
  CHECK(s.span.end == at("2026-11-02T17:00:00Z"));
  CHECK(s.end_reason == "LSM 23");
  REQUIRE(s.idle.size() == 1);
  CHECK(s.idle[0].kind == "disconnected");
  CHECK(s.idle[0].span == Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T13:00:00Z")});
  CHECK(s.idle_throughout(around("2026-11-02T12:30:00Z")));
  CHECK(s.evidence.size() == 6);
  CHECK(tl.events_used == 6);
}

TEST_CASE("LSM 21 binds only to that user's logon within the presence tolerance") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .logon("2026-11-02T08:00:00Z", "asmith", "0x78", 10)
      .noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  // jdoe's 21 comes ten minutes late: it is a new session, not the 08:00 logon.
  lsm.lsm(21, "2026-11-02T08:00:30Z", "CORP\\asmith", "2")
      .lsm(21, "2026-11-02T08:10:00Z", "CORP\\jdoe", "3")
      .lsm(23, "2026-11-02T09:00:00Z", "CORP\\asmith", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 3);
  for (const Session& s : tl.sessions) {
    if (s.user == "asmith") {
      CHECK(s.span.end == at("2026-11-02T09:00:00Z"));
    } else if (s.logon_type == 0) {
      CHECK(s.start_reason == "LSM 21 (no matching 4624)");
      CHECK(s.span.begin == at("2026-11-02T08:10:00Z"));
    } else {
      CHECK(s.open_at_end);
    }
  }
}

TEST_CASE("a reused LSM session id applies to the latest session bound to it") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .logon("2026-11-02T10:00:00Z", "jdoe", "0x99", 10)
      .noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "2")
      .lsm(23, "2026-11-02T09:00:00Z", "CORP\\jdoe", "2")
      .lsm(21, "2026-11-02T10:00:01Z", "CORP\\jdoe", "2")
      .lsm(24, "2026-11-02T11:00:00Z", "CORP\\jdoe", "2")
      .lsm(23, "2026-11-02T12:00:00Z", "CORP\\jdoe", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 2);
  CHECK(tl.sessions[0].span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-02T09:00:00Z")});
  CHECK(tl.sessions[0].idle.empty());
  CHECK(tl.sessions[1].span == Span{at("2026-11-02T10:00:00Z"), at("2026-11-02T12:00:00Z")});
  REQUIRE(tl.sessions[1].idle.size() == 1);
  CHECK(tl.sessions[1].idle[0].span.begin == at("2026-11-02T11:00:00Z"));
}

TEST_CASE("LSM 39/40 give a disconnect's reason only: they open no idle span") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "4")
      .lsm_40("2026-11-02T12:00:00Z", "4", "5")   // client connection replaced by another
      .lsm_39("2026-11-02T13:00:00Z", "4", "7")   // taken over by session 7
      .lsm(25, "2026-11-02T13:30:00Z", "CORP\\jdoe", "4")
      .lsm_40("2026-11-02T14:00:00Z", "9");       // no one holds session 9: proves nothing
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  CHECK(s.idle.empty());
  CHECK(s.active_during(around("2026-11-02T12:30:00Z")));
  CHECK(s.active_during(around("2026-11-02T13:10:00Z")));
  CHECK(s.evidence.size() == 5);              // 4624, 21, the 40 and 39 of session 4, 25
  CHECK(w.host().events_used == 5);
}

TEST_CASE("LSM 40 after an LSM 24 is evidence of that disconnected span, which 24 and 25 bound") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "4")
      .lsm(24, "2026-11-02T12:00:00Z", "CORP\\jdoe", "4")
      .lsm_40("2026-11-02T12:00:01Z", "4", "11")  // the user disconnected
      .lsm(25, "2026-11-02T12:30:00Z", "CORP\\jdoe", "4");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  REQUIRE(s.idle.size() == 1);
  CHECK(s.idle[0].kind == "disconnected");
  CHECK(s.idle[0].span == Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T12:30:00Z")});
  CHECK(s.idle[0].evidence.size() == 3);  // 24, 40, 25
}

TEST_CASE("LSM 40 with a logoff reason before LSM 23 leaves the session active until the 23") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "4")
      .lsm_40("2026-11-02T16:59:00Z", "4", "12")  // the user logged off
      .lsm(23, "2026-11-02T17:00:00Z", "CORP\\jdoe", "4");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  CHECK(s.span.end == at("2026-11-02T17:00:00Z"));
  CHECK(s.end_reason == "LSM 23");
  CHECK(s.idle.empty());
  CHECK(s.active_during(Span{at("2026-11-02T16:59:30Z"), at("2026-11-02T16:59:31Z")}));
}

TEST_CASE("LSM events whose 21 rolled out of the LSM log apply to the user's open Security session") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog lsm;
  lsm.lsm(24, "2026-11-02T12:00:00Z", "CORP\\jdoe", "2").lsm(23, "2026-11-02T12:05:00Z", "CORP\\jdoe", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].span.end == at("2026-11-02T12:05:00Z"));
  CHECK_FALSE(w.host().sessions[0].start_inferred);
}

TEST_CASE("a host with no Security log is uncovered throughout but still has its LSM sessions") {
  World w;
  HostLog lsm("RDS-01.corp.example");
  lsm.lsm(21, "2026-11-02T08:00:00Z", "CORP\\jdoe", "2")
      .lsm(24, "2026-11-02T10:00:00Z", "CORP\\jdoe", "2")
      .lsm(25, "2026-11-02T10:30:00Z", "CORP\\jdoe", "2")
      .lsm(23, "2026-11-02T17:00:00Z", "CORP\\jdoe", "2")
      .lsm(25, "2026-11-02T18:00:00Z", "CORP\\asmith", "3")
      .lsm(23, "2026-11-02T19:00:00Z", "CORP\\asmith", "3");
  w.file("lsm.xml", lsm);
  w.build();
  const HostTimeline& tl = w.host("rds-01");
  CHECK_FALSE(tl.has_security_log);
  REQUIRE(tl.uncovered.size() == 1);
  CHECK(tl.uncovered[0].kind == "no-security-log");
  CHECK(TimelineIndex(tl).gaps_overlapping(around("2026-11-02T12:00:00Z")).size() == 1);
  CHECK(tl.covered.empty());
  REQUIRE(tl.sessions.size() == 2);
  // Same start: ordered by user.
  const Session& asmith = tl.sessions[0];
  const Session& jdoe = tl.sessions[1];
  CHECK(jdoe.user == "jdoe");
  CHECK(jdoe.span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-02T17:00:00Z")});
  CHECK_FALSE(jdoe.start_inferred);
  CHECK(jdoe.idle.size() == 1);
  // asmith's reconnect proves a session whose start is unknown: from the first evidence of the host.
  CHECK(asmith.user == "asmith");
  CHECK(asmith.start_inferred);
  CHECK(asmith.span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-02T19:00:00Z")});
}

TEST_CASE("an LSM 21 logged just before its 4624 is still one session") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:02Z", "jdoe", "0x77", 10)
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x77", 10);
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:00Z", "CORP\\jdoe", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].logon_type == 10);
  CHECK(w.host().sessions[0].span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-02T17:00:00Z")});
}

TEST_CASE("RDP authentication 1149 supports a session but is never one by itself") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:05Z", "jdoe", "0x77", 10).noise("2026-11-02T20:00:00Z");
  HostLog rcm;
  rcm.rdp_auth_1149("2026-11-02T08:00:00Z", "jdoe").rdp_auth_1149("2026-11-02T15:00:00Z", "asmith");
  w.file("rcm.xml", rcm);
  w.file("security.xml", sec);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].user == "jdoe");
  CHECK(w.host().sessions[0].evidence.size() == 2);
  CHECK(w.host().events_used == 2);
}

TEST_CASE("an LSM session id bound before a reboot does not carry over to the next boot") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .startup_4608("2026-11-03T07:00:00Z")
      .noise("2026-11-03T20:00:00Z");
  HostLog lsm;
  lsm.lsm(21, "2026-11-02T08:00:01Z", "CORP\\jdoe", "2")
      // Day 2: session 2 again, its 21 lost. It is a new session, rebuilt from the boot.
      .lsm(24, "2026-11-03T12:00:00Z", "CORP\\jdoe", "2")
      .lsm(23, "2026-11-03T12:05:00Z", "CORP\\jdoe", "2");
  w.file("lsm.xml", lsm);
  w.file("security.xml", sec);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 2);
  CHECK(tl.sessions[0].span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-03T07:00:00Z")});
  CHECK(tl.sessions[0].end_reason == "next boot 4608");
  CHECK(tl.sessions[1].start_inferred);
  CHECK(tl.sessions[1].span == Span{at("2026-11-03T07:00:00Z"), at("2026-11-03T12:05:00Z")});
  CHECK(tl.sessions[1].end_reason == "LSM 23");
}

TEST_CASE("an RDP reconnect's own 4624 is not a second session and its logoff does not end the first") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .rdp_session(4779, "2026-11-02T12:00:00Z", "jdoe", "0x77")
      .logon("2026-11-02T13:00:00Z", "jdoe", "0x9a0", 10)
      .rdp_session(4778, "2026-11-02T13:00:01Z", "jdoe", "0x77")
      .logoff("2026-11-02T13:00:02Z", "jdoe", "0x9a0", 10)
      .rdp_session(4779, "2026-11-02T16:00:00Z", "jdoe", "0x77")
      .noise("2026-11-02T20:00:00Z");
  w.file("security.xml", sec);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  const Session& s = tl.sessions[0];
  CHECK(s.span == Span{at("2026-11-02T08:00:00Z"), at("2026-11-02T20:00:00Z")});
  CHECK(s.open_at_end);
  REQUIRE(s.idle.size() == 2);
  CHECK(s.idle[0].span == Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T13:00:01Z")});
  CHECK(s.idle[1].span == Span{at("2026-11-02T16:00:00Z"), at("2026-11-02T20:00:00Z")});
  // Disconnected since 16:00: a launch at 18:00 found nobody at the session.
  CHECK(s.idle_throughout(around("2026-11-02T18:00:00Z")));
  CHECK(s.evidence.size() == 6);
  CHECK(tl.events_used == 6);
}

TEST_CASE("a new logon of the same user long before a reconnect stays its own session") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .rdp_session(4779, "2026-11-02T12:00:00Z", "jdoe", "0x77")
      .logon("2026-11-02T12:30:00Z", "jdoe", "0x9a0", 2)
      .rdp_session(4778, "2026-11-02T13:00:00Z", "jdoe", "0x77")
      .noise("2026-11-02T20:00:00Z");
  w.file("security.xml", sec);
  w.build();
  CHECK(w.host().sessions.size() == 2);
}
