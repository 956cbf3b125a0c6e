// tests/data/coverage-case reconciled through the binary: cleared logs, clock jumps, a crash,
// overlapping exports, a log that rolled over mid-session, a terminal server, a host without logs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/run_binary.h"

using namespace flexrecon::test;

TEST_CASE("the coverage case challenges only what the logs prove and names every gap") {
  const std::string dir = std::string(FLEXRECON_SOURCE_DIR) + "/tests/data/coverage-case";
  const auto out = fresh_dir("coverage-case");
  const auto r = run_flexrecon({"reconcile", "--metering", dir + "/metering.csv", "--events", dir + "/events", "--quiet",
                                "--out", out.string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  check_findings_match(out / "findings.csv", dir + "/expected-findings.csv");
  // The two exports of HOST-OVERLAP share a day of records: counted once, and not as tampering.
  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  CHECK(summary["events"]["duplicates"].get<int>() > 0);
  CHECK(summary["events"]["conflicts"] == 0);
  std::filesystem::remove_all(out);
}
