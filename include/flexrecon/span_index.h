// Which of many spans overlap a window, without scanning them all: a host's Security log exported
// with a filter has a coverage gap between almost every pair of records, and a terminal server
// has thousands of sessions, while each exhibit or charge needs only the few around it.
#pragma once

#include <cstddef>
#include <vector>

#include "flexrecon/time.h"

namespace flexrecon {

class SpanIndex {
 public:
  explicit SpanIndex(std::vector<Span> spans);
  // Indices (into the vector given) of the spans overlapping `window`, ascending. A zero-length
  // span overlaps when the window contains its instant.
  std::vector<std::size_t> overlapping(Span window) const;

 private:
  std::vector<Span> spans_;
  std::vector<std::size_t> order_;       // by begin
  std::vector<Instant> prefix_max_end_;  // over order_: latest end among the first i+1 spans
};

}  // namespace flexrecon
