#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

namespace flexrecon {
namespace {

// The carriage return redraws the line from its start; "erase to end of line" wipes what a longer
// earlier draw left behind. Both are only ever written to a terminal.
constexpr const char* kRedraw = "\r";
constexpr const char* kEraseToEnd = "\x1b[K";

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// The non-empty parts, comma-separated.
std::string join_parts(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// "107/201 MB" when both figures share a unit, else "950 MB/1.2 GB"; "12 MB" without a total.
std::string bytes_of(std::uint64_t done, std::uint64_t total) {
  const std::string d = format_bytes(static_cast<double>(done));
  if (!total) return d;
  const std::string t = format_bytes(static_cast<double>(total));
  const std::string d_unit = d.substr(d.find(' ')), t_unit = t.substr(t.find(' '));
  return (d_unit == t_unit ? d.substr(0, d.find(' ')) : d) + "/" + t;
}

// "1 file", "3 files", "1/4 files": the noun is given in the plural and agrees with the last figure.
std::string counted(const std::string& figures, std::uint64_t last, const std::string& plural) {
  const bool one = last == 1 && plural.size() > 1 && plural.back() == 's';
  return figures + " " + (one ? plural.substr(0, plural.size() - 1) : plural);
}

}  // namespace

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string format_bytes(double bytes) {
  if (!(bytes >= 0)) bytes = 0;
  if (bytes < 999.5) return fixed(std::round(bytes), 0) + " B";
  static const char* const kUnits[] = {"kB", "MB", "GB", "TB", "PB"};
  std::size_t unit = 0;
  double v = bytes / 1000;
  // Move up while the rounded figure would read 1000 or more ("1000 kB" reads as "1.0 MB").
  while (v >= 999.5 && unit + 1 < std::size(kUnits)) v /= 1000, ++unit;
  // Three significant figures at most: "5.3 GB", "54.5 MB", "545 MB".
  return (v < 99.95 ? fixed(v, 1) : fixed(v, 0)) + " " + kUnits[unit];
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  if (seconds < 9.95) return fixed(seconds, 1) + " s";
  const auto whole = static_cast<std::uint64_t>(std::llround(seconds));
  if (whole < 60) return std::to_string(whole) + " s";
  auto two = [](std::uint64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (whole < 3600) return std::to_string(whole / 60) + " min " + two(whole % 60) + " s";
  const std::uint64_t minutes = (whole + 30) / 60;  // to the nearest minute
  return std::to_string(minutes / 60) + " h " + two(minutes % 60) + " min";
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::size_t stderr_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

ProgressReporter::ProgressReporter(std::ostream& terminal, bool enabled, std::size_t width, ProgressClock clock)
    : terminal_(terminal), enabled_(enabled), width_(width < 2 ? 2 : width), clock_(std::move(clock)) {}

ProgressReporter::~ProgressReporter() {
  if (!enabled_ || !line_drawn_) return;
  // Stopped mid-stage (an error is on its way up): leave a clean line for the message.
  try {
    terminal_ << std::string(kRedraw) + kEraseToEnd << std::flush;
  } catch (...) {
    // Nothing more can be done about a terminal that cannot be written.
  }
}

void ProgressReporter::begin(const std::string& doing, const std::string& done, const std::string& noun) {
  if (!enabled_) return;
  if (open_) end();
  std::lock_guard<std::mutex> lock(mutex_);
  open_ = true;
  doing_ = doing;
  done_ = done;
  noun_ = noun;
  items_total_ = bytes_total_ = items_done_ = bytes_done_ = 0;
  started_ = last_draw_ = clock_();
  draw(running_line(started_));
}

void ProgressReporter::plan(std::uint64_t items, std::uint64_t bytes) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  items_total_ = items;
  bytes_total_ = bytes;
  last_draw_ = clock_();
  draw(running_line(last_draw_));
}

void ProgressReporter::advance(std::uint64_t items, std::uint64_t bytes) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  items_done_ += items;
  bytes_done_ += bytes;
  const double now = clock_();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw(running_line(now));
}

void ProgressReporter::end() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  open_ = false;
  // Not cut to the width: the final line ends with a newline, so wrapping does no harm.
  terminal_ << kRedraw + final_line(clock_()) + kEraseToEnd + "\n" << std::flush;
  line_drawn_ = false;
}

void ProgressReporter::draw(const std::string& line) {
  terminal_ << kRedraw + line.substr(0, width_ - 1) + kEraseToEnd << std::flush;
  line_drawn_ = true;
}

// "flexrecon: reading event logs: 1,234/5,000 files, 1.2/5.3 GB, 85.3 MB/s, 48 s left". When that is
// wider than the terminal the "flexrecon: " goes first, then the rate, the count and the bytes: the
// time left stays.
std::string ProgressReporter::running_line(double now) const {
  const double elapsed = now - started_;
  const bool settled = elapsed >= kSettleTime;
  std::string prefix = "flexrecon: ", count, bytes, rate, left;
  // Nothing counted yet and no plan (the event inputs are still being walked): the title alone.
  if (!noun_.empty() && (items_total_ || items_done_))
    count = counted(format_count(items_done_) + (items_total_ ? "/" + format_count(items_total_) : ""),
                    items_total_ ? items_total_ : items_done_, noun_);
  if (bytes_total_ || bytes_done_) bytes = bytes_of(bytes_done_, bytes_total_);
  if (settled && bytes_done_) rate = format_bytes(static_cast<double>(bytes_done_) / elapsed) + "/s";
  // Time left from the average rate so far: bytes when they are counted (files differ in size),
  // else the items.
  double seconds_left = -1;
  if (settled && bytes_total_ && bytes_done_) {
    if (bytes_done_ < bytes_total_)
      seconds_left = elapsed * static_cast<double>(bytes_total_ - bytes_done_) / static_cast<double>(bytes_done_);
  } else if (settled && items_total_ && items_done_ && items_done_ < items_total_) {
    seconds_left = elapsed * static_cast<double>(items_total_ - items_done_) / static_cast<double>(items_done_);
  }
  // Whole seconds near the end: tenths of an estimate only flicker.
  if (seconds_left >= 0)
    left = (seconds_left < 9.5 ? std::to_string(static_cast<int>(std::ceil(seconds_left))) + " s" : format_duration(seconds_left)) + " left";
  else if (settled) left = format_duration(elapsed);

  const auto line = [&] {
    const std::string figures = join_parts({count, bytes, rate, left});
    return prefix + doing_ + (figures.empty() ? "" : ": " + figures);
  };
  for (std::string* dropped : {&prefix, &rate, &count, &bytes}) {
    if (line().size() < width_) break;
    dropped->clear();
  }
  return line();
}

// "flexrecon: read event logs: 5,000 files, 5.3 GB in 1 min 02 s (85.3 MB/s)"
std::string ProgressReporter::final_line(double now) const {
  const double elapsed = now - started_;
  std::vector<std::string> parts;
  if (!noun_.empty()) parts.push_back(counted(format_count(items_done_), items_done_, noun_));
  if (bytes_done_) parts.push_back(format_bytes(static_cast<double>(bytes_done_)));
  std::string line = "flexrecon: " + done_ + (parts.empty() ? "" : ": " + join_parts(parts)) + " in " + format_duration(elapsed);
  if (bytes_done_ && elapsed > 0) line += " (" + format_bytes(static_cast<double>(bytes_done_) / elapsed) + "/s)";
  return line;
}

}  // namespace flexrecon
