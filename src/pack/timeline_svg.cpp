#include "pack/timeline_svg.h"

#include <algorithm>
#include <cstdio>

#include "util/strings.h"

namespace flexrecon {

namespace {

constexpr int kWidth = 960;
constexpr int kLabelWidth = 200;
constexpr int kLaneHeight = 24;
constexpr int kAxisHeight = 34;
constexpr int kPlotWidth = kWidth - kLabelWidth - 24;  // room for the last time label

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Tick spacing: the smallest step that keeps about eight labels across the plot.
Instant tick_step(Instant length) {
  static const Instant steps[] = {kMinute,    5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
                                  kHour,      2 * kHour,   3 * kHour,    6 * kHour,    12 * kHour,
                                  kDay,       2 * kDay,    7 * kDay,     30 * kDay};
  for (Instant s : steps)
    if (length / s <= 8) return s;
  return length / 8 + 1;
}

std::string hhmm(Instant t) { return format_utc(t).substr(11, 5); }

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not allowed in XML 1.0 text; they carry nothing a reader needs.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string timeline_svg(const TimelinePicture& p) {
  const Span range = p.range.end > p.range.begin ? p.range : Span{p.range.begin, p.range.begin + kHour};
  const double length = static_cast<double>(range.end - range.begin);
  auto x_of = [&](Instant t) {
    const Instant c = std::clamp(t, range.begin, range.end);
    return kLabelWidth + kPlotWidth * (static_cast<double>(c - range.begin) / length);
  };
  const int height = kAxisHeight + kLaneHeight * static_cast<int>(p.lanes.size()) + 8;

  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
       std::to_string(height) + "\" width=\"100%\" role=\"img\">\n";
  s += "<title>" + xml_escape(p.caption) + "</title>\n";

  // Axis: a tick line and an HH:MM label per step; the date wherever the day changes.
  const Instant step = tick_step(range.end - range.begin);
  Instant first = range.begin - ((range.begin % step) + step) % step;
  if (first < range.begin) first += step;
  std::string last_date;
  for (Instant t = first; t <= range.end; t += step) {
    const std::string x = num(x_of(t));
    s += "<line class=\"tick\" x1=\"" + x + "\" y1=\"" + std::to_string(kAxisHeight - 4) + "\" x2=\"" + x +
         "\" y2=\"" + std::to_string(height - 4) + "\"/>\n";
    const std::string date = format_date(t);
    std::string label = hhmm(t);
    if (date != last_date) {
      s += "<text class=\"date\" x=\"" + x + "\" y=\"11\">" + date + "</text>\n";
      last_date = date;
    }
    s += "<text class=\"time\" x=\"" + x + "\" y=\"" + std::to_string(kAxisHeight - 8) + "\">" + label + "</text>\n";
  }
  s += "<text class=\"utc\" x=\"4\" y=\"" + std::to_string(kAxisHeight - 8) + "\">UTC</text>\n";

  for (std::size_t i = 0; i < p.lanes.size(); ++i) {
    const TimelineLane& lane = p.lanes[i];
    const int y = kAxisHeight + kLaneHeight * static_cast<int>(i);
    s += "<g class=\"lane\">\n";
    s += "<rect class=\"lane-bg\" x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 2) +
         "\" width=\"" + std::to_string(kPlotWidth) + "\" height=\"" + std::to_string(kLaneHeight - 4) + "\"/>\n";
    std::string label = lane.label;
    if (label.size() > 30) {
      // Keep the column readable; cut on a UTF-8 character boundary so the text stays valid.
      label = truncate_utf8(label, 29) + "\xE2\x80\xA6";
    }
    s += "<text class=\"label\" x=\"4\" y=\"" + std::to_string(y + kLaneHeight / 2 + 4) + "\">" +
         xml_escape(label) + "</text>\n";
    for (const TimelineBar& bar : lane.bars) {
      if (!bar.span.overlaps(range) && !(bar.span.begin == bar.span.end && range.contains(bar.span.begin))) continue;
      const double x1 = x_of(bar.span.begin);
      const double w = std::max(2.0, x_of(bar.span.end) - x1);  // a zero-length bar stays visible
      s += "<rect class=\"" + xml_escape(bar.css_class) + "\" x=\"" + num(x1) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + num(w) + "\" height=\"" + std::to_string(kLaneHeight - 8) + "\"><title>" +
           xml_escape(bar.title) + "</title></rect>\n";
    }
    s += "</g>\n";
  }
  for (Instant m : p.markers) {
    if (!range.contains(m)) continue;
    const std::string x = num(x_of(m));
    s += "<line class=\"marker\" x1=\"" + x + "\" y1=\"" + std::to_string(kAxisHeight - 4) + "\" x2=\"" + x +
         "\" y2=\"" + std::to_string(height - 4) + "\"/>\n";
  }
  s += "</svg>\n";
  return s;
}

}  // namespace flexrecon
