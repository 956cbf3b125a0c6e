// What the Windows evidence says about each host over time: interactive sessions with their idle
// spans, power-off spans, and the spans where the Security log cannot vouch for anything (SPEC 2).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/source.h"
#include "flexrecon/span_index.h"
#include "flexrecon/time.h"

namespace flexrecon {

struct IdleSpan {
  Span span;
  std::string kind;  // "locked", "screensaver", "disconnected", or several joined by "/" where they overlap
  std::vector<EvidenceRef> evidence;
};

// True when `window` is contained in the union of `idle` (sorted, disjoint).
bool covered_by(const std::vector<IdleSpan>& idle, Span window);

struct Session {
  std::uint64_t id = 0;          // stable within one run: order of start, then host
  std::string host;
  std::string user;              // normalised account
  int logon_type = 0;            // 2, 10, 11, 12; 0 when rebuilt from an orphan event
  std::uint64_t logon_id = 0;
  Span span;                     // [start, end)
  bool start_inferred = false;   // logon never seen: rebuilt from coverage start or preceding boot
  bool open_at_end = false;      // no end seen: runs to the end of coverage
  std::string start_reason;      // "4624 LogonType 10", "orphan 4647 (logon rolled out of the log)"
  std::string end_reason;        // "4634", "LSM 23", "next boot 6005", "open at end of export"
  std::vector<IdleSpan> idle;    // merged union of locked/disconnected spans, inside `span`
  std::vector<EvidenceRef> evidence;  // start, end and every event attached

  // Active (logged on and not idle) at some instant of `window`.
  bool active_during(Span window) const;
  // Idle throughout the part of `window` the session covers.
  bool idle_throughout(Span window) const;
};

struct PowerSpan {
  Span span;                 // off from the clean shutdown marker to the next boot marker
  std::vector<EvidenceRef> evidence;
  std::string reason;        // "1074 shutdown -> 6005 boot"
};

struct CoverageGap {
  Span span;
  std::string kind;          // "before-first-record", "after-last-record", "record-gap", "filtered-export", "log-cleared", "clock-change", "no-security-log"
  std::string description;   // "EventRecordID 1041 -> 1057 (15 records missing)"
  std::vector<EvidenceRef> evidence;
};

struct HostTimeline {
  std::string host;
  std::vector<Session> sessions;        // sorted by start
  std::vector<PowerSpan> power_off;     // sorted
  std::vector<CoverageGap> uncovered;   // sorted, may overlap
  std::vector<Span> covered;            // complement of uncovered within the Security log's range
  bool has_security_log = false;
  std::uint64_t events_used = 0;
  // Boot markers (time, evidence), used for rebuilding orphan sessions and for inspect.
  std::vector<std::pair<Instant, EvidenceRef>> boots;

  // The power-off span containing all of `window`, or nullptr. (Few per host: a scan is enough.)
  const PowerSpan* off_throughout(Span window) const;
};

// The overlap questions the rules ask of one host's timeline, answered through SpanIndex rather than
// by scanning: a filtered Security export leaves a gap between almost every pair of records and a
// terminal server holds thousands of sessions, while a charge concerns the few around it. Refers to
// `timeline`, which must outlive it and not change. Windows are half-open; an empty window [t, t)
// asks about the instant t.
class TimelineIndex {
 public:
  explicit TimelineIndex(const HostTimeline& timeline);

  // The sessions overlapping `window`, in order of start (then id). A zero-length session holds no
  // instant and overlaps nothing.
  std::vector<const Session*> sessions_overlapping(Span window) const;
  // The session that ended last at or before `t`, and the first that started at or after `t`.
  const Session* last_ended_by(Instant t) const;
  const Session* first_started_from(Instant t) const;
  // The uncovered spans overlapping `window`, in the timeline's order.
  std::vector<const CoverageGap*> gaps_overlapping(Span window) const;

 private:
  const HostTimeline* timeline_;
  SpanIndex sessions_;
  SpanIndex gaps_;
  std::vector<const Session*> by_start_;  // (begin, id)
  std::vector<const Session*> by_end_;    // (end, id)
};

struct Timelines {
  std::map<std::string, HostTimeline> hosts;
  std::uint64_t sessions = 0;
  std::uint64_t events_used = 0;
  const HostTimeline* find(const std::string& host) const;
};

// Rebuilds sessions, idle and power spans, and coverage for every host of `store`. `on_host_done`
// (optional, for a progress display) is called after each host with the number of hosts done.
Timelines build_timelines(const EventStore& store, const Settings& settings,
                          const std::function<void(std::size_t hosts_done)>& on_host_done = {});

// The same, a host at a time, for a run that streams hosts (IngestedEvents::for_each_host): the
// timeline of one host (session ids 0), then, once every host is in, the run's totals and session
// ids (order of start, then host, user, logon id: stable whatever the order hosts came in).
HostTimeline build_host_timeline(const HostEvents& host, const Settings& settings);
void number_sessions(Timelines& timelines);

// Reduces `host` to the events and Security marks `timeline` cites (sessions, idle and power
// spans, coverage gaps, boots): what a finding or the evidence store can refer to. The rest is
// what a run at archive scale must not keep. A cited record kept as an event keeps no mark.
void keep_cited_events(HostEvents& host, const HostTimeline& timeline);
// The same, then the kept events packed (pack_events, to `file` when given): a run's way.
void pack_cited_events(HostEvents& host, const HostTimeline& timeline,
                       const std::shared_ptr<PackedEventFile>& file = nullptr);

}  // namespace flexrecon
