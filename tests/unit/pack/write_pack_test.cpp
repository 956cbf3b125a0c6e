#include <catch2/catch.hpp>

#include <algorithm>

#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kPackFiles = {"dossier.html", "evidence.sqlite", "findings.csv",
                                             "manifest.json", "rejects.csv", "summary.json"};

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

PackOptions options_for(const fs::path& out) {
  PackOptions o;
  o.out = out.string();
  o.templates_dir = templates_dir();
  return o;
}

}  // namespace

TEST_CASE("a written pack holds its six files and verifies against its manifest", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));
  CHECK(names_in(out) == kPackFiles);
  CHECK(verify_pack(out.string()).empty());
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});  // no temporary folder left beside it
  const std::string manifest = read_file(out / "manifest.json");
  CHECK(manifest.find("\"rules_hash\": \"5f1e0c0ffee\"") != std::string::npos);
  CHECK(manifest.find("\"as_of\": \"2025-04-01T00:00:00Z\"") != std::string::npos);
  CHECK(manifest.find("\"--metering\"") != std::string::npos);
  CHECK(manifest.find(std::string(64, 'c')) != std::string::npos);  // an input's hash
}

TEST_CASE("verify detects a tampered, a missing and an extra file", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));

  SECTION("tampered") {
    std::string csv = read_file(out / "findings.csv");
    csv[csv.size() / 2] ^= 1;
    std::ofstream(out / "findings.csv", std::ios::binary) << csv;
    const auto problems = verify_pack(out.string());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("modified file: findings.csv", 0) == 0);
  }
  SECTION("missing") {
    fs::remove(out / "evidence.sqlite");
    CHECK(verify_pack(out.string()) == std::vector<std::string>{"missing file: evidence.sqlite"});
  }
  SECTION("extra") {
    std::ofstream(out / "notes.txt") << "added later\n";
    CHECK(verify_pack(out.string()) == std::vector<std::string>{"unexpected file: notes.txt"});
  }
  SECTION("manifest gone") {
    fs::remove(out / "manifest.json");
    CHECK(verify_pack(out.string()) == std::vector<std::string>{"missing manifest.json"});
  }
}

TEST_CASE("the same result written twice gives byte-identical packs", "[pack][write]") {
  ScratchDir dir;
  write_pack(sample_result(), options_for(dir.path() / "a"));
  write_pack(sample_result(), options_for(dir.path() / "b"));
  for (const std::string& name : kPackFiles) {
    INFO(name);
    CHECK(read_file(dir.path() / "a" / name) == read_file(dir.path() / "b" / name));
  }
}

TEST_CASE("an existing output folder is refused without --force and replaced with it", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  fs::create_directories(out);
  std::ofstream(out / "precious.txt") << "keep me\n";

  try {
    write_pack(sample_result(), options_for(out));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Usage);
    CHECK(std::string(e.what()).find(out.string()) != std::string::npos);
  }
  CHECK(names_in(out) == std::vector<std::string>{"precious.txt"});
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});

  PackOptions forced = options_for(out);
  forced.force = true;
  write_pack(sample_result(), forced);
  CHECK(names_in(out) == kPackFiles);
  CHECK(verify_pack(out.string()).empty());
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});
}

TEST_CASE("a failure while writing leaves neither a pack nor a temporary folder", "[pack][write]") {
  ScratchDir dir;
  PackOptions o = options_for(dir.path() / "pack");
  o.templates_dir = (dir.path() / "no-such-templates").string();
  CHECK_THROWS_AS(write_pack(sample_result(), o), Error);
  CHECK(names_in(dir.path()).empty());
}

TEST_CASE("a failure while replacing leaves the old pack in place", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));
  const std::string before = read_file(out / "manifest.json");
  PackOptions o = options_for(out);
  o.force = true;
  o.templates_dir = (dir.path() / "no-such-templates").string();
  CHECK_THROWS_AS(write_pack(sample_result(), o), Error);
  CHECK(read_file(out / "manifest.json") == before);
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});
}

TEST_CASE("a run with nothing to challenge still writes a complete, verifiable pack", "[pack][write]") {
  ReconcileResult r;  // a metering file with a header and no rows, no events
  r.sources.add({"empty.csv", SourceKind::Metering, "token-flex-csv", std::string(64, 'e'), 120});
  r.metering_files.push_back({0, "token-flex-csv", 0, 0, 0});
  ScratchDir dir;
  const fs::path out = dir.path() / "empty-pack";
  write_pack(r, options_for(out.string() + "/"));  // a trailing slash names the same folder
  CHECK(names_in(out) == kPackFiles);
  CHECK(verify_pack(out.string()).empty());
  CHECK(read_file(out / "findings.csv").find('\n') == read_file(out / "findings.csv").size() - 1);  // header only
  CHECK(read_file(out / "dossier.html").find("No charge is challenged.") != std::string::npos);
}

TEST_CASE("day-granular metering rows without host or time get no picture, not a crash", "[pack][write]") {
  ReconcileResult r = sample_result();
  r.rows[0].start.reset();
  r.rows[0].end.reset();
  r.rows[0].host.clear();
  r.rows[0].host_raw.clear();
  r.rows[0].day_granular = true;
  ScratchDir dir;
  write_pack(r, options_for(dir.path() / "pack"));
  const std::string html = read_file(dir.path() / "pack" / "dossier.html");
  CHECK(html.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(verify_pack((dir.path() / "pack").string()).empty());
}
