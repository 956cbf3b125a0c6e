#include "flexrecon/span_index.h"

#include <algorithm>
#include <numeric>

namespace flexrecon {

SpanIndex::SpanIndex(std::vector<Span> spans) : spans_(std::move(spans)), order_(spans_.size()) {
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::size_t a, std::size_t b) { return spans_[a].begin < spans_[b].begin; });
  prefix_max_end_.reserve(order_.size());
  Instant latest = kMinInstant;
  for (std::size_t i : order_) {
    latest = std::max(latest, spans_[i].end);
    prefix_max_end_.push_back(latest);
  }
}

std::vector<std::size_t> SpanIndex::overlapping(Span window) const {
  auto hits = [&](const Span& s) {
    return s.begin == s.end ? (window.begin <= s.begin && s.begin < window.end) : s.overlaps(window);
  };
  // Candidates begin before the window ends; walking back from there, once no earlier span reaches
  // past the window's start (prefix maximum of ends), none can overlap.
  const auto hi = std::lower_bound(order_.begin(), order_.end(), window.end,
                                   [&](std::size_t i, Instant t) { return spans_[i].begin < t; }) - order_.begin();
  std::vector<std::size_t> found;
  for (auto k = hi; k > 0; --k) {
    const auto pos = static_cast<std::size_t>(k - 1);
    if (prefix_max_end_[pos] < window.begin) break;
    if (hits(spans_[order_[pos]])) found.push_back(order_[pos]);
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace flexrecon
