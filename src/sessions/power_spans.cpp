// Boot clustering and shutdown attribution.
//
// A start of Windows writes several markers within seconds to minutes of each other (6009 and 6005
// from the event log service, 4608 in Security, 6008 and Kernel-Power 41 after a crash); they are one
// boot as long as no marker repeats and no shutdown marker comes between. A shutdown writes 1074
// (who asked), then the logoffs, then 6006 / 4609 / 1100. A 1074 alone is only an intention (it can
// be aborted), so it counts only when a boot follows it.
#include "sessions/power_spans.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "sessions/last_alive.h"
#include "util/strings.h"

namespace flexrecon::sessions {

namespace {

// Markers further apart than this are separate boots even without a shutdown between them.
constexpr Instant kBootClusterWindow = 10 * kMinute;

// Strong shutdown markers: the logging service itself stopped.
bool is_strong_shutdown(const HostEvent& e) {
  return (e.channel == Channel::Security && (e.event_id == 4609 || e.event_id == 1100)) ||
         (e.channel == Channel::System && e.event_id == 6006);
}

// Signs of a person using the running host. A shutdown marker followed by one of these before the
// next boot did not shut the host down (an aborted 1074, a restarted event log service). Service
// logons and logoffs are not such signs: Windows Update and logoffs run during a shutdown.
bool is_ordinary_activity(const HostEvent& e) {
  switch (e.channel) {
    case Channel::Security:
      if (e.event_id == 4624) {
        const std::string_view type = trim(e.field("LogonType"));
        return type == "2" || type == "7" || type == "10" || type == "11" || type == "12" || type == "13";
      }
      return e.event_id == 4800 || e.event_id == 4801 || e.event_id == 4802 || e.event_id == 4803 ||
             e.event_id == 4778;
    case Channel::LocalSessionManager: return e.event_id == 21 || e.event_id == 22 || e.event_id == 25;
    case Channel::RemoteConnectionManager: return e.event_id == 1149;
    default: return false;
  }
}

struct Pending {
  std::optional<std::size_t> strong;     // earliest 4609/1100/6006 since the last boot
  std::optional<std::size_t> last_1074;  // latest 1074 since the last boot
  Instant last_activity = kMinInstant;   // latest non-marker event since the last boot
};

struct Draft {
  Boot boot;
  std::set<int> ids;
  Pending before;
  std::optional<std::size_t> crash_6008;
  std::optional<Instant> last_alive;
  bool open = true;  // still accepting markers
};

std::string id_text(const HostEvent& e) { return std::to_string(e.event_id); }

void settle(Draft& d, const std::vector<HostEvent>& events, Instant previous_boot) {
  Boot& b = d.boot;
  if (d.before.strong) {
    const HostEvent& s = events[*d.before.strong];
    b.down = s.time;
    b.down_reason = "shutdown " + id_text(s);
    b.down_evidence = {s.ref()};
    b.clean = true;
    return;
  }
  if (d.crash_6008 && d.last_alive && *d.last_alive > previous_boot && *d.last_alive <= b.time) {
    // The heartbeat is written periodically: anything logged after it shows the host still ran.
    b.down = std::max(*d.last_alive, d.before.last_activity);
    b.down_reason = "last alive " + format_utc(*d.last_alive) + " (6008)";
    b.down_evidence = {events[*d.crash_6008].ref()};
    return;
  }
  if (d.before.last_1074) {
    const HostEvent& s = events[*d.before.last_1074];
    b.down = s.time;
    b.down_reason = "shutdown 1074";
    b.down_evidence = {s.ref()};
    b.clean = true;
    return;
  }
  if (d.crash_6008) {
    const HostEvent& c = events[*d.crash_6008];
    b.down = c.time;
    b.down_reason = "unexpected shutdown 6008";
    b.down_evidence = {c.ref()};
    return;
  }
  b.down = b.time;
  b.down_reason = "next boot " + b.marker;
  b.down_evidence = {b.ref};
}

}  // namespace

bool is_boot_marker(const HostEvent& e) {
  if (e.channel == Channel::Security) return e.event_id == 4608;
  if (e.channel != Channel::System) return false;
  if (e.event_id == 41) return iequals(e.provider(), "Microsoft-Windows-Kernel-Power");
  return e.event_id == 6005 || e.event_id == 6009 || e.event_id == 6008;
}

bool is_shutdown_marker(const HostEvent& e) {
  return is_strong_shutdown(e) || (e.channel == Channel::System && e.event_id == 1074);
}

PowerHistory build_power_history(const HostEvents& host, std::vector<bool>& used) {
  const std::vector<HostEvent>& events = host.events;
  std::vector<Draft> drafts;
  Pending pending;

  for (std::size_t i = 0; i < events.size(); ++i) {
    const HostEvent& e = events[i];
    if (is_shutdown_marker(e)) {
      if (is_strong_shutdown(e) && !pending.strong) pending.strong = i;
      if (e.event_id == 1074) pending.last_1074 = i;
      if (!drafts.empty()) drafts.back().open = false;
      continue;
    }
    if (!is_boot_marker(e)) {
      pending.last_activity = std::max(pending.last_activity, e.time);
      if (is_ordinary_activity(e)) {
        pending.strong.reset();
        pending.last_1074.reset();
      }
      continue;
    }
    used[i] = true;
    Draft* current = drafts.empty() ? nullptr : &drafts.back();
    const bool joins = current && current->open && e.time - current->boot.time <= kBootClusterWindow &&
                       !current->ids.count(e.event_id);
    if (!joins) {
      Draft d;
      d.boot.time = e.time;
      d.boot.event_index = i;
      d.boot.ref = e.ref();
      d.boot.marker = id_text(e);
      d.before = pending;
      pending = Pending{};
      drafts.push_back(std::move(d));
      current = &drafts.back();
    }
    current->ids.insert(e.event_id);
    current->boot.evidence.push_back(e.ref());
    if (e.channel == Channel::System && e.event_id == 6008 && !current->crash_6008) {
      current->crash_6008 = i;
      current->last_alive = parse_last_alive(e);
    }
  }

  PowerHistory history;
  Instant previous_boot = kMinInstant;
  for (Draft& d : drafts) {
    settle(d, events, previous_boot);
    previous_boot = d.boot.time;
    Boot& b = d.boot;
    for (const auto& idx : {d.before.strong, d.before.last_1074}) {
      if (idx) used[*idx] = true;
    }
    if (b.clean) {
      PowerSpan off;
      off.span = Span{b.down, std::max(b.down, b.time)};
      off.evidence = b.down_evidence;
      off.evidence.push_back(b.ref);
      off.reason = b.down_reason.substr(b.down_reason.find(' ') + 1) + " shutdown -> " + b.marker + " boot";
      history.off.push_back(std::move(off));
    }
    std::sort(b.evidence.begin(), b.evidence.end());
    history.boots.push_back(std::move(b));
  }

  // After the last boot: only a stopped logging service proves the end (a 1074 could be aborted).
  if (pending.strong) {
    const std::size_t idx = *pending.strong;
    const HostEvent& s = events[idx];
    used[idx] = true;
    history.final_shutdown = s.time;
    history.final_shutdown_ref = s.ref();
    history.final_shutdown_reason = "shutdown " + id_text(s);
    history.off.push_back(PowerSpan{Span{s.time, kMaxInstant}, {s.ref()}, id_text(s) + " shutdown, no later boot in the logs"});
  }
  std::sort(history.off.begin(), history.off.end(), [](const PowerSpan& a, const PowerSpan& b) {
    return std::tie(a.span.begin, a.span.end, a.reason) < std::tie(b.span.begin, b.span.end, b.reason);
  });
  return history;
}

}  // namespace flexrecon::sessions
