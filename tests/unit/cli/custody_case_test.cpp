// Chain of custody, end to end (SPEC 4, 5): every input given or found is in manifest.json with its
// hash or its error, the rules hash follows --rates, conflicting duplicates are named in
// rejects.csv and evidence.sqlite, verify checks the fixed set of pack files and prints the
// manifest's SHA-256, and an existing --out is refused before any input is read.
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "support/run_binary.h"
#include "util/sha256.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

std::string security_event(std::uint64_t record, const std::string& time, int id, const std::string& user) {
  return "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
         "<Provider Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>" + std::to_string(id) +
         "</EventID><TimeCreated SystemTime=\"" + time + "\"/><EventRecordID>" + std::to_string(record) +
         "</EventRecordID><Channel>Security</Channel><Computer>WS-0900.acme.example</Computer></System>"
         "<EventData><Data Name=\"TargetUserName\">" + user + "</Data><Data Name=\"TargetDomainName\">ACME</Data>"
         "<Data Name=\"TargetLogonId\">0x1234</Data><Data Name=\"LogonType\">2</Data></EventData></Event>\n";
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

nlohmann::json manifest_of(const fs::path& pack) { return nlohmann::json::parse(read_file(pack / "manifest.json")); }

const nlohmann::json* input_named(const nlohmann::json& manifest, const std::string& name) {
  for (const auto& in : manifest["inputs"])
    if (in["name"] == name) return &in;
  return nullptr;
}

// A case folder with two exports of one host that overlap (record 501 differs: a conflict), a text
// file that is no event log, a FIFO and the sample zip archive.
struct CustodyCase {
  fs::path dir = fresh_dir("custody");
  fs::path events = dir / "events";
  fs::path pack = dir / "pack";

  CustodyCase() {
    write(events / "a-security.xml", security_event(500, "2026-11-02T08:00:00Z", 4624, "alice") +
                                         security_event(501, "2026-11-02T08:10:00Z", 4624, "alice"));
    write(events / "b-security.xml", security_event(501, "2026-11-02T08:10:00Z", 4624, "mallory") +
                                         security_event(502, "2026-11-02T08:20:00Z", 4624, "alice"));
    write(events / "c-notes.txt", "not an event log\n");
    REQUIRE(::mkfifo((events / "d-pipe").c_str(), 0600) == 0);
  }
  ~CustodyCase() { fs::remove_all(dir); }

  RunResult run(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"reconcile", "--metering", kSamples + "/metering.csv", "--events", events.string(),
                                     "--events", kSamples + "/events/ws-0104-logs.zip", "--events",
                                     (dir / "missing.xml").string(), "--quiet", "--as-of", "2026-11-30", "--out",
                                     pack.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_flexrecon(args);
  }
};

std::vector<std::vector<std::string>> query(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

}  // namespace

TEST_CASE("the manifest lists every input: the archive and its member, rejected and unreadable files") {
  CustodyCase c;
  const auto r = c.run();
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto manifest = manifest_of(c.pack);

  // The archive file itself, with the SHA-256 and size of its bytes on disk, then its member.
  const std::string zip = kSamples + "/events/ws-0104-logs.zip";
  const auto* archive = input_named(manifest, zip);
  REQUIRE(archive != nullptr);
  std::uint64_t size = 0;
  CHECK((*archive)["sha256"] == sha256_file(zip, &size));
  CHECK((*archive)["size"] == size);
  CHECK((*archive)["format"] == "archive");
  const auto* member = input_named(manifest, zip + "!ws-0104/Security.xml");
  REQUIRE(member != nullptr);
  CHECK((*member)["sha256"].is_string());
  CHECK((*member)["size"] == 266814);

  // A file that is not an event log: rejected, hashed all the same, the reason beside the hash.
  const auto* notes = input_named(manifest, (c.events / "c-notes.txt").string());
  REQUIRE(notes != nullptr);
  CHECK((*notes)["sha256"] == sha256_hex("not an event log\n"));
  CHECK((*notes)["error"] == "not a recognised event format");

  // A FIFO is never opened and a missing path cannot be read: listed with the error, no hash.
  const auto* pipe = input_named(manifest, (c.events / "d-pipe").string());
  REQUIRE(pipe != nullptr);
  CHECK((*pipe)["sha256"].is_null());
  CHECK((*pipe)["error"] == "skipped: FIFO");
  const auto* missing = input_named(manifest, (c.dir / "missing.xml").string());
  REQUIRE(missing != nullptr);
  CHECK((*missing)["sha256"].is_null());
  CHECK((*missing)["error"] == "no such file or directory");

  // The tables and the rules are inputs too.
  CHECK(input_named(manifest, kSamples + "/metering.csv") != nullptr);
  CHECK(input_named(manifest, "(shipped rules)/rates.csv") != nullptr);

  // The same list, with hash and error, is in evidence.sqlite.
  const auto rows = query(c.pack / "evidence.sqlite",
                          "SELECT sha256, error FROM source_files WHERE name = '" + (c.events / "d-pipe").string() + "'");
  CHECK(rows == std::vector<std::vector<std::string>>{{"NULL", "skipped: FIFO"}});
}

TEST_CASE("a --rates sheet changes the rules hash and is listed as an input") {
  CustodyCase c;
  REQUIRE(c.run().exit_code == 0);
  const std::string without = manifest_of(c.pack)["rules_hash"];
  const auto r = c.run({"--force", "--rates", kSamples + "/contract-rates.csv"});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto manifest = manifest_of(c.pack);
  CHECK(manifest["rules_hash"] != without);
  const auto* rates = input_named(manifest, kSamples + "/contract-rates.csv");
  REQUIRE(rates != nullptr);
  CHECK((*rates)["sha256"] == sha256_file(kSamples + "/contract-rates.csv"));
  CHECK(query(c.pack / "evidence.sqlite", "SELECT value FROM meta WHERE key = 'rules_hash'") ==
        std::vector<std::vector<std::string>>{{manifest["rules_hash"].get<std::string>()}});
}

TEST_CASE("a conflicting duplicate is a row in rejects.csv and in evidence.sqlite naming both copies") {
  CustodyCase c;
  const auto r = c.run();
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string a = (c.events / "a-security.xml").string(), b = (c.events / "b-security.xml").string();

  std::vector<std::map<std::string, std::string>> conflicts;
  for (const auto& row : read_csv(c.pack / "rejects.csv"))
    if (row.at("reason").find("conflicting duplicate") != std::string::npos) conflicts.push_back(row);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].at("source") == b);  // the later copy in input order is the one dropped
  CHECK(conflicts[0].at("location") == "record 501");
  CHECK(conflicts[0].at("reason").find("kept " + a + "#501") != std::string::npos);
  CHECK(conflicts[0].at("reason").find("dropped " + b + "#501") != std::string::npos);

  const auto rows = query(c.pack / "evidence.sqlite",
                          "SELECT d.host, d.channel, d.record_id, k.name, d.kept_ref, x.name, d.dropped_ref "
                          "FROM duplicate_conflicts d JOIN source_files k ON k.id = d.kept_source_id "
                          "JOIN source_files x ON x.id = d.dropped_source_id");
  CHECK(rows == std::vector<std::vector<std::string>>{{"ws-0900", "Security", "501", a, a + "#501", b, b + "#501"}});
  CHECK(query(c.pack / "evidence.sqlite", "SELECT count(*) FROM rejects WHERE reason LIKE 'conflicting duplicate%'") ==
        std::vector<std::vector<std::string>>{{"1"}});

  // Counted as a duplicate and a conflict, not as a malformed event.
  const auto summary = nlohmann::json::parse(read_file(c.pack / "summary.json"));
  CHECK(summary["events"]["conflicts"] == 1);
  CHECK(summary["events"]["duplicates"] == 1);
  CHECK(summary["events"]["rejected"] == 0);
  CHECK(summary["rejects"] == read_csv(c.pack / "rejects.csv").size());
}

TEST_CASE("verify prints the manifest's SHA-256 and fails a pack missing a file, even unlisted, or holding an extra one") {
  CustodyCase c;
  const auto written = c.run();
  REQUIRE(written.exit_code == 0);
  const std::string manifest_hash = sha256_file((c.pack / "manifest.json").string());
  CHECK(written.out.find("manifest.json sha256: " + manifest_hash) != std::string::npos);  // said when written

  auto ok = run_flexrecon({"verify", c.pack.string()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("manifest.json sha256: " + manifest_hash) != std::string::npos);

  SECTION("findings.csv deleted together with its manifest entry") {
    auto manifest = manifest_of(c.pack);
    auto& files = manifest["files"];
    for (auto it = files.begin(); it != files.end(); ++it)
      if ((*it)["name"] == "findings.csv") {
        files.erase(it);
        break;
      }
    const std::string edited = manifest.dump(2) + "\n";
    write(c.pack / "manifest.json", edited);
    fs::remove(c.pack / "findings.csv");
    const auto r = run_flexrecon({"verify", c.pack.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("missing file: findings.csv") != std::string::npos);
    // The figure printed is that of the manifest as it now is, so it no longer matches the one quoted.
    CHECK(r.out.find("manifest.json sha256: " + sha256_hex(edited)) != std::string::npos);
  }
  SECTION("an extra file") {
    write(c.pack / "findings-corrected.csv", "finding_id\n");
    const auto r = run_flexrecon({"verify", c.pack.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("unexpected file: findings-corrected.csv") != std::string::npos);
    CHECK(r.out.find("manifest.json sha256: " + manifest_hash) != std::string::npos);
  }
}

TEST_CASE("an existing --out is refused with exit 2 before any input is read") {
  const auto dir = fresh_dir("out-first");
  fs::create_directories(dir / "pack");
  // FIFOs with no writer: opening one for reading blocks, so a run that read any input would hang
  // until `timeout` killed it (exit 124).
  REQUIRE(::mkfifo((dir / "metering.csv").c_str(), 0600) == 0);
  REQUIRE(::mkfifo((dir / "events.xml").c_str(), 0600) == 0);
  const auto started = std::chrono::steady_clock::now();
  const std::string cmd = "timeout 20 " + shell_quote(FLEXRECON_BINARY) + " reconcile --metering " +
                          shell_quote((dir / "metering.csv").string()) + " --events " +
                          shell_quote((dir / "events.xml").string()) + " --out " + shell_quote((dir / "pack").string()) +
                          " --quiet > " + shell_quote((dir / "log").string()) + " 2>&1 < /dev/null";
  const int status = std::system(cmd.c_str());
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(read_file(dir / "log").find("already exists") != std::string::npos);
  CHECK(seconds < 10);
  CHECK(fs::is_empty(dir / "pack"));
  fs::remove_all(dir);
}
