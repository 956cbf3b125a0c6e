#include <catch2/catch.hpp>

#include "flexrecon/span_index.h"

using namespace flexrecon;

namespace {

// The answer by brute force, to compare the index against.
std::vector<std::size_t> scan(const std::vector<Span>& spans, Span w) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (s.begin == s.end ? (w.begin <= s.begin && s.begin < w.end) : s.overlaps(w)) out.push_back(i);
  }
  return out;
}

}  // namespace

TEST_CASE("the spans overlapping a window are found even behind a long earlier span", "[model][span_index]") {
  // One long gap from the start of the log, many short ones, nested and touching spans.
  const std::vector<Span> spans = {{100, 110}, {0, 1000}, {200, 205}, {205, 210}, {300, 300}, {150, 400}, {990, 2000}};
  const SpanIndex index(spans);
  for (Instant b = -10; b < 2100; b += 7) {
    for (Instant len : {1, 5, 50, 500}) {
      const Span w{b, b + len};
      INFO(b << " +" << len);
      CHECK(index.overlapping(w) == scan(spans, w));
    }
  }
}

TEST_CASE("a window touching a span's end does not overlap it", "[model][span_index]") {
  const SpanIndex index({{0, 10}, {10, 20}});
  CHECK(index.overlapping({10, 15}) == std::vector<std::size_t>{1});
  CHECK(index.overlapping({20, 30}).empty());
}
