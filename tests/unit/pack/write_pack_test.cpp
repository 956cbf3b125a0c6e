#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pack_fixture.h"
#include "util/sha256.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kPackFiles = {"dossier.html", "evidence.sqlite", "findings.csv", "findings.xlsx",
                                             "manifest.json", "rejects.csv", "summary.json"};
// What the sample result's pack folder holds at its top: the fixed files and the exhibit pages' folder.
const std::vector<std::string> kPackTop = {"dossier.html", "evidence.sqlite", "exhibits",   "findings.csv",
                                           "findings.xlsx", "manifest.json",  "rejects.csv", "summary.json"};
const std::string kExhibitPage = "exhibits/background.ws-0042.html";

// Every file of a pack, subfolders included, by its `/`-separated path.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (!e.is_directory()) names.push_back(e.path().lexically_relative(dir).generic_string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// With its exhibits on linked pages, as an archive's are: what verify must check beside the six
// files. (The sample's two exhibits would stay in dossier.html by default: the last test.)
PackOptions options_for(const fs::path& out) {
  PackOptions o;
  o.out = out.string();
  o.templates_dir = templates_dir();
  o.inline_exhibits_bytes = 0;
  return o;
}

}  // namespace

TEST_CASE("by default a small case's pack is the six files of SPEC 4, its exhibits inside dossier.html", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  PackOptions options = options_for(out);
  options.inline_exhibits_bytes = PackOptions().inline_exhibits_bytes;
  write_pack(sample_result(), options);
  CHECK(names_in(out) == kPackFiles);
  const std::string dossier = read_file(out / "dossier.html");
  CHECK(dossier.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(dossier.find("<svg ") != std::string::npos);
  CHECK(verify_pack(out.string()).ok());
}

TEST_CASE("each pack file is reported once written, in the order the pack writes them", "[pack][write]") {
  ScratchDir dir;
  PackOptions options = options_for(dir.path() / "pack");
  std::vector<std::string> written;
  options.on_file_written = [&](const std::string& file) {
    // Written into the temporary folder: the pack itself appears only when all are done.
    CHECK_FALSE(fs::exists(dir.path() / "pack"));
    written.push_back(file);
  };
  write_pack(sample_result(), options);
  CHECK(written == pack_file_names());
}

TEST_CASE("a written pack holds all its files and verifies against its manifest", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));
  CHECK(names_in(out) == kPackTop);
  CHECK(verify_pack(out.string()).ok());
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});  // no temporary folder left beside it
  // Every page of the dossier is listed with its hash, by its path in the pack.
  const auto listed = nlohmann::json::parse(read_file(out / "manifest.json"))["files"];
  std::vector<std::string> names;
  for (const auto& f : listed) names.push_back(f["name"]);
  std::vector<std::string> expected = files_in(out);
  expected.erase(std::find(expected.begin(), expected.end(), "manifest.json"));
  CHECK(names == expected);
  CHECK(std::find(names.begin(), names.end(), kExhibitPage) != names.end());
  const std::string manifest = read_file(out / "manifest.json");
  CHECK(manifest.find("\"rules_hash\": \"5f1e0c0ffee\"") != std::string::npos);
  CHECK(manifest.find("\"as_of\": \"2025-04-01T00:00:00Z\"") != std::string::npos);
  CHECK(manifest.find("\"--metering\"") != std::string::npos);
  CHECK(manifest.find(std::string(64, 'c')) != std::string::npos);  // an input's hash
}

TEST_CASE("the manifest names the edition of the time zone database the zones came from", "[pack][write]") {
  // A zone's history changes between editions: an opposing expert must be able to tell which one
  // converted the local times. Debian's tzdata names it on the first line of tzdata.zi.
  std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
  std::string first;
  std::getline(zi, first);
  REQUIRE(first.rfind("# version ", 0) == 0);  // the machine has tzdata (.ci/deps installs it)
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));
  const auto manifest = nlohmann::json::parse(read_file(out / "manifest.json"));
  REQUIRE(manifest.contains("tzdata"));
  const std::string edition = manifest["tzdata"];
  CHECK(edition == first.substr(10));
  CHECK(edition.size() == 5);  // `2026a`: the year and a letter
  CHECK(verify_pack(out.string()).ok());
}

TEST_CASE("verify detects a tampered, a missing and an extra file", "[pack][write]") {
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));

  SECTION("tampered") {
    std::string csv = read_file(out / "findings.csv");
    csv[csv.size() / 2] ^= 1;
    std::ofstream(out / "findings.csv", std::ios::binary) << csv;
    const auto problems = verify_pack(out.string()).problems;
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("modified file: findings.csv", 0) == 0);
  }
  SECTION("missing") {
    fs::remove(out / "evidence.sqlite");
    CHECK(verify_pack(out.string()).problems == std::vector<std::string>{"missing file: evidence.sqlite"});
  }
  SECTION("extra") {
    std::ofstream(out / "notes.txt") << "added later\n";
    CHECK(verify_pack(out.string()).problems == std::vector<std::string>{"unexpected file: notes.txt"});
  }
  SECTION("a file deleted together with its manifest entry") {
    auto json = nlohmann::json::parse(read_file(out / "manifest.json"));
    auto& files = json["files"];
    files.erase(std::remove_if(files.begin(), files.end(), [](const auto& f) { return f["name"] == "evidence.sqlite"; }),
                files.end());
    const std::string manifest = json.dump(2) + "\n";
    std::ofstream(out / "manifest.json", std::ios::binary) << manifest;
    fs::remove(out / "evidence.sqlite");
    const auto check = verify_pack(out.string());
    CHECK(check.problems == std::vector<std::string>{"missing file: evidence.sqlite"});
    CHECK(check.manifest_sha256 == sha256_hex(manifest));
  }
  SECTION("a pack file the manifest does not list") {
    std::string manifest = read_file(out / "manifest.json");
    const auto at = manifest.find("\"name\": \"dossier.html\"");
    REQUIRE(at != std::string::npos);
    manifest.replace(at, std::string("\"name\": \"dossier.html\"").size(), "\"name\": \"dossier.htm\"");
    std::ofstream(out / "manifest.json", std::ios::binary) << manifest;
    CHECK(verify_pack(out.string()).problems ==
          std::vector<std::string>{"manifest.json does not list dossier.html", "missing file: dossier.htm"});
  }
  SECTION("an exhibit page changed") {
    std::ofstream(out / kExhibitPage, std::ios::app) << "<p>added</p>";
    const auto problems = verify_pack(out.string()).problems;
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("modified file: " + kExhibitPage + " (sha256 ", 0) == 0);
  }
  SECTION("an exhibit page missing") {
    fs::remove(out / kExhibitPage);
    CHECK(verify_pack(out.string()).problems == std::vector<std::string>{"missing file: " + kExhibitPage});
  }
  SECTION("an exhibit page deleted together with its manifest entry: the dossier's link to it fails") {
    auto json = nlohmann::json::parse(read_file(out / "manifest.json"));
    auto& files = json["files"];
    files.erase(std::remove_if(files.begin(), files.end(), [](const auto& f) { return f["name"] == kExhibitPage; }),
                files.end());
    std::ofstream(out / "manifest.json", std::ios::binary) << json.dump(2) + "\n";
    fs::remove(out / kExhibitPage);
    CHECK(verify_pack(out.string()).problems ==
          std::vector<std::string>{"broken link: dossier.html -> " + kExhibitPage + " (not in the manifest)"});
  }
  SECTION("an extra file in a subfolder, and an empty folder") {
    std::ofstream(out / "exhibits" / "background.ws-9999.html") << "<p>forged</p>";
    fs::create_directories(out / "notes" / "empty");
    CHECK(verify_pack(out.string()).problems ==
          std::vector<std::string>{"unexpected file: exhibits/background.ws-9999.html", "unexpected folder: notes"});
  }
  SECTION("a link out of the pack, the manifest updated to match") {
    std::string html = read_file(out / "dossier.html");
    html.replace(html.find("href=\"#summary\""), std::string("href=\"#summary\"").size(), "href=\"../secret.html\"");
    std::ofstream(out / "dossier.html", std::ios::binary) << html;
    auto json = nlohmann::json::parse(read_file(out / "manifest.json"));
    for (auto& f : json["files"])
      if (f["name"] == "dossier.html") {
        f["sha256"] = sha256_hex(html);
        f["size"] = html.size();
      }
    std::ofstream(out / "manifest.json", std::ios::binary) << json.dump(2) + "\n";
    CHECK(verify_pack(out.string()).problems ==
          std::vector<std::string>{"link out of the pack: dossier.html -> ../secret.html"});
  }
  SECTION("a manifest entry that points outside the pack") {
    auto json = nlohmann::json::parse(read_file(out / "manifest.json"));
    json["files"].push_back({{"name", "exhibits/../../outside.html"}, {"sha256", std::string(64, '0')}, {"size", 1}});
    std::ofstream(out / "manifest.json", std::ios::binary) << json.dump(2) + "\n";
    CHECK(verify_pack(out.string()).problems ==
          std::vector<std::string>{"manifest.json: invalid file name 'exhibits/../../outside.html'"});
  }
  SECTION("manifest gone") {
    fs::remove(out / "manifest.json");
    CHECK(verify_pack(out.string()).problems == std::vector<std::string>{"missing manifest.json"});
  }
}

TEST_CASE("the pack's files are one fixed list, and verify reports the manifest's own SHA-256", "[pack][write]") {
  std::vector<std::string> names = pack_file_names();
  CHECK(names.back() == "manifest.json");  // written last: it hashes the others
  std::sort(names.begin(), names.end());
  CHECK(names == kPackFiles);

  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(sample_result(), options_for(out));
  const std::string manifest_hash = sha256_file((out / "manifest.json").string());
  CHECK(verify_pack(out.string()).manifest_sha256 == manifest_hash);
  std::ofstream(out / "extra.txt") << "x";
  const auto failed = verify_pack(out.string());
  CHECK_FALSE(failed.ok());
  CHECK(failed.manifest_sha256 == manifest_hash);  // printed on failure too
}

TEST_CASE("the manifest lists archives, rejected and unreadable inputs: a hash, or the error instead", "[pack][write]") {
  ReconcileResult r = sample_result();
  r.sources.add({"logs/ws-0042.zip", SourceKind::Events, "archive", std::string(64, 'f'), 4096, ""});
  r.sources.add({"logs/notes.txt", SourceKind::Events, "", std::string(64, '0'), 17, "not a recognised event format"});
  r.sources.add({"logs/pipe", SourceKind::Events, "", "", 0, "skipped: FIFO"});
  ScratchDir dir;
  const fs::path out = dir.path() / "pack";
  write_pack(r, options_for(out));
  const std::string manifest = read_file(out / "manifest.json");
  CHECK(manifest.find("\"format\": \"archive\",\n      \"kind\": \"events\",\n      \"name\": \"logs/ws-0042.zip\",\n"
                      "      \"sha256\": \"" + std::string(64, 'f')) != std::string::npos);
  CHECK(manifest.find("\"error\": \"not a recognised event format\",\n      \"format\": \"\",\n      \"kind\": "
                      "\"events\",\n      \"name\": \"logs/notes.txt\",\n      \"sha256\": \"" + std::string(64, '0')) !=
        std::string::npos);
  CHECK(manifest.find("\"error\": \"skipped: FIFO\",\n      \"format\": \"\",\n      \"kind\": \"events\",\n"
                      "      \"name\": \"logs/pipe\",\n      \"sha256\": null") != std::string::npos);
  CHECK(verify_pack(out.string()).ok());
}

TEST_CASE("the same result written twice gives byte-identical packs, every dossier page included, whatever --jobs", "[pack][write]") {
  ScratchDir dir;
  write_pack(sample_result(), options_for(dir.path() / "a"));
  PackOptions beside = options_for(dir.path() / "b");
  beside.jobs = 2;  // the evidence store on a thread of its own
  write_pack(sample_result(), beside);
  const std::vector<std::string> files = files_in(dir.path() / "a");
  CHECK(files == files_in(dir.path() / "b"));
  CHECK(files.size() == kPackFiles.size() + 2);  // and the two exhibit pages
  for (const std::string& name : files) {
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
  CHECK(names_in(out) == kPackTop);
  CHECK(verify_pack(out.string()).ok());
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pack"});
}

TEST_CASE("the early --out check refuses a folder, a file or a dangling link, and nothing without --force", "[pack][write]") {
  ScratchDir dir;
  CHECK_NOTHROW(refuse_existing_out((dir.path() / "new").string(), false));
  fs::create_directories(dir.path() / "folder");
  std::ofstream(dir.path() / "file") << "x";
  fs::create_symlink(dir.path() / "nowhere", dir.path() / "dangling");
  for (const std::string name : {"folder", "folder/", "file", "dangling"}) {
    INFO(name);
    CHECK_THROWS_AS(refuse_existing_out((dir.path() / name).string(), false), Error);
    CHECK_NOTHROW(refuse_existing_out((dir.path() / name).string(), true));
  }
}

TEST_CASE("a failure while writing leaves neither a pack nor a temporary folder", "[pack][write]") {
  ScratchDir dir;
  PackOptions o = options_for(dir.path() / "pack");
  o.templates_dir = (dir.path() / "no-such-templates").string();
  CHECK_THROWS_AS(write_pack(sample_result(), o), Error);
  CHECK(names_in(dir.path()).empty());
  // The same while the evidence store is being written on its own thread: it is waited for, then
  // the temporary folder goes.
  o.jobs = 2;
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
  r.sources.add({"empty.csv", SourceKind::Metering, "token-flex-csv", std::string(64, 'e'), 120, ""});
  r.metering_files.push_back({0, "token-flex-csv", 0, 0, 0});
  ScratchDir dir;
  const fs::path out = dir.path() / "empty-pack";
  write_pack(r, options_for(out.string() + "/"));  // a trailing slash names the same folder
  CHECK(names_in(out) == kPackFiles);
  CHECK(verify_pack(out.string()).ok());
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
  // The charge names no machine: its page says so in its name.
  const std::string html = read_file(dir.path() / "pack" / "exhibits" / "background._.html");
  CHECK(html.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(html.find("background on (no machine named)") != std::string::npos);
  CHECK(verify_pack((dir.path() / "pack").string()).ok());
}
