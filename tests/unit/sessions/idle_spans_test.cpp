// Idle time inside sessions: lock, screensaver and disconnect spans, paired per channel and united.
#include <catch2/catch.hpp>

#include "sessions/idle_spans.h"
#include "unit/sessions/event_fixture.h"

using namespace sessions_test;

TEST_CASE("a locked span makes the session idle there and active around it") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x3e7a1", 2)
      .workstation(4800, "2026-11-02T12:00:00Z", "jdoe", "0x3e7a1")
      .workstation(4801, "2026-11-02T13:00:00Z", "jdoe", "0x3e7a1")
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x3e7a1", 2);
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  REQUIRE(s.idle.size() == 1);
  CHECK(s.idle[0].kind == "locked");
  CHECK(s.idle[0].span == Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T13:00:00Z")});
  CHECK(s.idle[0].evidence.size() == 2);
  CHECK(s.idle_throughout(around("2026-11-02T12:30:00Z")));
  CHECK_FALSE(s.active_during(around("2026-11-02T12:30:00Z")));
  // A window reaching past the unlock sees the user back.
  CHECK(s.active_during(around("2026-11-02T12:59:00Z")));
  CHECK_FALSE(s.idle_throughout(around("2026-11-02T12:59:00Z")));
  CHECK(s.active_during(around("2026-11-02T10:00:00Z")));
  CHECK(w.host().events_used == 4);
}

TEST_CASE("lock/unlock idle spans union with disconnect spans") {
  World w;
  HostLog log;
  // Locked 10:00-11:00 and disconnected 10:30-11:30 overlap: idle 10:00-11:30 as one span.
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x77", 10)
      .workstation(4800, "2026-11-02T10:00:00Z", "jdoe", "0x77")
      .rdp_session(4779, "2026-11-02T10:30:00Z", "jdoe", "0x77")
      .workstation(4801, "2026-11-02T11:00:00Z", "jdoe", "0x77")
      .rdp_session(4778, "2026-11-02T11:30:00Z", "jdoe", "0x77")
      .workstation(4802, "2026-11-02T14:00:00Z", "jdoe", "0x77")
      .workstation(4803, "2026-11-02T14:20:00Z", "jdoe", "0x77")
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x77", 10);
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  REQUIRE(s.idle.size() == 2);
  CHECK(s.idle[0].span == Span{at("2026-11-02T10:00:00Z"), at("2026-11-02T11:30:00Z")});
  CHECK(s.idle[0].kind == "disconnected/locked");
  CHECK(s.idle[0].evidence.size() == 4);
  CHECK(s.idle[1].kind == "screensaver");
  CHECK(s.idle_throughout(around("2026-11-02T11:10:00Z")));  // unlocked, but still disconnected
  CHECK(s.active_during(around("2026-11-02T11:40:00Z")));
}

TEST_CASE("an unlock or reconnect with no earlier lock or disconnect adds no idle time") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x88", 10)
      .workstation(4801, "2026-11-02T10:00:00Z", "jdoe", "0x88")
      .rdp_session(4778, "2026-11-02T11:00:00Z", "jdoe", "0x88")
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x88", 10);
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  CHECK(w.host().sessions[0].idle.empty());
  CHECK(w.host().sessions[0].active_during(around("2026-11-02T09:00:00Z")));
}

TEST_CASE("a lock never undone keeps the session idle to its end") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x99", 2)
      .workstation(4800, "2026-11-02T12:00:00Z", "jdoe", "0x99")
      .workstation(4800, "2026-11-02T12:30:00Z", "jdoe", "0x99")
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x99", 2);
  w.file("security.xml", log);
  w.build();
  const Session& s = w.host().sessions.at(0);
  REQUIRE(s.idle.size() == 1);
  CHECK(s.idle[0].span == Span{at("2026-11-02T12:00:00Z"), at("2026-11-02T17:00:00Z")});
}

TEST_CASE("a lock whose logon rolled out of the log proves the session and its idle time") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .workstation(4800, "2026-11-02T12:00:00Z", "jdoe", "0x55")
      .workstation(4801, "2026-11-02T13:00:00Z", "jdoe", "0x55")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 1);
  const Session& s = w.host().sessions[0];
  CHECK(s.start_inferred);
  CHECK(s.span.begin == at("2026-11-02T07:00:00Z"));
  CHECK(s.open_at_end);
  CHECK(s.idle.size() == 1);
  CHECK(s.active_during(around("2026-11-02T10:00:00Z")));
}

TEST_CASE("idle pieces are clipped to the session and touching pieces merge") {
  using namespace flexrecon::sessions;
  IdleTracker t;
  t.begin(IdleChannel::Lock, 100, EvidenceRef{0, 1, false});
  t.end(IdleChannel::Lock, 200, EvidenceRef{0, 2, false});
  t.begin(IdleChannel::LsmDisconnect, 200, EvidenceRef{1, 1, false});
  t.end(IdleChannel::LsmDisconnect, 300, EvidenceRef{1, 2, false});
  t.begin(IdleChannel::SecurityDisconnect, 900, EvidenceRef{0, 3, false});
  const auto idle = t.finish(Span{150, 1000});
  REQUIRE(idle.size() == 2);
  CHECK(idle[0].span == Span{150, 300});
  CHECK(idle[1].span == Span{900, 1000});
  CHECK(covered_by(idle, Span{160, 290}));
  CHECK_FALSE(covered_by(idle, Span{160, 301}));
}
