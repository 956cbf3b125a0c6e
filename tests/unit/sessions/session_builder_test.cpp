// Sessions rebuilt from Security logons and logoffs (SPEC 2), including the ones whose logon is
// missing and the ones logon-id reuse across reboots would otherwise merge.
#include <catch2/catch.hpp>

#include "unit/sessions/event_fixture.h"

using namespace sessions_test;

namespace {

std::vector<const Session*> sessions_of(const HostTimeline& tl, const std::string& user) {
  std::vector<const Session*> out;
  for (const Session& s : tl.sessions) {
    if (s.user == user) out.push_back(&s);
  }
  return out;
}

}  // namespace

TEST_CASE("a console logon and its logoff make one session with both events as evidence") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00.123456Z", "CORP\\JDoe", "0x3E7A1", 2)
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x00000000003e7a1", 2)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  const Session& s = tl.sessions[0];
  CHECK(s.user == "jdoe");
  CHECK(s.logon_type == 2);
  CHECK(s.logon_id == 0x3e7a1);
  CHECK(s.span.begin == at("2026-11-02T08:00:00.123456Z"));
  CHECK(s.span.end == at("2026-11-02T17:00:00Z"));
  CHECK(s.end_reason == "4634");
  CHECK_FALSE(s.start_inferred);
  CHECK_FALSE(s.open_at_end);
  CHECK(s.evidence.size() == 2);
  CHECK(w.has_evidence(s, 1002));
  CHECK(w.has_evidence(s, 1003));
  CHECK(tl.events_used == 2);
  CHECK(w.timelines.sessions == 1);
  CHECK(s.active_during(around("2026-11-02T12:00:00Z")));
  CHECK_FALSE(s.active_during(around("2026-11-02T17:30:00Z")));
}

TEST_CASE("a session whose logon rolled out of the log still covers a charge") {
  World w;
  HostLog log;
  // The exported log starts at 07:00; jdoe's 4624 was overwritten before it.
  log.noise("2026-11-02T07:00:00Z")
      .noise("2026-11-02T09:00:00Z")
      .user_logoff("2026-11-02T17:00:00Z", "jdoe", "0x5a1f0")
      .logoff("2026-11-02T17:00:01Z", "jdoe", "0x5a1f0", 2)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  const Session& s = tl.sessions[0];
  CHECK(s.start_inferred);
  CHECK(s.logon_type == 0);
  CHECK(s.span.begin == at("2026-11-02T07:00:00Z"));
  CHECK(s.span.end == at("2026-11-02T17:00:00Z"));  // the first logoff ends it
  CHECK(s.end_reason == "4647");
  CHECK(s.start_reason.find("orphan 4647") == 0);
  CHECK(s.active_during(around("2026-11-02T12:00:00Z")));
  CHECK(s.evidence.size() == 2);
}

TEST_CASE("an orphan logoff after a reboot is rebuilt from that boot, not from the start of the log") {
  World w;
  HostLog sec;
  sec.noise("2026-11-02T07:00:00Z").startup_4608("2026-11-02T09:00:05Z").noise("2026-11-02T09:10:00Z")
      .user_logoff("2026-11-02T16:00:00Z", "jdoe", "0x9911");
  HostLog sys;
  sys.system(6005, "2026-11-02T09:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  CHECK(tl.sessions[0].start_inferred);
  CHECK(tl.sessions[0].span.begin == at("2026-11-02T09:00:00Z"));
  CHECK(tl.sessions[0].start_reason.find("boot 6005") != std::string::npos);
  REQUIRE(tl.boots.size() == 1);
}

TEST_CASE("a 4634 of a network or unlock logon whose logon was cut is not presence") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logoff("2026-11-02T09:00:00Z", "jdoe", "0x111", 3)
      .logoff("2026-11-02T09:05:00Z", "jdoe", "0x112", 7)
      .noise("2026-11-02T10:00:00Z");
  w.file("security.xml", log);
  w.build();
  CHECK(w.host().sessions.empty());
  CHECK(w.host().events_used == 0);
}

TEST_CASE("a logon id reused after a reboot belongs to the new session") {
  World w;
  HostLog sec;
  sec.logon("2026-11-02T08:00:00Z", "jdoe", "0x3e7a1", 2)
      .startup_4608("2026-11-03T07:00:10Z")
      .logon("2026-11-03T08:00:00Z", "asmith", "0x3e7a1", 2)
      .logoff("2026-11-03T12:00:00Z", "asmith", "0x3e7a1", 2)
      .noise("2026-11-03T13:00:00Z");
  HostLog sys;
  sys.shutdown_1074("2026-11-02T18:00:00Z").system(6006, "2026-11-02T18:00:30Z").system(6005, "2026-11-03T07:00:00Z");
  w.file("security.xml", sec);
  w.file("system.xml", sys);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 2);
  const auto jdoe = sessions_of(tl, "jdoe");
  const auto asmith = sessions_of(tl, "asmith");
  REQUIRE(jdoe.size() == 1);
  REQUIRE(asmith.size() == 1);
  // The 4634 of 0x3e7a1 on day 2 ends asmith's session, not jdoe's: jdoe's ended at the shutdown.
  CHECK(jdoe[0]->span.end == at("2026-11-02T18:00:30Z"));
  CHECK(jdoe[0]->end_reason == "shutdown 6006");
  CHECK(asmith[0]->span.end == at("2026-11-03T12:00:00Z"));
  CHECK(asmith[0]->end_reason == "4634");
  CHECK_FALSE(w.has_evidence(*jdoe[0], 1004));
}

TEST_CASE("UAC split logons are one session ended by the first logoff") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "adm_jdoe", "0x51a00", 2, "0x51a2b")
      .logon("2026-11-02T08:00:00.2Z", "adm_jdoe", "0x51a2b", 2, "0x51a00")
      .logoff("2026-11-02T16:00:00Z", "adm_jdoe", "0x51a2b", 2)
      .logoff("2026-11-02T16:00:02Z", "adm_jdoe", "0x51a00", 2)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 1);
  const Session& s = tl.sessions[0];
  CHECK(s.user == "adm_jdoe");  // adm_* are people, not services
  CHECK(s.span.begin == at("2026-11-02T08:00:00Z"));
  CHECK(s.span.end == at("2026-11-02T16:00:00Z"));
  CHECK(s.evidence.size() == 4);  // both logons, both logoffs
  CHECK(tl.events_used == 4);
}

TEST_CASE("linked logons of different users or logged apart are not merged") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x600", 2, "0x601")
      .logon("2026-11-02T08:00:00Z", "asmith", "0x601", 2, "0x600")
      .logon("2026-11-02T09:00:00Z", "jdoe", "0x700", 2, "0x701")
      .logon("2026-11-02T09:05:00Z", "jdoe", "0x701", 2, "0x700")
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  CHECK(w.host().sessions.size() == 4);
}

TEST_CASE("DWM-1 type 2 logon is not a human session") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "DWM-1", "0x100", 2, "0x0", "S-1-5-90-0-1")
      .logon("2026-11-02T08:00:01Z", "UMFD-0", "0x101", 2, "0x0", "S-1-5-96-0-0")
      .logon("2026-11-02T08:00:02Z", "WS-0042$", "0x102", 2)
      .logon("2026-11-02T08:00:03Z", "SYSTEM", "0x3e7", 2, "0x0", "S-1-5-18")
      .logon("2026-11-02T08:00:04Z", "ANONYMOUS LOGON", "0x103", 2, "0x0", "S-1-5-7")
      .logon("2026-11-02T08:00:05Z", "svc_backup", "0x104", 10)
      .logon("2026-11-02T08:00:06Z", "jdoe", "0x105", 3)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  CHECK(w.host().sessions.empty());
}

TEST_CASE("unlock and cached-unlock logons start no session") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x200", 7)
      .logon("2026-11-02T08:10:00Z", "jdoe", "0x201", 13)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  CHECK(w.host().sessions.empty());
}

TEST_CASE("RDP, cached and cached-RDP logons are sessions too") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "jdoe", "0x300", 10)
      .logon("2026-11-02T08:10:00Z", "asmith", "0x301", 11)
      .logon("2026-11-02T08:20:00Z", "bwayne", "0x302", 12)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  REQUIRE(w.host().sessions.size() == 3);
  for (const Session& s : w.host().sessions) {
    CHECK(s.open_at_end);
    CHECK(s.end_reason == "open at end of export");
    CHECK(s.span.end == at("2026-11-02T18:00:00Z"));
  }
}

TEST_CASE("a service account pattern from the settings excludes the account") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z").logon("2026-11-02T08:00:00Z", "render_bot", "0x400", 10).noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  Settings settings;
  CHECK(w.build(settings).sessions == 1);
  settings.service_account_patterns.push_back("render_*");
  CHECK(w.build(settings).sessions == 0);
}

TEST_CASE("session ids follow start, host and user, whatever order the files come in") {
  auto run = [](bool reversed) {
    World w;
    HostLog a("WS-0001.corp.example");
    a.noise("2026-11-02T07:00:00Z").logon("2026-11-02T09:00:00Z", "zed", "0x10", 2).noise("2026-11-02T18:00:00Z");
    HostLog b("WS-0002.corp.example");
    b.noise("2026-11-02T07:00:00Z")
        .logon("2026-11-02T08:00:00Z", "amy", "0x10", 2)
        .logon("2026-11-02T09:00:00Z", "bob", "0x11", 2)
        .noise("2026-11-02T18:00:00Z");
    w.file(reversed ? "a.xml" : "b.xml", a);
    w.file(reversed ? "b.xml" : "a.xml", b);
    w.build();
    std::vector<std::tuple<std::uint64_t, std::string, std::string>> ids;
    for (const auto& [name, tl] : w.timelines.hosts) {
      for (const Session& s : tl.sessions) ids.emplace_back(s.id, s.host, s.user);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  const auto first = run(false);
  CHECK(first == run(true));
  REQUIRE(first.size() == 3);
  CHECK(std::get<2>(first[0]) == "amy");
  CHECK(std::get<1>(first[1]) == "ws-0001");  // 09:00 on ws-0001 before 09:00 on ws-0002
  CHECK(std::get<2>(first[2]) == "bob");
}

// A run at archive scale keeps, per host, only what its timeline cites (docs/scale.md): the pack and
// the rules must still find every record a session or a gap rests on, and nothing else stays.
TEST_CASE("a host keeps exactly the events and Security marks its timeline cites") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "CORP\\JDoe", "0x3E7A1", 2)
      .noise("2026-11-02T09:00:00Z")
      .logon("2026-11-02T09:30:00Z", "svc_backup", "0x900", 3)
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x3e7a1", 2)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  HostEvents host = w.store.hosts.at("ws-0042");
  const HostTimeline& tl = w.host();
  REQUIRE(host.events.size() == 3);  // both logons and the logoff are of the kinds used
  keep_cited_events(host, tl);
  std::vector<EvidenceRef> cited;
  for (const Session& s : tl.sessions) cited.insert(cited.end(), s.evidence.begin(), s.evidence.end());
  for (const CoverageGap& g : tl.uncovered) cited.insert(cited.end(), g.evidence.begin(), g.evidence.end());
  const auto is_cited = [&](const EvidenceRef& r) { return std::find(cited.begin(), cited.end(), r) != cited.end(); };
  // The network logon of svc_backup rests nothing: gone. The session's logon and logoff stay.
  REQUIRE(host.events.size() == 2);
  for (const HostEvent& e : host.events) CHECK(is_cited(e.ref()));
  // Marks stay for the first and last Security records (they bound coverage, and are no event
  // kept); the noise between and the network logon go, and so do the marks of the logon and the
  // logoff, which are found as the events they are.
  REQUIRE(host.security.size() == 2);
  for (const SecurityMark& m : host.security) CHECK(is_cited(m.ref()));
  CHECK(host.security.front().record_id == 1001);
  CHECK(host.security.back().record_id == 1006);
  for (const HostEvent& e : host.events)
    for (const SecurityMark& m : host.security) CHECK(m.ref() != e.ref());
}

// What a run does (pack_cited_events) must keep what keep_cited_events and pack_events keep.
TEST_CASE("packing the cited events as they are found keeps the same events and marks, in order") {
  World w;
  HostLog log;
  log.noise("2026-11-02T07:00:00Z")
      .logon("2026-11-02T08:00:00Z", "CORP\\JDoe", "0x3E7A1", 2)
      .logon("2026-11-02T09:30:00Z", "svc_backup", "0x900", 3)
      .logon("2026-11-02T10:00:00Z", "CORP\\Mary", "0x51", 10)
      .logoff("2026-11-02T12:00:00Z", "mary", "0x51", 10)
      .logoff("2026-11-02T17:00:00Z", "jdoe", "0x3e7a1", 2)
      .noise("2026-11-02T18:00:00Z");
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  HostEvents kept = w.store.hosts.at("ws-0042");
  HostEvents packed = kept;
  keep_cited_events(kept, tl);
  pack_events(kept);
  pack_cited_events(packed, tl);
  CHECK(packed.events.empty());
  REQUIRE(packed.packed.size() == 4);  // two sessions' logons and logoffs; not the network logon
  REQUIRE(packed.packed.size() == kept.packed.size());
  for (std::size_t i = 0; i < packed.packed.size(); ++i) {
    const Event a = packed.packed.at(i), b = kept.packed.at(i);
    CHECK(a.ref() == b.ref());
    CHECK(a.fields.size() == b.fields.size());
    CHECK(a.field("TargetUserName") == b.field("TargetUserName"));
  }
  REQUIRE(packed.security.size() == kept.security.size());
  for (std::size_t i = 0; i < packed.security.size(); ++i) CHECK(packed.security[i].ref() == kept.security[i].ref());
}

// A run keeps every host's timeline until the pack is written (docs/scale.md, "Peak memory"): its
// lists must hold what they say and no spare room, or months of sessions cost up to twice their size.
TEST_CASE("a host's timeline holds its sessions, idle spans and evidence without spare capacity") {
  World w;
  HostLog log;
  for (int day = 2; day <= 28; ++day) {
    const std::string date = "2026-11-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T";
    const std::string id = "0x" + std::to_string(1000 + day);
    log.logon(date + "08:00:00Z", "CORP\\JDoe", id, 2)
        .workstation(4800, date + "12:00:00Z", "jdoe", id)
        .workstation(4801, date + "13:00:00Z", "jdoe", id)
        .workstation(4800, date + "15:00:00Z", "jdoe", id)
        .workstation(4801, date + "15:30:00Z", "jdoe", id)
        .logoff(date + "17:00:00Z", "jdoe", id, 2);
  }
  w.file("security.xml", log);
  w.build();
  const HostTimeline& tl = w.host();
  REQUIRE(tl.sessions.size() == 27);
  CHECK(tl.sessions.capacity() == tl.sessions.size());
  for (const Session& s : tl.sessions) {
    REQUIRE(s.idle.size() == 2);
    CHECK(s.idle.capacity() == s.idle.size());
    CHECK(s.evidence.capacity() == s.evidence.size());
    for (const IdleSpan& i : s.idle) CHECK(i.evidence.capacity() == i.evidence.size());
  }
  CHECK(tl.uncovered.capacity() == tl.uncovered.size());
  CHECK(tl.covered.capacity() == tl.covered.size());
}
