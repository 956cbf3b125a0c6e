// Every file of the pack is valid UTF-8 (SPEC 6 "Outputs"), end to end: inputs put 2-, 3- and
// 4-byte characters exactly across each place where flexrecon shortens text (quoted cells in
// metering reasons, entity references in events, the timeline labels of charges and sessions),
// and every file of the pack, and every text value of evidence.sqlite, is read as strict UTF-8.
#include <sqlite3.h>

#include "support/run_binary.h"
#include "support/zip_members.h"
#include "util/strings.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCharacters = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};  // é € 𝄞

// `limit` bytes of `filler` and a multibyte character, arranged so that every byte offset of the
// character falls across the limit once: one text per (character, bytes before the limit).
std::vector<std::string> straddling(std::size_t limit, char filler) {
  std::vector<std::string> out;
  for (const std::string& c : kCharacters)
    for (std::size_t inside = 1; inside < c.size(); ++inside) out.push_back(std::string(limit - inside, filler) + c + "zz");
  return out;
}

std::string event(const std::string& host, const std::string& channel, std::uint64_t record, const std::string& time,
                  int id, const std::string& data) {
  return "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
         "<Provider Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>" + std::to_string(id) +
         "</EventID><TimeCreated SystemTime=\"" + time + "\"/><EventRecordID>" + std::to_string(record) +
         "</EventRecordID><Channel>" + channel + "</Channel><Computer>" + host + "</Computer></System><EventData>" +
         data + "</EventData></Event>\n";
}

std::string logon(const std::string& user, const std::string& logon_id) {
  return "<Data Name=\"TargetUserName\">" + user + "</Data><Data Name=\"TargetDomainName\">ACME</Data>"
         "<Data Name=\"TargetUserSid\">S-1-5-21-1-2-3-1001</Data><Data Name=\"TargetLogonId\">" + logon_id +
         "</Data><Data Name=\"LogonType\">2</Data>";
}

// Where a pack file is not UTF-8: the first byte that repairing it would change (for the message).
std::size_t first_invalid(const std::string& text) {
  const std::string repaired = repair_utf8(text);
  std::size_t n = 0;
  while (n < text.size() && n < repaired.size() && text[n] == repaired[n]) ++n;
  return n;
}

// Reads every file of the pack as strict UTF-8, and every text value of every table of evidence.sqlite.
void check_pack_is_utf8(const fs::path& pack) {
  for (const auto& e : fs::recursive_directory_iterator(pack)) {  // the dossier's linked pages too
    if (e.is_directory() || e.path().extension() == ".sqlite") continue;
    if (e.path().extension() == ".xlsx") {  // a zip: what must be UTF-8 is each part Excel reads
      for (const auto& [member, text] : zip_members(e.path().string())) {
        INFO(e.path().filename().string() << "!" << member << ": invalid UTF-8 at byte " << first_invalid(text));
        CHECK(is_valid_utf8(text));
      }
      continue;
    }
    const std::string text = read_file(e.path());
    INFO(e.path().filename().string() << ": invalid UTF-8 at byte " << first_invalid(text));
    CHECK(is_valid_utf8(text));
  }

  // evidence.sqlite: every text value of every table.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((pack / "evidence.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  CHECK(tables.size() > 10);
  std::size_t values = 0;
  for (const std::string& table : tables) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (sqlite3_column_type(st, i) != SQLITE_TEXT) continue;
        const std::string value(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
        ++values;
        INFO(table << "." << sqlite3_column_name(st, i) << " = " << value);
        CHECK(is_valid_utf8(value));
      }
    }
    sqlite3_finalize(st);
  }
  CHECK(values > 100);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("a pack from inputs with multibyte characters at every truncation point is valid UTF-8 throughout") {
  const auto dir = fresh_dir("utf8-case");
  fs::create_directories(dir);

  // Security log of ws-0900: a boot, six humans whose long names straddle the session label's cut,
  // and a later record so that the charges lie in covered time.
  const std::vector<std::string> users = straddling(21, 'u');  // "Session " + 21 bytes = the 29-byte label cut
  std::string security;
  std::uint64_t record = 7000;
  security += event("WS-0900.acme.example", "Security", record++, "2026-11-02T07:00:00Z", 4608, "");
  for (std::size_t i = 0; i < users.size(); ++i)
    security += event("WS-0900.acme.example", "Security", record++, "2026-11-02T07:0" + std::to_string(i + 1) + ":00Z",
                      4624, logon(users[i], "0x10" + std::to_string(i)));
  security += event("WS-0900.acme.example", "Security", record++, "2026-11-02T23:00:00Z", 4616,
                    "<Data Name=\"PreviousTime\">2026-11-02T23:00:00Z</Data><Data Name=\"NewTime\">2026-11-02T23:00:01Z</Data>");
  std::ofstream(dir / "security.xml", std::ios::binary) << security;

  // Events holding entity references that straddle the 32-byte cut (with `;`) and the 16-byte one
  // (without): each rejected with the reference quoted in its reason.
  std::string entities;
  for (const std::string& ref : straddling(32, 'e'))
    entities += event("WS-0901", "System", record++, "2026-11-02T08:00:00Z", 6005, "<Data Name=\"x\">&" + ref + ";</Data>");
  for (const std::string& ref : straddling(16, 'f'))
    entities += event("WS-0901", "System", record++, "2026-11-02T08:00:00Z", 6005, "<Data Name=\"x\">&" + ref + "</Data>");
  std::ofstream(dir / "entities.xml", std::ios::binary) << entities;

  // Metering: charges by someone never logged on (challenged, each with an exhibit whose label
  // "Charge <id>" straddles the cut), and rows whose unparsable start is quoted cut at 80 bytes.
  std::string metering = "chargedItemID,userName,machineName,productLineCode,sessionStartDate,sessionEndDate,tokensConsumed\n";
  int hour = 10;
  for (const std::string& id : straddling(22, 'r')) {
    metering += id + ",ACME\\bob,WS-0900,ACD,2026-11-02 " + std::to_string(hour) + ":00:00,2026-11-02 " +
                std::to_string(hour) + ":30:00,7.0\n";
    ++hour;
  }
  for (const std::string& start : straddling(80, '9'))
    metering += "bad,ACME\\bob,WS-0900,ACD," + start + ",,7.0\n";
  std::ofstream(dir / "metering.csv", std::ios::binary) << metering;

  const auto r = run_flexrecon({"reconcile", "--metering", (dir / "metering.csv").string(), "--events",
                                (dir / "security.xml").string(), "--events", (dir / "entities.xml").string(), "--quiet",
                                "--as-of", "2026-11-30", "--out", (dir / "pack").string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);

  // The truncation points were really reached: the reasons and labels are there, cut.
  const std::string rejects = read_file(dir / "pack" / "rejects.csv");
  CHECK(rejects.find("unparsable sessionStartDate '999") != std::string::npos);
  CHECK(rejects.find("entity reference '&eee") != std::string::npos);
  CHECK(rejects.find("entity reference '&fff") != std::string::npos);
  std::string dossier;  // the index and the exhibit pages it links to
  for (const auto& e : fs::recursive_directory_iterator(dir / "pack"))
    if (e.path().extension() == ".html") dossier += read_file(e.path());
  CHECK(dossier.find("Charge rrrr") != std::string::npos);
  CHECK(dossier.find("Session uuuu") != std::string::npos);
  CHECK(read_file(dir / "pack" / "findings.csv").find("challenged") != std::string::npos);

  check_pack_is_utf8(dir / "pack");
  fs::remove_all(dir);
}

TEST_CASE("file names that are not UTF-8 reach the pack as U+FFFD, never as raw bytes") {
  const auto dir = fresh_dir("utf8-names");
  fs::create_directories(dir / "events");
  // Latin-1 names, as a Windows share copied without conversion leaves them.
  const std::string cafe = (dir / "events" / "caf\xE9-security.xml").string();
  fs::copy_file(std::string(FLEXRECON_SOURCE_DIR) + "/samples/events/ws-0101/security.xml", cafe);
  std::ofstream((dir / "events" / "r\xE9sum\xE9.txt").string()) << "not events\n";
  const auto r = run_flexrecon({"reconcile", "--metering", std::string(FLEXRECON_SOURCE_DIR) + "/samples/metering.csv",
                                "--events", (dir / "events").string(), "--quiet", "--out", (dir / "pack").string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string shown = repair_utf8(cafe);
  CHECK(read_file(dir / "pack" / "findings.csv").find(shown + "#") != std::string::npos);
  CHECK(read_file(dir / "pack" / "manifest.json").find(repair_utf8((dir / "events" / "r\xE9sum\xE9.txt").string())) !=
        std::string::npos);
  check_pack_is_utf8(dir / "pack");
  fs::remove_all(dir);
}
