// Coverage gaps. Record ids are assigned by the log in sequence, so a jump means records are
// missing (deleted, lost to an overwritten chunk, not exported) and the time between the neighbours
// is unknown. Times come from the records themselves, so a moved clock is its own gap.
#include "sessions/coverage.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace flexrecon::sessions {

namespace {

std::string record_text(const SecurityMark& m) {
  return "EventRecordID " + std::to_string(m.record_id) + " at " + format_utc_precise(m.time);
}

EvidenceRef mark_ref(const SecurityMark& m) { return m.ref(); }

// A gap has length: records missing between two records of the same instant still leave a hole.
Span ordered_span(Instant a, Instant b) {
  const Instant lo = std::min(a, b);
  const Instant hi = std::max(a, b);
  return Span{lo, std::max(hi, lo + kMicrosecond)};
}

// A filtered export (a SIEM forwarder or an export query that kept only some event ids) shows a gap
// between nearly every pair of neighbouring records, and its records carry few distinct ids. A
// complete log, however sparse its activity, has consecutive record ids; a log that lost chunks has
// runs of consecutive ids between its gaps. So, conservatively, all of:
//  - at least kMinRecords records (a handful of records proves nothing either way);
//  - at least 90% of neighbour pairs are gaps;
//  - more records missing than kept;
//  - at most kMaxIds distinct event ids among the kept records.
// Returns the kept ids ("4624, 4634, 4647"), or nullopt when the log does not look filtered.
std::optional<std::string> filtered_export_ids(const std::vector<SecurityMark>& marks) {
  constexpr std::size_t kMinRecords = 20;
  constexpr std::size_t kMaxIds = 12;
  if (marks.size() < kMinRecords) return std::nullopt;
  std::size_t gapped = 0;
  std::uint64_t missing = 0;
  for (std::size_t i = 1; i < marks.size(); ++i) {
    if (marks[i].record_id > marks[i - 1].record_id + 1) {
      ++gapped;
      missing += marks[i].record_id - marks[i - 1].record_id - 1;
    }
  }
  const std::size_t pairs = marks.size() - 1;
  if (gapped * 10 < pairs * 9 || missing <= marks.size()) return std::nullopt;
  std::set<int> ids;
  for (const SecurityMark& m : marks) ids.insert(m.event_id);
  if (ids.size() > kMaxIds) return std::nullopt;
  std::string text;
  for (int id : ids) text += (text.empty() ? "" : ", ") + std::to_string(id);
  return text;
}

void record_gaps(const std::vector<SecurityMark>& marks, std::vector<CoverageGap>& gaps) {
  const std::optional<std::string> filtered = filtered_export_ids(marks);
  for (std::size_t i = 1; i < marks.size(); ++i) {
    const SecurityMark& a = marks[i - 1];
    const SecurityMark& b = marks[i];
    if (b.record_id <= a.record_id + 1) continue;
    CoverageGap g;
    g.span = ordered_span(a.time, b.time);
    g.kind = filtered ? "filtered-export" : "record-gap";
    g.description = "EventRecordID " + std::to_string(a.record_id) + " -> " + std::to_string(b.record_id) +
                    " missing " + std::to_string(b.record_id - a.record_id - 1) + " records between " +
                    format_utc(g.span.begin) + " and " + format_utc(g.span.end);
    if (filtered)
      g.description = "filtered export (it kept only event ids " + *filtered + "): " + g.description +
                      "; the unfiltered Security log is needed";
    g.evidence = {mark_ref(a), mark_ref(b)};
    gaps.push_back(std::move(g));
  }
}

void event_gaps(const std::vector<HostEvent>& events, const Settings& settings, std::vector<bool>& used,
                std::vector<CoverageGap>& gaps) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const HostEvent& e = events[i];
    if (e.channel != Channel::Security) continue;
    if (e.event_id == 1102) {
      // Whatever the log held before the clear is gone: nothing before it can be vouched for.
      used[i] = true;
      CoverageGap g;
      g.span = Span{kMinInstant, e.time};
      g.kind = "log-cleared";
      std::string by(e.field("SubjectUserName"));
      g.description = "Security log cleared (1102, EventRecordID " + std::to_string(e.record_id) + ") at " +
                      format_utc(e.time) + (by.empty() ? "" : " by " + by) + ": everything before it is uncovered";
      g.evidence = {e.ref()};
      gaps.push_back(std::move(g));
    } else if (e.event_id == 4616) {
      const auto before = parse_timestamp(e.field("PreviousTime"));
      const auto after = parse_timestamp(e.field("NewTime"));
      if (!before || !after) continue;  // cannot tell how far the clock moved
      used[i] = true;
      const Instant moved = *after > *before ? *after - *before : *before - *after;
      if (moved <= settings.clock_tolerance) continue;
      CoverageGap g;
      g.span = ordered_span(*before, *after);
      g.kind = "clock-change";
      g.description = "system time changed (4616, EventRecordID " + std::to_string(e.record_id) + ") from " +
                      format_utc_precise(*before) + " to " + format_utc_precise(*after) +
                      ": event times in between are unreliable";
      g.evidence = {e.ref()};
      gaps.push_back(std::move(g));
    }
  }
}

std::vector<Span> merged(const std::vector<CoverageGap>& gaps) {
  std::vector<Span> spans;
  for (const CoverageGap& g : gaps) spans.push_back(g.span);
  std::sort(spans.begin(), spans.end(), [](Span a, Span b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  std::vector<Span> out;
  for (Span s : spans) {
    if (!out.empty() && s.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, s.end);
    } else {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace

Coverage compute_coverage(const HostEvents& host, const Settings& settings, std::vector<bool>& used) {
  Coverage c;
  c.first_evidence = kMaxInstant;
  for (const HostEvent& e : host.events) c.first_evidence = std::min(c.first_evidence, e.time);
  for (const SecurityMark& m : host.security) c.first_evidence = std::min(c.first_evidence, m.time);
  if (c.first_evidence == kMaxInstant) c.first_evidence = kMinInstant;

  const std::vector<SecurityMark>& marks = host.security;
  c.has_security_log = !marks.empty();
  if (!c.has_security_log) {
    c.uncovered.push_back(CoverageGap{Span{kMinInstant, kMaxInstant}, "no-security-log",
                                      "no Security log for host " + host.host + ": nothing can be shown not to have happened",
                                      {}});
    c.uncovered_union = merged(c.uncovered);
    return c;
  }

  // The span before the first record and after the last are open-ended: the log says nothing there.
  Instant first = kMaxInstant, last = kMinInstant;
  const SecurityMark* first_mark = &marks.front();
  const SecurityMark* last_mark = &marks.front();
  for (const SecurityMark& m : marks) {
    if (m.time < first) first = m.time, first_mark = &m;
    if (m.time >= last) last = m.time, last_mark = &m;
  }
  c.uncovered.push_back(CoverageGap{Span{kMinInstant, first}, "before-first-record",
                                    "before the first Security record (" + record_text(*first_mark) + ")",
                                    {mark_ref(*first_mark)}});
  c.uncovered.push_back(CoverageGap{Span{last, kMaxInstant}, "after-last-record",
                                    "after the last Security record (" + record_text(*last_mark) + ")",
                                    {mark_ref(*last_mark)}});
  record_gaps(marks, c.uncovered);
  event_gaps(host.events, settings, used, c.uncovered);

  std::sort(c.uncovered.begin(), c.uncovered.end(), [](const CoverageGap& a, const CoverageGap& b) {
    return std::tie(a.span.begin, a.span.end, a.kind, a.description) <
           std::tie(b.span.begin, b.span.end, b.kind, b.description);
  });

  c.uncovered_union = merged(c.uncovered);
  Instant cursor = kMinInstant;
  for (Span u : c.uncovered_union) {
    if (u.begin > cursor) c.covered.push_back(Span{cursor, u.begin});
    cursor = std::max(cursor, u.end);
  }
  if (cursor < kMaxInstant) c.covered.push_back(Span{cursor, kMaxInstant});
  return c;
}

Instant Coverage::stretch_start(Instant t) const {
  // The last span starting at or before t, in each sorted, disjoint list.
  const auto last_starting = [t](const std::vector<Span>& spans) -> const Span* {
    const auto it = std::upper_bound(spans.begin(), spans.end(), t, [](Instant v, Span s) { return v < s.begin; });
    return it == spans.begin() ? nullptr : &*std::prev(it);
  };
  if (const Span* s = last_starting(covered); s && t <= s->end) return std::min(t, std::max(s->begin, first_evidence));
  if (const Span* u = last_starting(uncovered_union); u && t < u->end) {
    return std::min(t, std::max(u->begin, first_evidence));
  }
  return t;
}

}  // namespace flexrecon::sessions
