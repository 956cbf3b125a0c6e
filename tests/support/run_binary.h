// Runs the flexrecon binary the way a user does, and reads what it wrote.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "util/csv_reader.h"

namespace flexrecon::test {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline RunResult run_flexrecon(const std::vector<std::string>& args) {
  static int counter = 0;
  const auto log = std::filesystem::temp_directory_path() /
                   ("flexrecon-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log");
  std::string cmd = shell_quote(FLEXRECON_BINARY);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " > " + shell_quote(log.string()) + " 2>&1 < /dev/null";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  std::filesystem::remove(log);
  return r;
}

// `flexrecon ingest --store STORE --events EVENTS... EXTRA... --quiet`, as a user runs it.
inline RunResult run_ingest(const std::string& store, const std::vector<std::string>& events,
                            const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"ingest", "--store", store, "--events"};
  args.insert(args.end(), events.begin(), events.end());
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--quiet");
  return run_flexrecon(args);
}

// A CSV file as header-keyed rows.
inline std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  CsvReader reader(in);
  CsvRecord rec;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  while (reader.next(rec)) {
    if (header.empty()) {
      header = rec.fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < rec.fields.size(); ++i) row[header[i]] = rec.fields[i];
    rows.push_back(row);
  }
  return rows;
}

inline std::set<std::string> split_rules(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ';'))
    if (!item.empty()) out.insert(item);
  return out;
}

// Checks a pack's findings.csv against an expected-findings.csv (metering_record_id, status, rule,
// confidence — empty: any —, tokens_challenged, other_rules): the same findings, no more, no fewer.
inline void check_findings_match(const std::filesystem::path& findings_csv, const std::filesystem::path& expected_csv) {
  const auto findings = read_csv(findings_csv);
  const auto expected = read_csv(expected_csv);
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> got;
  for (const auto& f : findings) {
    const auto key = std::make_pair(f.at("metering_record_id"), f.at("status") + "/" + f.at("rule"));
    INFO("unexpected duplicate finding " << key.first << " " << key.second);
    CHECK(got.count(key) == 0);
    got[key] = f;
  }
  std::set<std::pair<std::string, std::string>> expected_keys;
  for (const auto& e : expected) {
    const auto key = std::make_pair(e.at("metering_record_id"), e.at("status") + "/" + e.at("rule"));
    expected_keys.insert(key);
    INFO("expected " << key.first << " " << key.second);
    REQUIRE(got.count(key) == 1);
    const auto& f = got[key];
    CHECK(f.at("tokens_challenged") == e.at("tokens_challenged"));
    if (!e.at("confidence").empty()) CHECK(f.at("confidence") == e.at("confidence"));
    CHECK(split_rules(f.at("other_rules")) == split_rules(e.at("other_rules")));
    CHECK_FALSE(f.at("evidence").empty());
    CHECK_FALSE(f.at("reason").empty());
  }
  for (const auto& [key, f] : got) {
    INFO("finding not expected: " << key.first << " " << key.second << " " << f.at("reason"));
    CHECK(expected_keys.count(key) == 1);
  }
}

// A folder for one test's outputs (packs, stores), removed when the test program ends so runs leave
// nothing in the temporary folder; set FLEXRECON_KEEP_TEST_DIRS to keep them for a look.
inline std::filesystem::path fresh_dir(const std::string& name) {
  struct RemovedAtExit {
    std::vector<std::filesystem::path> dirs;
    ~RemovedAtExit() {
      if (std::getenv("FLEXRECON_KEEP_TEST_DIRS")) return;
      std::error_code ec;
      for (const auto& dir : dirs) std::filesystem::remove_all(dir, ec);
    }
  };
  static RemovedAtExit removed_at_exit;
  const auto dir = std::filesystem::temp_directory_path() / ("flexrecon-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  removed_at_exit.dirs.push_back(dir);
  return dir;
}

}  // namespace flexrecon::test
