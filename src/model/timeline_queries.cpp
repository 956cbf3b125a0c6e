// The questions the rules ask of a timeline. Windows are half-open; an empty window [t, t) asks
// about the instant t.
#include <algorithm>
#include <optional>

#include "flexrecon/timeline.h"

namespace flexrecon {

namespace {

// `window` clipped to `span`; an empty window is widened to the instant it names.
std::optional<Span> clip(Span window, Span span) {
  if (window.end <= window.begin) {
    if (!span.contains(window.begin)) return std::nullopt;
    return Span{window.begin, window.begin + 1};
  }
  const Span c{std::max(window.begin, span.begin), std::min(window.end, span.end)};
  if (c.end <= c.begin) return std::nullopt;
  return c;
}

}  // namespace

bool covered_by(const std::vector<IdleSpan>& idle, Span window) {
  Instant cursor = window.begin;
  for (const IdleSpan& i : idle) {
    if (cursor >= window.end) break;
    if (i.span.end <= cursor) continue;
    if (i.span.begin > cursor) return false;
    cursor = i.span.end;
  }
  return cursor >= window.end;
}

bool Session::active_during(Span window) const {
  const auto part = clip(window, span);
  return part && !covered_by(idle, *part);
}

bool Session::idle_throughout(Span window) const {
  const auto part = clip(window, span);
  return part && covered_by(idle, *part);
}

namespace {

template <typename T>
std::vector<Span> spans_of(const std::vector<T>& items) {
  std::vector<Span> spans;
  spans.reserve(items.size());
  for (const T& item : items) spans.push_back(item.span);
  return spans;
}

bool by_start_then_id(const Session* a, const Session* b) {
  return a->span.begin != b->span.begin ? a->span.begin < b->span.begin : a->id < b->id;
}

// An empty window names its instant: SpanIndex is asked about [t, t + 1 µs).
Span as_query(Span window) { return window.end <= window.begin ? Span{window.begin, window.begin + 1} : window; }

}  // namespace

TimelineIndex::TimelineIndex(const HostTimeline& timeline)
    : timeline_(&timeline), sessions_(spans_of(timeline.sessions)), gaps_(spans_of(timeline.uncovered)) {
  for (const Session& s : timeline.sessions) by_start_.push_back(&s);
  by_end_ = by_start_;
  std::sort(by_start_.begin(), by_start_.end(), by_start_then_id);
  std::sort(by_end_.begin(), by_end_.end(), [](const Session* a, const Session* b) {
    return a->span.end != b->span.end ? a->span.end < b->span.end : a->id < b->id;
  });
}

std::vector<const Session*> TimelineIndex::sessions_overlapping(Span window) const {
  std::vector<const Session*> out;
  for (std::size_t i : sessions_.overlapping(window)) {
    const Session& s = timeline_->sessions[i];
    if (s.span.overlaps(window)) out.push_back(&s);
  }
  std::sort(out.begin(), out.end(), by_start_then_id);
  return out;
}

const Session* TimelineIndex::last_ended_by(Instant t) const {
  auto it = std::partition_point(by_end_.begin(), by_end_.end(), [&](const Session* s) { return s->span.end <= t; });
  return it == by_end_.begin() ? nullptr : *(it - 1);
}

const Session* TimelineIndex::first_started_from(Instant t) const {
  auto it = std::partition_point(by_start_.begin(), by_start_.end(), [&](const Session* s) { return s->span.begin < t; });
  return it == by_start_.end() ? nullptr : *it;
}

std::vector<const CoverageGap*> TimelineIndex::gaps_overlapping(Span window) const {
  std::vector<const CoverageGap*> out;
  for (std::size_t i : gaps_.overlapping(as_query(window))) {
    const CoverageGap& g = timeline_->uncovered[i];
    // A zero-length gap holds no instant (SpanIndex counts it as one; the rules never did).
    const bool hit = window.end <= window.begin ? g.span.contains(window.begin) : g.span.overlaps(window);
    if (hit) out.push_back(&g);
  }
  return out;
}

const PowerSpan* HostTimeline::off_throughout(Span window) const {
  for (const PowerSpan& p : power_off) {
    if (p.span.begin <= window.begin && window.end <= p.span.end && p.span.end > p.span.begin) return &p;
  }
  return nullptr;
}

const HostTimeline* Timelines::find(const std::string& host) const {
  const auto it = hosts.find(normalize_host(host));
  return it == hosts.end() ? nullptr : &it->second;
}

}  // namespace flexrecon
