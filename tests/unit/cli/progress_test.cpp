// The progress display: what a user sees on a terminal (fake clock, fake terminal), and that a pipe,
// a file or --quiet never sees it (the binary run on a pipe and on a pseudo-terminal).
#include <catch2/catch.hpp>

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "cli/progress.h"
#include "flexrecon/pack.h"
#include "support/run_binary.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

struct FakeClock {
  double now = 0;
  ProgressClock clock() {
    return [this] { return now; };
  }
};

// What a terminal shows for `written`: carriage return back to the start of the line, ESC[K erases
// to its end, newline ends it. `lines` are the finished lines, `current` the one the cursor is on.
struct Screen {
  std::vector<std::string> lines;
  std::string current;
};

Screen screen_of(const std::string& written) {
  Screen s;
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < written.size(); ++i) {
    const char c = written[i];
    if (c == '\r') {
      cursor = 0;
    } else if (c == '\n') {
      s.lines.push_back(s.current);
      s.current.clear();
      cursor = 0;
    } else if (written.compare(i, 3, "\x1b[K") == 0) {
      s.current.resize(cursor);
      i += 2;
    } else {
      if (cursor < s.current.size()) s.current[cursor] = c;
      else s.current += c;
      ++cursor;
    }
  }
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t redraws(const std::string& written) { return static_cast<std::size_t>(std::count(written.begin(), written.end(), '\r')); }

// Runs flexrecon with stdin, stdout and stderr on a pseudo-terminal, as at a console, and returns
// what the terminal received. A run that does not finish in two minutes is killed and fails.
RunResult run_on_terminal(const std::vector<std::string>& args) {
  std::string binary = FLEXRECON_BINARY;
  std::vector<std::string> owned = args;
  std::vector<char*> argv{binary.data()};
  for (auto& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  winsize size{};
  size.ws_col = 250;
  size.ws_row = 40;
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, &size);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  RunResult r;
  bool timed_out = false;
  char buf[4096];
  while (true) {
    pollfd p{terminal, POLLIN, 0};
    const int ready = ::poll(&p, 1, 120000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    const ssize_t n = ::read(terminal, buf, sizeof buf);
    if (n > 0) r.out.append(buf, static_cast<std::size_t>(n));
    else if (n < 0 && errno == EINTR) continue;
    else break;  // EIO: the child closed the terminal
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(terminal);
  CHECK_FALSE(timed_out);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> reconcile_sample(const std::string& out) {
  return {"reconcile", "--metering", kSamples + "/metering.csv", "--events", kSamples + "/events", "--inventory",
          kSamples + "/inventory.csv", "--identities", kSamples + "/identities.csv", "--as-of", "2026-11-30", "--out", out};
}

}  // namespace

TEST_CASE("sizes are in decimal units with at most three significant figures") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(999) == "999 B");
  CHECK(format_bytes(1000) == "1.0 kB");
  CHECK(format_bytes(1234567) == "1.2 MB");
  CHECK(format_bytes(54.5e6) == "54.5 MB");
  CHECK(format_bytes(545e6) == "545 MB");
  CHECK(format_bytes(5.3e9) == "5.3 GB");
  CHECK(format_bytes(99.96e6) == "100 MB");
  CHECK(format_bytes(999.6e6) == "1.0 GB");  // never "1000 MB"
  CHECK(format_bytes(2.5e12) == "2.5 TB");
}

TEST_CASE("durations read as seconds, minutes and seconds, or hours and minutes") {
  CHECK(format_duration(0.44) == "0.4 s");
  CHECK(format_duration(9.2) == "9.2 s");
  CHECK(format_duration(42.3) == "42 s");
  CHECK(format_duration(62) == "1 min 02 s");
  CHECK(format_duration(3599.4) == "59 min 59 s");
  CHECK(format_duration(7500) == "2 h 05 min");
  CHECK(format_duration(-3) == "0.0 s");
}

TEST_CASE("counts carry thousands separators") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(4660000) == "4,660,000");
}

TEST_CASE("reading event logs shows files and bytes done of the total, the rate and the time left") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  CHECK(screen_of(terminal.str()).current == "flexrecon: reading event logs");  // the inputs are still being walked
  progress.plan(4000, 4'000'000'000);
  clock.now = 10;
  progress.advance(1000, 1'000'000'000);
  CHECK(screen_of(terminal.str()).current ==
        "flexrecon: reading event logs: 1,000/4,000 files, 1.0/4.0 GB, 100 MB/s, 30 s left");
  clock.now = 40;
  progress.advance(3000, 3'000'000'000);
  progress.end();
  const Screen s = screen_of(terminal.str());
  CHECK(s.lines == std::vector<std::string>{"flexrecon: read event logs: 4,000 files, 4.0 GB in 40 s (100 MB/s)"});
  CHECK(s.current.empty());
}

TEST_CASE("the time left follows the bytes, not the files, when files differ in size") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  progress.plan(2, 1'000'000'000);
  clock.now = 2;
  progress.advance(1, 100'000'000);  // the small file first: half the files, a tenth of the bytes
  CHECK(has(screen_of(terminal.str()).current, "1/2 files, 100 MB/1.0 GB, 50.0 MB/s, 18 s left"));
}

TEST_CASE("the rate and the time left wait until the stage has run a second") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  progress.plan(10, 1'000'000);
  clock.now = 0.5;
  progress.advance(1, 100'000);
  CHECK(screen_of(terminal.str()).current == "flexrecon: reading event logs: 1/10 files, 100 kB/1.0 MB");
}

TEST_CASE("hosts count to their total, with the time left from the hosts done") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("rebuilding sessions and log coverage", "rebuilt sessions and log coverage", "hosts");
  progress.plan(2000);
  clock.now = 4;
  progress.advance(1000);
  CHECK(screen_of(terminal.str()).current == "flexrecon: rebuilding sessions and log coverage: 1,000/2,000 hosts, 4 s left");
  clock.now = 8.5;
  progress.advance(1000);
  progress.end();
  CHECK(screen_of(terminal.str()).lines ==
        std::vector<std::string>{"flexrecon: rebuilt sessions and log coverage: 2,000 hosts in 8.5 s"});
}

TEST_CASE("a stage that counts nothing shows how long it has run, and its final line the time it took") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("applying the challenge rules to 12 metering rows", "applied the challenge rules to 12 metering rows");
  clock.now = 2.5;
  progress.advance(0);
  CHECK(screen_of(terminal.str()).current == "flexrecon: applying the challenge rules to 12 metering rows: 2.5 s");
  clock.now = 3;
  progress.end();
  CHECK(screen_of(terminal.str()).lines ==
        std::vector<std::string>{"flexrecon: applied the challenge rules to 12 metering rows in 3.0 s"});
}

TEST_CASE("each stage ends on its own line, one line per stage") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  progress.plan(1, 10);
  clock.now = 1;
  progress.advance(1, 10);
  progress.begin("writing the evidence pack", "wrote the evidence pack", "files");  // ends the stage before
  progress.plan(7);
  clock.now = 1.5;
  progress.advance(7);
  progress.end();
  CHECK(screen_of(terminal.str()).lines == std::vector<std::string>{"flexrecon: read event logs: 1 file, 10 B in 1.0 s (10 B/s)",
                                                                     "flexrecon: wrote the evidence pack: 7 files in 0.5 s"});
}

TEST_CASE("redraws are throttled to five a second however often progress is reported") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  progress.plan(100000, 0);
  const std::size_t before = redraws(terminal.str());
  for (int i = 1; i <= 1000; ++i) {  // a file every millisecond for a second
    clock.now = i / 1000.0;
    progress.advance(1);
  }
  const std::size_t drawn = redraws(terminal.str()) - before;
  CHECK(drawn >= 4);
  CHECK(drawn <= 5);
  CHECK(has(screen_of(terminal.str()).current, "/100,000 files"));
}

TEST_CASE("a line too wide for the terminal drops the prefix, the rate, then the count, and keeps the time left") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 80, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  progress.plan(40000, 40'000'000'000);
  clock.now = 10;
  progress.advance(10000, 10'000'000'000);
  CHECK(screen_of(terminal.str()).current == "reading event logs: 10,000/40,000 files, 10.0/40.0 GB, 1.0 GB/s, 30 s left");
  ProgressReporter narrow(terminal, true, 60, clock.clock());
  terminal.str("");
  narrow.begin("reading event logs", "read event logs", "files");
  narrow.plan(4000, 4'000'000'000);
  clock.now = 20;
  narrow.advance(1000, 1'000'000'000);
  CHECK(screen_of(terminal.str()).current == "reading event logs: 1.0/4.0 GB, 30 s left");
}

TEST_CASE("a progress line is cut to the terminal's width so it never wraps") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 30, clock.clock());
  progress.begin("rebuilding sessions and log coverage", "rebuilt sessions and log coverage", "hosts");
  progress.plan(2000);
  const std::string shown = screen_of(terminal.str()).current;
  CHECK(shown == std::string("rebuilding sessions and log coverage").substr(0, 29));
}

TEST_CASE("reports from several reading threads add up") {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressReporter progress(terminal, true, 120, clock.clock());
  progress.begin("reading event logs", "read event logs", "files");
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) progress.advance(0, 1000);
    });
  for (auto& r : readers) r.join();
  progress.advance(4);
  progress.end();
  CHECK(has(screen_of(terminal.str()).lines.at(0), "read event logs: 4 files, 4.0 MB in "));
}

TEST_CASE("a disabled reporter writes nothing at all") {
  std::ostringstream terminal;
  FakeClock clock;
  {
    ProgressReporter progress(terminal, false, 120, clock.clock());
    progress.begin("reading event logs", "read event logs", "files");
    progress.plan(3, 300);
    clock.now = 5;
    progress.advance(3, 300);
    progress.end();
    progress.begin("writing the evidence pack", "wrote the evidence pack", "files");
  }
  CHECK(terminal.str().empty());
}

TEST_CASE("a stage stopped by an error leaves a clean line for the error message") {
  std::ostringstream terminal;
  FakeClock clock;
  {
    ProgressReporter progress(terminal, true, 120, clock.clock());
    progress.begin("reading event logs", "read event logs", "files");
    progress.plan(3, 300);
  }
  const Screen s = screen_of(terminal.str());
  CHECK(s.lines.empty());
  CHECK(s.current.empty());
}

TEST_CASE("in a pipe reconcile prints no progress, only its outcome") {
  const auto out = fresh_dir("progress-pipe");
  const auto r = run_flexrecon(reconcile_sample(out.string()));  // stdout and stderr to a file, no --quiet
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "evidence pack written"));
  CHECK_FALSE(has(r.out, "reading event logs"));
  CHECK_FALSE(has(r.out, "\r"));
  CHECK_FALSE(has(r.out, "\x1b["));
  std::filesystem::remove_all(out);
}

TEST_CASE("on a terminal reconcile shows every stage on stderr, each ending on a line with its totals") {
  const auto out = fresh_dir("progress-tty");
  const auto r = run_on_terminal(reconcile_sample(out.string()));
  CHECK(r.exit_code == 0);
  const Screen s = screen_of(r.out);
  INFO(r.out);
  REQUIRE(s.lines.size() >= 7);
  CHECK(s.lines[0].starts_with("flexrecon: read rules, metering and inventory: 3 files, "));
  CHECK(s.lines[1].starts_with("flexrecon: read event logs: 9 files, "));
  CHECK(has(s.lines[1], "B/s)"));  // the rate it read at
  CHECK(s.lines[2].starts_with("flexrecon: rebuilt sessions and log coverage: "));
  CHECK(has(s.lines[2], " hosts in "));
  CHECK(s.lines[3].starts_with("flexrecon: applied the challenge rules to "));
  CHECK(s.lines[4] == "flexrecon: wrote the evidence pack: " + std::to_string(pack_file_names().size()) + " files in " +
                          s.lines[4].substr(s.lines[4].rfind(" in ") + 4));
  CHECK(s.lines[5] == "flexrecon: evidence pack written to " + out.string());
  CHECK(has(r.out, "\rflexrecon: reading event logs"));  // drawn in place while it ran
  std::filesystem::remove_all(out);
}

TEST_CASE("on a terminal --quiet shows no progress, only the outcome") {
  const auto out = fresh_dir("progress-tty-quiet");
  auto args = reconcile_sample(out.string());
  args.push_back("--quiet");
  const auto r = run_on_terminal(args);
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "evidence pack written"));
  CHECK_FALSE(has(r.out, "reading event logs"));
  CHECK_FALSE(has(r.out, "\x1b["));
  std::filesystem::remove_all(out);
}

TEST_CASE("on a terminal an error still reaches the user, on a clean line, with or without --quiet") {
  const auto out = fresh_dir("progress-tty-error");
  for (const bool quiet : {false, true}) {
    std::vector<std::string> args = {"reconcile", "--metering", "/nonexistent/metering.csv", "--events", kSamples + "/events",
                                     "--out", out.string()};
    if (quiet) args.push_back("--quiet");
    const auto r = run_on_terminal(args);
    CHECK(r.exit_code == 3);
    const Screen s = screen_of(r.out);
    INFO(r.out);
    REQUIRE_FALSE(s.lines.empty());
    CHECK(s.lines[0].starts_with("flexrecon: error: "));
    CHECK(has(s.lines[0], "/nonexistent/metering.csv"));
    CHECK(has(r.out, "reading rules, metering and inventory") == !quiet);
    CHECK_FALSE(std::filesystem::exists(out));
  }
}

TEST_CASE("inspect shows its progress on a terminal and none in a pipe") {
  const auto tty = run_on_terminal({"inspect", kSamples + "/events"});
  CHECK(tty.exit_code == 0);
  CHECK(has(tty.out, "flexrecon: read event logs: 9 files, "));
  CHECK(has(tty.out, "flexrecon: rebuilt sessions and log coverage: "));
  const auto quiet = run_on_terminal({"inspect", "--quiet", kSamples + "/events"});
  CHECK(quiet.exit_code == 0);
  CHECK_FALSE(has(quiet.out, "read event logs"));
  const auto pipe = run_flexrecon({"inspect", kSamples + "/events"});
  CHECK(pipe.exit_code == 0);
  CHECK_FALSE(has(pipe.out, "read event logs"));
  CHECK_FALSE(has(pipe.out, "\r"));
  // The report itself is the same whatever the display: progress never goes to stdout.
  CHECK(has(pipe.out, "events read "));
}

TEST_CASE("--help says when progress is shown, what it counts, and how archives are counted") {
  const auto r = run_flexrecon({"reconcile", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "--quiet"));
  CHECK(has(r.out, "when stderr is a terminal and --quiet is not given"));
  CHECK(has(r.out, "an\narchive counting its compressed size"));
  CHECK(has(r.out, "Never in a pipe or a file."));
  const auto inspect = run_flexrecon({"inspect", "--help"});
  CHECK(has(inspect.out, "[--quiet]"));
}
