// The questions the rules ask of a timeline. Windows are half-open; an empty window [t, t) asks
// about the instant t.
#include <algorithm>
#include <optional>

#include "flexrecon/timeline.h"
#include "sessions/idle_spans.h"

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

bool Session::active_during(Span window) const {
  const auto part = clip(window, span);
  return part && !sessions::covered_by(idle, *part);
}

bool Session::idle_throughout(Span window) const {
  const auto part = clip(window, span);
  return part && sessions::covered_by(idle, *part);
}

std::vector<const CoverageGap*> HostTimeline::gaps_overlapping(Span window) const {
  std::vector<const CoverageGap*> out;
  for (const CoverageGap& g : uncovered) {
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
