// The command line as SPEC 5 fixes it: exit codes, refusals, and nothing written on failure.
#include <catch2/catch.hpp>

#include "support/run_binary.h"

using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {
const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";
}

TEST_CASE("a missing required option is a usage error naming the option") {
  const auto r = run_flexrecon({"reconcile", "--events", kSamples + "/events", "--out", "/tmp/never"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--metering") != std::string::npos);
}

TEST_CASE("an unknown command suggests the nearest one") {
  const auto r = run_flexrecon({"reconcle"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("did you mean 'reconcile'") != std::string::npos);
}

TEST_CASE("a metering file that does not exist is exit 3 and nothing is written") {
  const auto out = fresh_dir("no-metering");
  const auto r = run_flexrecon({"reconcile", "--metering", "/nonexistent/metering.csv", "--events", kSamples + "/events",
                                "--quiet", "--out", out.string()});
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("/nonexistent/metering.csv") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("a metering file without a header is exit 3") {
  const auto dir = fresh_dir("empty-metering");
  fs::create_directories(dir);
  { std::ofstream(dir / "metering.csv") << ""; }
  const auto r = run_flexrecon({"reconcile", "--metering", (dir / "metering.csv").string(), "--events",
                                kSamples + "/events", "--quiet", "--out", (dir / "pack").string()});
  CHECK(r.exit_code == 3);
  CHECK_FALSE(fs::exists(dir / "pack"));
  fs::remove_all(dir);
}

TEST_CASE("an existing --out is refused unless --force") {
  const auto dir = fresh_dir("existing-out");
  fs::create_directories(dir / "pack");
  { std::ofstream(dir / "pack" / "keep.txt") << "mine"; }
  std::vector<std::string> args = {"reconcile", "--metering", kSamples + "/metering.csv", "--events",
                                   kSamples + "/events", "--quiet", "--out", (dir / "pack").string()};
  auto r = run_flexrecon(args);
  CHECK(r.exit_code == 2);
  CHECK(fs::exists(dir / "pack" / "keep.txt"));
  args.push_back("--force");
  r = run_flexrecon(args);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir / "pack" / "findings.csv"));
  CHECK_FALSE(fs::exists(dir / "pack" / "keep.txt"));
  fs::remove_all(dir);
}

TEST_CASE("an unreadable events input is reported and the run goes on") {
  const auto dir = fresh_dir("bad-events");
  fs::create_directories(dir);
  { std::ofstream(dir / "notes.txt") << "this is not an event log\n"; }
  const auto r = run_flexrecon({"reconcile", "--metering", kSamples + "/metering.csv", "--events",
                                (dir / "notes.txt").string(), "--quiet", "--out", (dir / "pack").string()});
  INFO(r.out);
  CHECK(r.exit_code == 0);
  const auto rejects = read_csv(dir / "pack" / "rejects.csv");
  bool found = false;
  for (const auto& row : rejects)
    found = found || (row.at("source").find("notes.txt") != std::string::npos && row.at("location") == "file");
  CHECK(found);
  fs::remove_all(dir);
}

TEST_CASE("bad option values are usage errors") {
  CHECK(run_flexrecon({"reconcile", "--metering", "m.csv", "--events", "e", "--out", "o", "--billing-model", "weekly"})
            .exit_code == 2);
  // Unknown zones are refused before any input is read (m.csv does not exist), naming the zone.
  for (const char* option : {"--billing-tz", "--metering-tz"}) {
    const auto r = run_flexrecon({"reconcile", "--metering", "m.csv", "--events", "e", "--out", "o", option, "Mars/Base"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains("'Mars/Base'"));
  }
  CHECK(run_flexrecon({"reconcile", "--metering", "m.csv", "--events", "e", "--out", "o", "--min-confidence", "certain"})
            .exit_code == 2);
  CHECK(run_flexrecon({"reconcile", "--metering", "m.csv", "--events", "e", "--out", "o", "--entitlement", "1,5"})
            .exit_code == 2);
}

TEST_CASE("inspect says what each sample input is") {
  const auto r = run_flexrecon({"inspect", kSamples + "/events", kSamples + "/metering.csv"});
  INFO(r.out);
  CHECK(r.exit_code == 0);
  for (const char* form : {"wevtutil-xml", "root-xml", "eventviewer-xml", "powershell-xml"})
    CHECK(r.out.find(form) != std::string::npos);
  CHECK(r.out.find("ws-0104-logs.zip!ws-0104/Security.xml") != std::string::npos);
  CHECK(r.out.find("host ts-01") != std::string::npos);
  CHECK(r.out.find("record-gap") != std::string::npos);
  CHECK(r.out.find("metering CSV") != std::string::npos);
  CHECK(r.out.find("rows 25, accepted 23, rejected 2") != std::string::npos);
}

TEST_CASE("help explains every reconcile option") {
  const auto r = run_flexrecon({"reconcile", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* opt : {"--metering", "--events", "--inventory", "--identities", "--rules", "--rates", "--billing-model",
                          "--billing-tz", "--min-confidence", "--entitlement", "--token-price", "--list-price", "--as-of",
                          "--jobs", "--out", "--force", "--quiet"})
    CHECK(r.out.find(opt) != std::string::npos);
}

TEST_CASE("the rules folder's archive member cap rejects a member that expands past it") {
  const auto dir = fresh_dir("member-cap");
  fs::create_directories(dir / "events");
  fs::copy(std::string(FLEXRECON_SOURCE_DIR) + "/rules", dir / "rules");
  {
    // Replace the shipped cap with 1 MiB.
    std::string ini = read_file(dir / "rules" / "settings.ini");
    ini.replace(ini.find("max_archive_member_mib = 65536"), std::string("max_archive_member_mib = 65536").size(),
                "max_archive_member_mib = 1");
    std::ofstream(dir / "rules" / "settings.ini") << ini;
  }
  // 2 MiB of real events (ws-0101's log, repeated), gzip-compressed about 20:1: under the ratio bound.
  const std::string log = read_file(std::string(FLEXRECON_SOURCE_DIR) + "/samples/events/ws-0101/security.xml");
  {
    std::ofstream big(dir / "big.xml");
    while (static_cast<std::size_t>(big.tellp()) < (2u << 20)) big << log;
  }
  REQUIRE(std::system(("gzip -c " + shell_quote((dir / "big.xml").string()) + " > " +
                       shell_quote((dir / "events" / "big.xml.gz").string()))
                          .c_str()) == 0);
  const auto r = run_flexrecon({"reconcile", "--metering", kSamples + "/metering.csv", "--events",
                                (dir / "events").string(), "--rules", (dir / "rules").string(), "--quiet", "--out",
                                (dir / "pack").string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  bool found = false;
  for (const auto& row : read_csv(dir / "pack" / "rejects.csv"))
    found = found || (row.at("source").find("big.xml.gz") != std::string::npos &&
                      row.at("reason").find("expands beyond 1048576 bytes") != std::string::npos);
  CHECK(found);
  fs::remove_all(dir);
}

TEST_CASE("repeated --metering and --events options add up, and --jobs 2 changes nothing in the findings") {
  const std::string coverage = std::string(FLEXRECON_SOURCE_DIR) + "/tests/data/coverage-case";
  const auto dir = fresh_dir("repeated");
  std::vector<std::string> args = {"reconcile", "--metering", kSamples + "/metering.csv", "--metering",
                                   coverage + "/metering.csv", "--events", kSamples + "/events", "--events",
                                   coverage + "/events", "--quiet", "--out"};
  auto one = args;
  one.push_back((dir / "one").string());
  auto two = args;
  two.push_back((dir / "two").string());
  two.insert(two.end(), {"--jobs", "2"});
  REQUIRE(run_flexrecon(one).exit_code == 0);
  REQUIRE(run_flexrecon(two).exit_code == 0);
  const auto summary = read_file(dir / "one" / "summary.json");
  CHECK(summary.find("\"rows\": 41") != std::string::npos);  // 25 sample rows + 16 coverage-case rows
  CHECK(read_file(dir / "one" / "findings.csv") == read_file(dir / "two" / "findings.csv"));
  CHECK(read_file(dir / "one" / "evidence.sqlite") == read_file(dir / "two" / "evidence.sqlite"));
  fs::remove_all(dir);
}
