// build_timelines: per host, power history first (boots scope logon ids), coverage second (orphan
// sessions start where coverage says their logon would have been seen), sessions last.
#include <algorithm>
#include <tuple>

#include "flexrecon/timeline.h"
#include "sessions/coverage.h"
#include "sessions/power_spans.h"
#include "sessions/session_builder.h"

namespace flexrecon {

Timelines build_timelines(const EventStore& store, const Settings& settings,
                          const std::function<void(std::size_t hosts_done)>& on_host_done) {
  Timelines out;
  std::vector<Session*> all;
  for (const auto& [name, host] : store.hosts) {
    std::vector<bool> used(host.events.size(), false);
    HostTimeline tl;
    tl.host = name;
    const sessions::PowerHistory power = sessions::build_power_history(host, used);
    sessions::Coverage coverage = sessions::compute_coverage(host, settings, used);
    tl.sessions = sessions::build_sessions(host, power, coverage, settings, used);
    tl.power_off = power.off;
    tl.uncovered = std::move(coverage.uncovered);
    tl.covered = std::move(coverage.covered);
    tl.has_security_log = coverage.has_security_log;
    for (const sessions::Boot& b : power.boots) tl.boots.emplace_back(b.time, b.ref);
    tl.events_used = static_cast<std::uint64_t>(std::count(used.begin(), used.end(), true));
    out.events_used += tl.events_used;
    out.sessions += tl.sessions.size();
    out.hosts.emplace(name, std::move(tl));
    if (on_host_done) on_host_done(out.hosts.size());
  }

  // Ids in (start, host, user, logon id) order over all hosts: stable across runs and inputs order.
  for (auto& [name, tl] : out.hosts) {
    for (Session& s : tl.sessions) all.push_back(&s);
  }
  std::stable_sort(all.begin(), all.end(), [](const Session* a, const Session* b) {
    return std::tie(a->span.begin, a->host, a->user, a->logon_id, a->span.end, a->start_reason) <
           std::tie(b->span.begin, b->host, b->user, b->logon_id, b->span.end, b->start_reason);
  });
  for (std::size_t i = 0; i < all.size(); ++i) all[i]->id = i + 1;
  return out;
}

}  // namespace flexrecon
