// The real public sample logs (SPEC data: /work/shared/data/public-evtx-xml), read through the real
// ingest path: what the reconstruction makes of evidence written by real Windows machines.
#include <catch2/catch.hpp>

#include <filesystem>

#include "flexrecon/event_store.h"
#include "flexrecon/timeline.h"
#include "support/shared_data.h"

using namespace flexrecon;

namespace {


struct Read {
  SourceTable sources;
  EventStore store;
  Rejects rejects;
  Timelines timelines;
};

Read read_sample(const std::string& relative, const Settings& settings = Settings{}) {
  Read r;
  const std::string path = flexrecon::test::require_shared("public-evtx-xml/" + relative).string();
  read_event_inputs({path}, EventReadOptions{}, r.sources, r.store, r.rejects);
  r.timelines = build_timelines(r.store, settings);
  return r;
}

std::size_t count_gaps(const Timelines& t, const std::string& kind) {
  std::size_t n = 0;
  for (const auto& [host, tl] : t.hosts) {
    for (const CoverageGap& g : tl.uncovered) n += g.kind == kind ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("the sample whose Security log was cleared gets a log-cleared gap") {
  const Read r = read_sample("EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1550-Use Alternate Authentication Material/"
                             "ID4624-Mimikatz Pass the hash.xml");
  CHECK(count_gaps(r.timelines, "log-cleared") >= 1);
  for (const auto& [host, tl] : r.timelines.hosts) {
    for (const CoverageGap& g : tl.uncovered) {
      if (g.kind != "log-cleared") continue;
      CHECK(g.span.begin == kMinInstant);
      CHECK(g.evidence.size() == 1);
      CHECK(g.description.find("1102") != std::string::npos);
    }
  }
}

TEST_CASE("the timestomp sample's three-day clock jump is a clock-change gap, its tiny corrections are not") {
  const std::string file = "EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1070.006-Timestomp/ID4616-system time changed.xml";
  const Read r = read_sample(file);
  const HostTimeline* tl = r.timelines.find("jump01");
  REQUIRE(tl != nullptr);
  std::vector<const CoverageGap*> clock;
  for (const CoverageGap& g : tl->uncovered) {
    if (g.kind == "clock-change") clock.push_back(&g);
  }
  REQUIRE_FALSE(clock.empty());
  for (const CoverageGap* g : clock) CHECK(g->span.end - g->span.begin > 5 * kMinute);
  // 2021-11-24 15:47 -> 2021-11-27 15:47 is uncovered.
  bool three_days = false;
  for (const CoverageGap* g : clock) three_days |= g->span.end - g->span.begin > 2 * kDay;
  CHECK(three_days);

  Settings lenient;
  lenient.clock_tolerance = 4 * kDay;
  CHECK(count_gaps(read_sample(file, lenient).timelines, "clock-change") == 0);
}

TEST_CASE("the RDP hijack samples produce sessions and deterministic timelines") {
  for (const std::string file : {"EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1021.001-Remote Desktop Protocol/"
                                 "ID4688,4778,4779 RDP hijack direct.xml",
                                 "YamatoSecurity/LateralMovement/T1563.002_RDP-Hijacking_Security.xml"}) {
    INFO(file);
    const Read a = read_sample(file);
    const Read b = read_sample(file);
    CHECK(a.timelines.sessions >= 1);
    CHECK(a.timelines.events_used >= 1);
    REQUIRE(a.timelines.hosts.size() == b.timelines.hosts.size());
    for (const auto& [host, tl] : a.timelines.hosts) {
      const HostTimeline& other = b.timelines.hosts.at(host);
      REQUIRE(tl.sessions.size() == other.sessions.size());
      for (std::size_t i = 0; i < tl.sessions.size(); ++i) {
        const Session& s = tl.sessions[i];
        CHECK(s.id == other.sessions[i].id);
        CHECK(s.span == other.sessions[i].span);
        CHECK(s.span.begin <= s.span.end);
        CHECK_FALSE(s.evidence.empty());
        for (const IdleSpan& idle : s.idle) {
          CHECK(s.span.begin <= idle.span.begin);
          CHECK(idle.span.end <= s.span.end);
        }
      }
    }
  }
}

TEST_CASE("every public sample rebuilds without failing and every session keeps its invariants") {
  Read r;
  read_event_inputs({flexrecon::test::require_shared("public-evtx-xml").string()}, EventReadOptions{}, r.sources, r.store, r.rejects);
  r.timelines = build_timelines(r.store, Settings{});
  CHECK(r.timelines.hosts.size() >= 5);
  CHECK(r.timelines.sessions >= 1);
  std::uint64_t used = 0;
  for (const auto& [host, tl] : r.timelines.hosts) {
    used += tl.events_used;
    CHECK(tl.has_security_log == !r.store.hosts.at(host).security.empty());
    for (const Session& s : tl.sessions) {
      CHECK(s.span.begin <= s.span.end);
      CHECK(s.host == host);
      for (std::size_t i = 1; i < s.idle.size(); ++i) CHECK(s.idle[i - 1].span.end < s.idle[i].span.begin);
    }
    for (std::size_t i = 1; i < tl.sessions.size(); ++i) {
      CHECK(tl.sessions[i - 1].span.begin <= tl.sessions[i].span.begin);
    }
  }
  CHECK(used == r.timelines.events_used);
  CHECK(used <= r.store.counts.relevant);
}

TEST_CASE("rebuilding reports each host done, once, up to the number of hosts") {
  Read r;
  read_event_inputs({flexrecon::test::require_shared("public-evtx-xml").string()}, EventReadOptions{}, r.sources, r.store, r.rejects);
  std::vector<std::size_t> reported;
  r.timelines = build_timelines(r.store, Settings{}, [&](std::size_t hosts_done) { reported.push_back(hosts_done); });
  REQUIRE(r.store.hosts.size() >= 5);
  std::vector<std::size_t> expected(r.store.hosts.size());
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = i + 1;
  CHECK(reported == expected);
}

TEST_CASE("the EVTX originals and their XML renderings give the same sessions and gaps") {
  auto summary = [](const std::string& dir) {
    SourceTable sources;
    EventStore store;
    Rejects rejects;
    read_event_inputs({flexrecon::test::require_shared(dir).string()}, EventReadOptions{}, sources, store, rejects);
    const Timelines t = build_timelines(store, Settings{});
    std::vector<std::string> lines;
    for (const auto& [host, tl] : t.hosts) {
      for (const Session& s : tl.sessions) {
        // Whole seconds: the two renderings round the 100 ns FILETIME to microseconds differently.
        lines.push_back(host + " " + s.user + " " + format_utc(s.span.begin) + " " + format_utc(s.span.end) +
                        " " + s.start_reason + " " + s.end_reason + " idle " + std::to_string(s.idle.size()));
      }
      for (const CoverageGap& g : tl.uncovered) {
        lines.push_back(host + " " + g.kind + " " + std::to_string(g.span.begin / kSecond) + " " +
                        std::to_string(g.span.end / kSecond) + " " + std::to_string(g.evidence.size()));
      }
    }
    return std::make_pair(lines, t.events_used);
  };
  const auto xml = summary("public-evtx-xml");
  const auto evtx = summary("public-evtx");
  CHECK(xml.second == evtx.second);
  REQUIRE(xml.first.size() == evtx.first.size());
  for (std::size_t i = 0; i < xml.first.size(); ++i) CHECK(xml.first[i] == evtx.first[i]);
}
