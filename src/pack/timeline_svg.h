// The exhibit picture: one horizontal lane per thing the evidence says about a host around a charge
// (the metering window, each session with its idle spans, power-off, uncovered log spans), on a
// shared UTC time axis. Plain inline SVG so the dossier stays one self-contained file.
#pragma once

#include <string>
#include <vector>

#include "flexrecon/time.h"

namespace flexrecon {

struct TimelineBar {
  Span span;
  std::string css_class;  // "charge", "window", "session", "idle", "off", "gap", "related"
  std::string title;      // tooltip text; escaped on output
};

struct TimelineLane {
  std::string label;  // escaped on output
  std::vector<TimelineBar> bars;
};

struct TimelinePicture {
  Span range;                  // the time shown, left to right
  std::vector<TimelineLane> lanes;
  std::vector<Instant> markers;  // vertical lines (the charge start)
  std::string caption;         // accessible title of the picture
};

std::string timeline_svg(const TimelinePicture& picture);

// Text escaped for XML content and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace flexrecon
