// build_timelines: per host, power history first (boots scope logon ids), coverage second (orphan
// sessions start where coverage says their logon would have been seen), sessions last.
#include <algorithm>
#include <tuple>

#include "flexrecon/timeline.h"
#include "sessions/coverage.h"
#include "sessions/power_spans.h"
#include "sessions/session_builder.h"

namespace flexrecon {

namespace {

template <typename T>
void fit(std::vector<T>& v) {
  v.shrink_to_fit();
}

// A timeline is kept until the pack is written, and its lists were grown by doubling: over months
// of sessions, their spare capacity was a tenth of what a run held at its peak. Gives it back.
void fit_to_size(HostTimeline& tl) {
  for (Session& s : tl.sessions) {
    fit(s.evidence);
    for (IdleSpan& i : s.idle) fit(i.evidence);
    fit(s.idle);
  }
  fit(tl.sessions);
  for (PowerSpan& p : tl.power_off) fit(p.evidence);
  fit(tl.power_off);
  for (CoverageGap& g : tl.uncovered) fit(g.evidence);
  fit(tl.uncovered);
  fit(tl.covered);
  fit(tl.boots);
}

}  // namespace

HostTimeline build_host_timeline(const HostEvents& host, const Settings& settings) {
  std::vector<bool> used(host.events.size(), false);
  HostTimeline tl;
  tl.host = host.host;
  const sessions::PowerHistory power = sessions::build_power_history(host, used);
  sessions::Coverage coverage = sessions::compute_coverage(host, settings, used);
  tl.sessions = sessions::build_sessions(host, power, coverage, settings, used);
  tl.power_off = power.off;
  tl.uncovered = std::move(coverage.uncovered);
  tl.covered = std::move(coverage.covered);
  tl.has_security_log = coverage.has_security_log;
  for (const sessions::Boot& b : power.boots) tl.boots.emplace_back(b.time, b.ref);
  tl.events_used = static_cast<std::uint64_t>(std::count(used.begin(), used.end(), true));
  fit_to_size(tl);
  return tl;
}

Timelines build_timelines(const EventStore& store, const Settings& settings,
                          const std::function<void(std::size_t hosts_done)>& on_host_done) {
  Timelines out;
  for (const auto& [name, host] : store.hosts) {
    out.hosts.emplace(name, build_host_timeline(host, settings));
    if (on_host_done) on_host_done(out.hosts.size());
  }
  number_sessions(out);
  return out;
}

void number_sessions(Timelines& timelines) {
  timelines.sessions = 0;
  timelines.events_used = 0;
  std::vector<Session*> all;
  for (auto& [name, tl] : timelines.hosts) {
    timelines.events_used += tl.events_used;
    timelines.sessions += tl.sessions.size();
    for (Session& s : tl.sessions) all.push_back(&s);
  }
  // Ids in (start, host, user, logon id) order over all hosts: stable across runs and inputs order.
  std::stable_sort(all.begin(), all.end(), [](const Session* a, const Session* b) {
    return std::tie(a->span.begin, a->host, a->user, a->logon_id, a->span.end, a->start_reason) <
           std::tie(b->span.begin, b->host, b->user, b->logon_id, b->span.end, b->start_reason);
  });
  for (std::size_t i = 0; i < all.size(); ++i) all[i]->id = i + 1;
}

namespace {

// Every reference `timeline` rests on, sorted.
std::vector<EvidenceRef> cited_refs(const HostTimeline& timeline) {
  std::vector<EvidenceRef> cited;
  const auto cite = [&](const std::vector<EvidenceRef>& refs) { cited.insert(cited.end(), refs.begin(), refs.end()); };
  for (const Session& s : timeline.sessions) {
    cite(s.evidence);
    for (const IdleSpan& i : s.idle) cite(i.evidence);
  }
  for (const PowerSpan& p : timeline.power_off) cite(p.evidence);
  for (const CoverageGap& g : timeline.uncovered) cite(g.evidence);
  for (const auto& [time, ref] : timeline.boots) cited.push_back(ref);
  std::sort(cited.begin(), cited.end());
  return cited;
}

bool is_in(const std::vector<EvidenceRef>& sorted, const EvidenceRef& ref) {
  return std::binary_search(sorted.begin(), sorted.end(), ref);
}

// A cited record that is a kept event (`kept`: their references) is found as that event (the pack
// and the dossier look a reference up among the events first): its mark would hold the record a
// second time. Marks stay for the cited records known only from coverage (the first and last
// records, a gap's edges).
void keep_cited_marks(HostEvents& host, const std::vector<EvidenceRef>& cited, std::vector<EvidenceRef>& kept) {
  std::sort(kept.begin(), kept.end());
  std::erase_if(host.security, [&](const SecurityMark& m) { return !is_in(cited, m.ref()) || is_in(kept, m.ref()); });
  host.security.shrink_to_fit();
}

}  // namespace

void keep_cited_events(HostEvents& host, const HostTimeline& timeline) {
  const std::vector<EvidenceRef> cited = cited_refs(timeline);
  std::erase_if(host.events, [&](const HostEvent& e) { return !is_in(cited, e.ref()); });
  host.events.shrink_to_fit();
  std::vector<EvidenceRef> kept;
  kept.reserve(host.events.size());
  for (const HostEvent& e : host.events) kept.push_back(e.ref());
  keep_cited_marks(host, cited, kept);
}

void pack_cited_events(HostEvents& host, const HostTimeline& timeline, const std::shared_ptr<PackedEventFile>& file) {
  keep_cited_events(host, timeline);
  pack_events(host, file);
}

}  // namespace flexrecon
