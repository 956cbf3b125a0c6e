// The sample case of samples/ reconciled end to end through the binary, against
// samples/expected-findings.csv (the list samples/README.md explains).
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/run_binary.h"

using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

std::vector<std::string> sample_args(const fs::path& out) {
  return {"reconcile",   "--metering",  kSamples + "/metering.csv", "--events",    kSamples + "/events",
          "--inventory", kSamples + "/inventory.csv", "--identities", kSamples + "/identities.csv",
          "--rates",     kSamples + "/contract-rates.csv", "--entitlement", "120", "--token-price", "2.50",
          "--list-price", "3.00", "--as-of", "2026-11-30", "--quiet", "--out", out.string()};
}

// The sample pack, written once for the whole file.
const fs::path& sample_pack() {
  static const fs::path out = [] {
    const auto dir = fresh_dir("sample-pack");
    const auto r = run_flexrecon(sample_args(dir));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return dir;
  }();
  return out;
}

}  // namespace

TEST_CASE("the sample case's findings are exactly the ones samples/README.md explains") {
  check_findings_match(sample_pack() / "findings.csv", kSamples + "/expected-findings.csv");
}

TEST_CASE("the sample pack's findings.csv has exactly the SPEC header") {
  const std::string text = read_file(sample_pack() / "findings.csv");
  CHECK(text.substr(0, text.find('\n')) ==
        "finding_id,status,rule,confidence,metering_record_id,user,host,product,version,charge_start_utc,"
        "tokens_billed,tokens_challenged,other_rules,reason,evidence");
}

TEST_CASE("every sample metering row is either accepted or rejected with its line and reason") {
  const auto summary = nlohmann::json::parse(read_file(sample_pack() / "summary.json"));
  CHECK(summary["metering"]["rows"] == 25);
  CHECK(summary["metering"]["accepted"] == 23);
  CHECK(summary["metering"]["rejected"] == 2);
  const auto rejects = read_csv(sample_pack() / "rejects.csv");
  std::set<std::string> locations;
  for (const auto& r : rejects)
    if (r.at("source").find("metering.csv") != std::string::npos) locations.insert(r.at("location"));
  CHECK(locations == std::set<std::string>{"line 25", "line 26"});
}

TEST_CASE("the sample events are all read: every export form, UTF-16 and archives") {
  const auto summary = nlohmann::json::parse(read_file(sample_pack() / "summary.json"));
  CHECK(summary["events"]["rejected"] == 0);
  CHECK(summary["events"]["read"] == 659);  // the <EventID> elements across the nine files (generate.py)
  CHECK(summary["hosts"] == 6);
}

TEST_CASE("the sample pack verifies against its manifest, and a tampered file does not") {
  const auto copy = fresh_dir("sample-pack-copy");
  fs::copy(sample_pack(), copy, fs::copy_options::recursive);
  CHECK(run_flexrecon({"verify", copy.string()}).exit_code == 0);
  {
    std::ofstream f(copy / "findings.csv", std::ios::app);
    f << "F99999,challenged,background,high,LRT-0,x,y,ACD,2025,2026-11-02T00:00:00Z,7.0,7.0,,forged,\n";
  }
  const auto r = run_flexrecon({"verify", copy.string()});
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("findings.csv") != std::string::npos);
  fs::remove_all(copy);
}

TEST_CASE("the sample dossier is one file with an exhibit and a timeline per challenged charge, and verify guards it") {
  const auto copy = fresh_dir("sample-pack-exhibit");
  fs::copy(sample_pack(), copy, fs::copy_options::recursive);
  CHECK_FALSE(fs::exists(copy / "exhibits"));
  std::string dossier = read_file(copy / "dossier.html");
  std::size_t challenged = 0;
  for (const auto& row : read_csv(copy / "findings.csv")) {
    if (row.at("status") != "challenged") continue;
    ++challenged;
    INFO(row.at("finding_id"));
    CHECK(dossier.find("id=\"exhibit-" + row.at("finding_id") + "\"") != std::string::npos);
    CHECK(dossier.find("href=\"dossier.html#exhibit-" + row.at("finding_id") + "\"") != std::string::npos);
  }
  CHECK(challenged == 11);
  std::size_t pictures = 0;
  for (auto at = dossier.find("<svg "); at != std::string::npos; at = dossier.find("<svg ", at + 1)) ++pictures;
  CHECK(pictures == challenged);

  const auto at = dossier.find("Exhibit 1 ");
  REQUIRE(at != std::string::npos);
  dossier.replace(at, 9, "Exhibit 7");
  std::ofstream(copy / "dossier.html", std::ios::binary) << dossier;
  const auto r = run_flexrecon({"verify", copy.string()});
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("modified file: dossier.html") != std::string::npos);
  fs::remove_all(copy);
}

TEST_CASE("the same inputs and --as-of give a byte-identical pack") {
  // Same command line, --out included (the manifest records it): write, move aside, write again.
  const auto first = fresh_dir("determinism");
  REQUIRE(run_flexrecon(sample_args(first)).exit_code == 0);
  const auto again = fresh_dir("determinism-first");
  fs::rename(first, again);
  REQUIRE(run_flexrecon(sample_args(first)).exit_code == 0);
  // Every file, the dossier's exhibit pages in their folder included.
  auto files_in = [](const fs::path& pack) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(pack))
      if (!e.is_directory()) names.insert(e.path().lexically_relative(pack).generic_string());
    return names;
  };
  const std::set<std::string> names = files_in(first);
  CHECK(names == files_in(again));
  std::set<std::string> top;
  for (const auto& e : fs::directory_iterator(first)) top.insert(e.path().filename().string());
  CHECK(top == std::set<std::string>{"dossier.html", "evidence.sqlite", "findings.csv", "findings.xlsx",
                                     "manifest.json", "rejects.csv", "summary.json"});
  CHECK(names == top);  // the exhibits are in dossier.html
  for (const auto& name : names) {
    INFO(name);
    CHECK(read_file(first / name) == read_file(again / name));
  }
  fs::remove_all(again);
  fs::remove_all(first);
}
