// Progress of a long run on a terminal: per stage, one line redrawn in place (carriage return) a few
// times a second with what is done of the total, the rate and the time left, then a final line with
// the totals and the time the stage took. The library stages feed it through optional callbacks and
// never write to a terminal themselves.
//
// It draws only when enabled: the CLI enables it when stderr is a terminal and --quiet is not
// given, so pipes, files and CI logs never see a progress line. Errors are printed by the one catch
// in cli.cpp whatever the mode; the reporter's destructor first clears a half-drawn line so the
// error starts on a clean one.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace flexrecon {

// Seconds on a monotonic clock (tests pass a fake one).
using ProgressClock = std::function<double()>;
double steady_seconds();

// Decimal units, as disks and `ls --si` count: "812 B", "1.2 kB", "54.5 MB", "545 MB", "5.3 GB".
std::string format_bytes(double bytes);
// "0.4 s", "42 s", "3 min 02 s", "2 h 05 min".
std::string format_duration(double seconds);
// "12,345".
std::string format_count(std::uint64_t n);

// True when stderr is a terminal; its width in columns (80 when it cannot be told).
bool stderr_is_terminal();
std::size_t stderr_width();

class ProgressReporter {
 public:
  // Draws on `terminal` only when `enabled`; otherwise every call returns at once. Lines are cut to
  // `width - 1` columns so a redraw never wraps (a wrapped line cannot be redrawn in place).
  ProgressReporter(std::ostream& terminal, bool enabled, std::size_t width = 80, ProgressClock clock = steady_seconds);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  bool enabled() const { return enabled_; }

  // Starts a stage (ending one still open). `doing` is shown while it runs ("reading event logs"),
  // `done` on its final line ("read event logs"); `noun` names what it counts ("files", "hosts"),
  // empty when it counts nothing.
  void begin(const std::string& doing, const std::string& done, const std::string& noun = "");
  // The totals the stage counts to, when known (0 = not known or not counted). May come after
  // begin: the event inputs are walked once the stage has started.
  void plan(std::uint64_t items, std::uint64_t bytes = 0);
  // Adds to what is done. Thread-safe: event files are read by several threads (--jobs).
  void advance(std::uint64_t items, std::uint64_t bytes = 0);
  // Replaces the stage's final line with its totals and elapsed time.
  void end();

  // Minimum time between two redraws of a stage's line: at most 5 a second.
  static constexpr double kRedrawInterval = 0.2;
  // The rate and the time left are shown only after this long: earlier figures are noise.
  static constexpr double kSettleTime = 1.0;

 private:
  std::string running_line(double now) const;
  std::string final_line(double now) const;
  void draw(const std::string& line);

  std::ostream& terminal_;
  const bool enabled_;
  const std::size_t width_;
  const ProgressClock clock_;

  std::mutex mutex_;
  bool open_ = false;       // a stage has begun and not ended
  bool line_drawn_ = false;  // the terminal's cursor is on a progress line (no newline yet)
  std::string doing_, done_, noun_;
  double started_ = 0;
  double last_draw_ = 0;
  std::uint64_t items_total_ = 0, bytes_total_ = 0;
  std::uint64_t items_done_ = 0, bytes_done_ = 0;
};

}  // namespace flexrecon
