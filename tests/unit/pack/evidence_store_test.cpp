#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "pack/evidence_store.h"
#include "pack/sqlite_db.h"
#include "pack_fixture.h"
#include "support/run_binary.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

std::int64_t count(SqliteDb& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.column_int(0);
}

// A query's rows, each column by name; NULL reads as "NULL" (no stored text is that word here).
using Row = std::map<std::string, std::string>;
std::vector<Row> rows_of(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  INFO(sql);
  INFO(sqlite3_errmsg(db));
  REQUIRE(prepared == SQLITE_OK);
  std::vector<Row> rows;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row[sqlite3_column_name(st, i)] = text ? reinterpret_cast<const char*>(text) : "NULL";
    }
    rows.push_back(std::move(row));
  }
  CHECK(rc == SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

// Every evidence reference of the store that does not lead to a stored row whose source file has a
// SHA-256: the `*_evidence` links through their row ids, the `evidence` lists of idle, power and
// coverage spans by their text (`file#EventRecordID` or `file:line`), as an auditor would follow them.
std::vector<std::string> unresolved_evidence(const std::string& db_path) {
  std::vector<std::string> bad;
  for (const char* links : {"finding_evidence", "session_evidence"}) {
    const std::string sql = std::string("SELECT l.ref FROM ") + links + " l LEFT JOIN source_files s ON s.id = l.source_id"
        " WHERE s.id IS NULL OR length(s.sha256) <> 64 OR l.kind NOT IN ('metering_row', 'inventory', 'event', 'line')"
        " OR (l.kind <> 'line' AND l.row_id IS NULL)"
        " OR (l.kind = 'metering_row' AND NOT EXISTS (SELECT 1 FROM metering_rows m WHERE m.id = l.row_id"
        "     AND m.source_id = l.source_id AND m.line = l.position))"
        " OR (l.kind = 'inventory' AND NOT EXISTS (SELECT 1 FROM inventory i WHERE i.id = l.row_id"
        "     AND i.source_id = l.source_id AND i.line = l.position))"
        " OR (l.kind = 'event' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = l.row_id AND e.source_id = l.source_id"
        "     AND (e.record_id = l.position OR (e.line = l.position AND l.ref = s.name || ':' || e.line))))";
    for (const Row& r : rows_of(db_path, sql)) bad.push_back(std::string(links) + ": " + r.at("ref"));
  }
  std::set<std::string> refs;
  for (const char* spans : {"idle_spans", "power_spans", "coverage_gaps"})
    for (const Row& r : rows_of(db_path, std::string("SELECT evidence FROM ") + spans))
      for (const std::string& ref : split_rules(r.at("evidence"))) refs.insert(ref);
  std::set<std::string> stored;
  for (const Row& r : rows_of(db_path, "SELECT s.name || '#' || e.record_id AS by_record, s.name || ':' || e.line AS by_line"
                                       " FROM events e JOIN source_files s ON s.id = e.source_id WHERE length(s.sha256) = 64")) {
    stored.insert(r.at("by_record"));
    stored.insert(r.at("by_line"));
  }
  for (const std::string& ref : refs)
    if (!stored.count(ref)) bad.push_back("span evidence: " + ref);
  return bad;
}

// The ```sql blocks of docs/evidence-store.md, in order.
std::vector<std::string> documented_queries() {
  const std::string doc = read_file(std::string(FLEXRECON_SOURCE_DIR) + "/docs/evidence-store.md");
  std::vector<std::string> blocks;
  const std::regex block(R"(```sql\n([\s\S]*?)```)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator(); ++it)
    blocks.push_back((*it)[1].str());
  return blocks;
}

// The sample case (samples/) reconciled by the binary, as a user runs it; written once.
const std::string& sample_store() {
  static const std::string path = [] {
    const std::string samples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";
    const auto dir = fresh_dir("store-sample-pack");
    const auto r = run_flexrecon({"reconcile", "--metering", samples + "/metering.csv", "--events", samples + "/events",
                                  "--inventory", samples + "/inventory.csv", "--identities", samples + "/identities.csv",
                                  "--rates", samples + "/contract-rates.csv", "--as-of", "2026-11-30", "--quiet",
                                  "--out", dir.string()});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return (dir / "evidence.sqlite").string();
  }();
  return path;
}

}  // namespace

TEST_CASE("the evidence store holds every table the schema documents", "[pack][store]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(sample_result(), path);
  SqliteDb db(path);
  for (const char* table : {"meta", "source_files", "metering_rows", "events", "inventory", "sessions",
                            "session_evidence", "idle_spans", "power_spans", "coverage_gaps", "coverage_spans", "charges", "findings",
                            "finding_evidence", "rejects", "duplicate_conflicts"}) {
    INFO(table);
    CHECK(count(db, std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + table + "'") == 1);
  }
  CHECK(count(db, "SELECT count(*) FROM source_files") == 3);
  CHECK(count(db, "SELECT count(*) FROM metering_rows") == 4);
  CHECK(count(db, "SELECT count(*) FROM charges") == 3);  // the 0-token row is not a charge
  CHECK(count(db, "SELECT count(*) FROM findings") == 4);
  CHECK(count(db, "SELECT count(*) FROM rejects") == 2);
  CHECK(count(db, "SELECT count(*) FROM idle_spans") == 1);
  CHECK(count(db, "SELECT count(*) FROM power_spans") == 1);
  CHECK(count(db, "SELECT count(*) FROM coverage_gaps") == 1);
  CHECK(count(db, "SELECT count(*) FROM coverage_spans") == 2);
  CHECK(count(db, "SELECT count(*) FROM coverage_spans WHERE end_utc LIKE '2025-03-05T10:00:00%'") == 1);
}

TEST_CASE("every finding's evidence resolves to a stored row, a source file and a record", "[pack][store]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  const ReconcileResult r = sample_result();
  write_evidence_store(r, path);
  SqliteDb db(path);

  std::size_t links = 0;
  for (const Finding& f : r.results.findings) links += f.evidence.size();
  CHECK(count(db, "SELECT count(*) FROM finding_evidence") == static_cast<std::int64_t>(links));
  // Each link points at a row of the table its kind names...
  CHECK(count(db, "SELECT count(*) FROM finding_evidence WHERE row_id IS NULL") == 0);
  CHECK(count(db,
              "SELECT count(*) FROM finding_evidence fe WHERE NOT ("
              " (fe.kind = 'metering_row' AND EXISTS (SELECT 1 FROM metering_rows m WHERE m.id = fe.row_id"
              "   AND m.source_id = fe.source_id AND m.line = fe.position))"
              " OR (fe.kind = 'inventory' AND EXISTS (SELECT 1 FROM inventory i WHERE i.id = fe.row_id"
              "   AND i.source_id = fe.source_id AND i.line = fe.position))"
              " OR (fe.kind = 'event' AND EXISTS (SELECT 1 FROM events e WHERE e.id = fe.row_id"
              "   AND e.source_id = fe.source_id AND e.record_id = fe.position)))") == 0);
  // ...and that row names a source file with its hash.
  CHECK(count(db,
              "SELECT count(*) FROM finding_evidence fe LEFT JOIN source_files s ON s.id = fe.source_id"
              " WHERE s.id IS NULL OR length(s.sha256) <> 64") == 0);
  // The gap's neighbours were never relevant events: they are kept as Security-log marks.
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'mark' AND record_id IN (151, 190)") == 2);
  CHECK(count(db, "SELECT count(*) FROM finding_evidence WHERE finding_id = 'F0004' AND kind = 'inventory'") == 1);
  CHECK(unresolved_evidence(path).empty());
}

TEST_CASE("every session, idle, power and coverage reference resolves to a stored row and its source file", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostTimeline& tl = r.timelines.hosts["ws-0042"];
  // The lock and unlock behind the idle span, cited by the span alone (no finding, no session cites them).
  r.events.hosts["ws-0042"].events.push_back(make_event(1, 120, "2025-03-03 12:00:00", 4800, "ws-0042",
                                                        {{"TargetUserName", "jdoe"}, {"TargetLogonId", "0x3e7a"}}));
  r.events.hosts["ws-0042"].events.push_back(make_event(1, 125, "2025-03-03 13:00:00", 4801, "ws-0042",
                                                        {{"TargetUserName", "jdoe"}, {"TargetLogonId", "0x3e7a"}}));
  tl.sessions[0].idle[0].evidence = {EvidenceRef{1, 120, false}, EvidenceRef{1, 125, false}};
  // The log's first record, known only from the coverage scan, bounds the covered span.
  tl.uncovered.push_back({{kMinInstant, at("2025-03-03 09:40:00")}, "before-first-record", "before the first Security record",
                          {EvidenceRef{1, 100, false}}});
  tl.uncovered.push_back({{at("2025-03-06 09:00:00"), kMaxInstant}, "after-last-record", "after the last Security record",
                          {EvidenceRef{1, 101, false}}});
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  CHECK(unresolved_evidence(path).empty());
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM session_evidence WHERE row_id IS NULL") == 0);
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'full' AND event_id IN (4800, 4801)") == 2);
  // 101 is no relevant event: a mark with its host, time and the Security channel.
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'mark' AND record_id = 101 AND host = 'ws-0042'"
                  " AND channel = 'Security' AND time_utc IS NOT NULL") == 1);
  // 100 is an event: cited twice (the session and the gap), stored once.
  CHECK(count(db, "SELECT count(*) FROM events WHERE record_id = 100") == 1);
}

TEST_CASE("a reference the run cannot place still resolves to its source file", "[pack][store]") {
  ReconcileResult r = sample_result();
  // A finding citing a record that is neither an event of the run nor in any host's coverage marks.
  r.results.findings[0].evidence.push_back(EvidenceRef{1, 4242, false});
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  CHECK(unresolved_evidence(path).empty());
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'mark' AND source_id = 1 AND record_id = 4242"
                  " AND host IS NULL") == 1);
}

TEST_CASE("the auditor's documented queries answer from the store", "[pack][store]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(sample_result(), path);
  SqliteDb db(path);

  // Every charge on one host on one day.
  auto charges = db.prepare(
      "SELECT c.metering_row_id, c.outcome FROM charges c WHERE c.host = ?1 AND c.start_utc >= ?2 AND c.start_utc < ?3"
      " ORDER BY c.start_utc");
  charges.bind(1, std::string("ws-0042")).bind(2, std::string("2025-03-04")).bind(3, std::string("2025-03-05"));
  REQUIRE(charges.step());
  CHECK(charges.column_int(0) == 0);
  CHECK(charges.column_text(1) == "challenged");
  CHECK_FALSE(charges.step());

  // All evidence for one finding, with the file it comes from.
  auto evidence = db.prepare(
      "SELECT fe.ref, s.name, s.sha256 FROM finding_evidence fe JOIN source_files s ON s.id = fe.source_id"
      " WHERE fe.finding_id = 'F0001' ORDER BY fe.seq");
  std::vector<std::string> refs;
  while (evidence.step()) refs.push_back(evidence.column_text(0));
  CHECK(refs == std::vector<std::string>{"lrt.csv:2", "logs/ws-0042-Security.xml#141", "logs/ws-0042-Security.xml#150"});

  // Every gap.
  auto gaps = db.prepare("SELECT host, kind, start_utc, end_utc FROM coverage_gaps ORDER BY host, start_utc");
  REQUIRE(gaps.step());
  CHECK(gaps.column_text(1) == "record-gap");
  CHECK(gaps.column_text(2) == "2025-03-05T10:00:00.000000Z");
}

TEST_CASE("names and unknown metering columns are stored as written", "[pack][store]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(sample_result(), path);
  SqliteDb db(path);
  auto st = db.prepare("SELECT user_raw, extra FROM metering_rows WHERE record_id = ?1");
  st.bind(1, std::string("C-1003"));
  REQUIRE(st.step());
  CHECK(st.column_text(0) == "józef.żółć@corp.example");
  auto extra = db.prepare("SELECT extra FROM metering_rows WHERE id = 0");
  REQUIRE(extra.step());
  CHECK(extra.column_text(0) == "[[\"contractNumber\",\"110001234\"]]");
}

TEST_CASE("unknown metering columns are a JSON array of pairs, escaped where the text needs it", "[pack][store]") {
  // Plain text is written directly, anything else through the JSON library: both must give the JSON
  // the library writes, and read back as the columns were.
  ReconcileResult r = sample_result();
  REQUIRE(r.rows.size() >= 3);
  r.rows[0].extra = {};
  r.rows[1].extra = {{"note", "plain text, 50% off"}, {"note", "a second column of the same name"}};
  r.rows[2].extra = {{"quote \" and \\", "tab\there"}, {"Z\xC3\xBCrich", "bad \xFF byte"}, {"ctl", std::string("\x01", 1)}};
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  auto st = db.prepare("SELECT extra FROM metering_rows ORDER BY id");
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(st.step());
    nlohmann::json expected = nlohmann::json::array();
    for (const auto& [name, value] : r.rows[i].extra) expected.push_back({name, value});
    INFO("row " << i);
    CHECK(st.column_text(0) == expected.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  CHECK(nlohmann::json::parse(rows_of(path, "SELECT extra FROM metering_rows WHERE id = 2")[0]["extra"])[1][1] ==
        "bad \xEF\xBF\xBD byte");
}

TEST_CASE("an event's read fields are columns named as in the event, with the values as written", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostEvent& slot = r.events.hosts["ws-0042"].events[0];
  Event logon = slot.to_event("ws-0042");
  // Fields nobody reads are not kept; a repeated name keeps its first value, as the reconstruction reads it.
  logon.fields = {{"SubjectUserSid", "S-1-5-18"}, {"TargetUserSid", "S-1-5-21-1-2-3-1104"},
                  {"TargetUserName", "jdoe"},     {"TargetDomainName", "CORP"},
                  {"TargetLogonId", "0x3e7a"},    {"LogonType", "02"},
                  {"ProcessName", "C:\\Windows\\System32\\winlogon.exe"},
                  {"ElevatedToken", "%%1842"},    {"TargetUserName", "someone-else"}};
  slot = logon;
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  const auto rows = rows_of(path, "SELECT event_id, computer, channel, provider, time_utc, TargetUserName, TargetDomainName,"
                                  " TargetUserSid, TargetLogonId, LogonType, typeof(LogonType) AS logon_type_type,"
                                  " ElevatedToken, TargetLinkedLogonId, User FROM events WHERE record_id = 100");
  REQUIRE(rows.size() == 1);
  const Row& e = rows[0];
  CHECK(e.at("event_id") == "4624");
  CHECK(e.at("computer") == "ws-0042.corp.example");
  CHECK(e.at("channel") == "Security");
  CHECK(e.at("provider") == "Microsoft-Windows-Security-Auditing");
  CHECK(e.at("time_utc") == "2025-03-03T08:00:00.000000Z");
  CHECK(e.at("TargetUserName") == "jdoe");
  CHECK(e.at("TargetDomainName") == "CORP");
  CHECK(e.at("TargetUserSid") == "S-1-5-21-1-2-3-1104");
  CHECK(e.at("TargetLogonId") == "0x3e7a");
  CHECK(e.at("LogonType") == "02");  // as written: text, not a number that would lose the leading zero
  CHECK(e.at("logon_type_type") == "text");
  CHECK(e.at("ElevatedToken") == "%%1842");
  CHECK(e.at("TargetLinkedLogonId") == "NULL");  // absent from the event
  CHECK(e.at("User") == "NULL");
  // The whole-record JSON of schema 1 is gone: the raw record is in the file the row names.
  CHECK(rows_of(path, "SELECT name FROM pragma_table_info('events') WHERE name IN ('fields', 'ProcessName', 'SubjectUserSid')").empty());
  CHECK(rows_of(path, "SELECT value FROM meta WHERE key = 'schema_version'").at(0).at("value") == "2");
}

namespace {

// The sample result with `n` more events cited by one session of ws-0042 (record ids from 1,000,000).
ReconcileResult sample_with_cited_events(std::uint64_t n) {
  ReconcileResult r = sample_result();
  HostEvents& he = r.events.hosts["ws-0042"];
  Session& terminal_server = r.timelines.hosts["ws-0042"].sessions[0];
  const HostEvent model = he.events[0];
  for (std::uint64_t i = 0; i < n; ++i) {
    HostEvent e = model;
    e.record_id = 1'000'000 + i;
    e.time += static_cast<Instant>(i) * kSecond;
    terminal_server.evidence.push_back(e.ref());
    he.events.push_back(std::move(e));
  }
  return r;
}

}  // namespace

TEST_CASE("a store of many thousands of cited events is written in one pass", "[pack][store]") {
  ReconcileResult r = sample_with_cited_events(50000);
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'full'") == 50004);
  CHECK(count(db, "SELECT count(*) FROM session_evidence se JOIN events e ON e.id = se.row_id"
                  " WHERE e.record_id = se.position") == 50002);
}

TEST_CASE("writing a store of many thousands of cited events keeps sqlite's memory under a fixed bound", "[pack][store]") {
  // The page cache and the index sorter are capped (write_evidence_store): the store's own memory
  // must not grow with the case, whose events and findings already fill the run's peak.
  ReconcileResult r = sample_with_cited_events(60000);
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  sqlite3_memory_highwater(1);  // measure this write alone
  write_evidence_store(r, path);
  const sqlite3_int64 sqlite_peak = sqlite3_memory_highwater(1);
  const auto store_bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  INFO("store " << store_bytes << " bytes, sqlite peak " << sqlite_peak << " bytes");
  REQUIRE(sqlite_peak > 0);                  // sqlite counts its memory in this build
  CHECK(store_bytes > 8 * (1 << 20));        // a store larger than the bound below...
  CHECK(sqlite_peak <= 2 * (1 << 20));       // ...written within it: 512 KiB cache, sorter runs as large, overhead
}

TEST_CASE("events nobody cites are not stored - the events claims rest on are", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostEvents& he = r.events.hosts["ws-0042"];
  // A service's network logons: relevant events the run read, on which no session, span or finding rests.
  for (std::uint64_t i = 0; i < 1000; ++i)
    he.events.push_back(make_event(1, 10'000 + i, "2025-03-03 10:00:00", 4624, "ws-0042",
                                   {{"TargetUserName", "svc_backup"}, {"LogonType", "3"}}));
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE TargetUserName = 'svc_backup'") == 0);
  // Rows 0.. are the cited events in host and time order, then the marks.
  auto st = db.prepare("SELECT id, record_id, stored FROM events ORDER BY id");
  std::vector<std::string> rows;
  while (st.step()) rows.push_back(std::to_string(st.column_int(0)) + " " + std::to_string(st.column_int(1)) + " " + st.column_text(2));
  CHECK(rows == std::vector<std::string>{"0 100 full", "1 140 full", "2 141 full", "3 150 full", "4 151 mark", "5 190 mark"});
}

TEST_CASE("forwarded events from two machines with the same record number are both stored", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostEvents& other = r.events.hosts["ws-0099"];
  other.host = "ws-0099";
  // Same file, same EventRecordID as ws-0042's logon: a forwarded-events export mixes machines.
  other.events.push_back(make_event(1, 100, "2025-03-03 09:00:00", 4624, "ws-0099", {{"TargetUserName", "mary"}}));
  // mary's session on ws-0099 rests on it.
  Session mary = r.timelines.hosts["ws-0042"].sessions[0];
  mary.id = 2;
  mary.host = "ws-0099";
  mary.user = "mary";
  mary.idle.clear();
  mary.evidence = {EvidenceRef{1, 100, false}};
  r.timelines.hosts["ws-0099"].host = "ws-0099";
  r.timelines.hosts["ws-0099"].sessions.push_back(mary);
  // And a finding about a charge on ws-0099 quotes it.
  r.rows.push_back(make_row(6, "C-1005", "mary", "mary", "WS-0099", "ws-0099", "ACD", "2025-03-03 09:30:00", kHour, 7.0));
  Finding f = r.results.findings[0];
  f.id = "F0005";
  f.row = r.rows.size() - 1;
  f.evidence = {r.rows.back().ref(), EvidenceRef{1, 100, false}};
  r.results.findings.push_back(f);
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE source_id = 1 AND record_id = 100") == 2);
  // Each session's citation of that record resolves to its own host's copy.
  CHECK(count(db, "SELECT count(*) FROM session_evidence se JOIN sessions s ON s.id = se.session_id"
                  " JOIN events e ON e.id = se.row_id WHERE se.position = 100 AND e.host = s.host") == 2);
  CHECK(count(db, "SELECT count(*) FROM events WHERE record_id = 100 AND host = 'ws-0099' AND TargetUserName = 'mary'") == 1);
  CHECK(count(db, "SELECT count(*) FROM finding_evidence fe JOIN events e ON e.id = fe.row_id"
                  " WHERE fe.kind = 'event' AND fe.finding_id = 'F0005' AND e.host = 'ws-0099' AND e.record_id = 100") == 1);
  CHECK(count(db, "SELECT count(*) FROM finding_evidence fe JOIN events e ON e.id = fe.row_id"
                  " WHERE fe.kind = 'event' AND fe.finding_id = 'F0001' AND e.host = 'ws-0042'") == 2);
}

TEST_CASE("a conflicting duplicate is stored with both copies, each resolving to its source file", "[pack][store]") {
  ReconcileResult r = sample_result();
  // The same Security record in a second export that says something else.
  r.sources.add({"later-export/ws-0042-Security.xml", SourceKind::Events, "wevtutil-xml", std::string(64, 'd'), 99, ""});
  r.events.conflicts = {{"ws-0042", "Security", 141, EvidenceRef{1, 141, false}, EvidenceRef{3, 141, false}}};
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  auto st = db.prepare(
      "SELECT d.host, d.channel, d.record_id, d.kept_ref, k.name, k.sha256, d.dropped_ref, x.name, x.sha256 "
      "FROM duplicate_conflicts d JOIN source_files k ON k.id = d.kept_source_id "
      "JOIN source_files x ON x.id = d.dropped_source_id");
  REQUIRE(st.step());
  CHECK(st.column_text(0) == "ws-0042");
  CHECK(st.column_text(1) == "Security");
  CHECK(st.column_int(2) == 141);
  CHECK(st.column_text(3) == "logs/ws-0042-Security.xml#141");
  CHECK(st.column_text(4) == "logs/ws-0042-Security.xml");
  CHECK(st.column_text(5) == std::string(64, 'b'));
  CHECK(st.column_text(6) == "later-export/ws-0042-Security.xml#141");
  CHECK(st.column_text(7) == "later-export/ws-0042-Security.xml");
  CHECK(st.column_text(8) == std::string(64, 'd'));
  CHECK_FALSE(st.step());
}

TEST_CASE("an input that could not be read is a source file with its error and no hash", "[pack][store]") {
  ReconcileResult r = sample_result();
  r.sources.add({"logs/pipe", SourceKind::Events, "", "", 0, "skipped: FIFO"});
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM source_files WHERE name = 'logs/pipe' AND sha256 IS NULL AND error = 'skipped: FIFO'") == 1);
  CHECK(count(db, "SELECT count(*) FROM source_files WHERE error IS NULL") == 3);
}

TEST_CASE("the same result gives a byte-identical evidence store", "[pack][store]") {
  ReconcileResult r = sample_result();
  r.events.hosts["ws-0042"].events.push_back(make_event(1, 10'000, "2025-03-03 10:00:00", 4624, "ws-0042",
                                                        {{"TargetUserName", "svc_backup"}, {"LogonType", "3"}}));
  ScratchDir dir;
  const auto a = dir.path() / "a.sqlite";
  const auto b = dir.path() / "b.sqlite";
  write_evidence_store(r, a.string());
  write_evidence_store(r, b.string());
  CHECK(read_file(a) == read_file(b));
}

TEST_CASE("a store given the pack's shared index is the same store, and asks for the index once", "[pack][store]") {
  // write_pack builds one index for the store and the dossier; the store asks for it only after the
  // tables that need none, so that it can be built on another thread meanwhile.
  ReconcileResult r = sample_result();
  ScratchDir dir;
  const auto own = dir.path() / "own.sqlite";
  const auto shared = dir.path() / "shared.sqlite";
  write_evidence_store(r, own.string());
  const EvidenceIndex index(r);
  int asked = 0;
  write_evidence_store(r, shared.string(), [&]() -> const EvidenceIndex& {
    ++asked;
    return index;
  });
  CHECK(asked == 1);
  CHECK(read_file(own) == read_file(shared));
}

TEST_CASE("hosts holding their events packed, as a run leaves them, give the same evidence store", "[pack][store]") {
  ReconcileResult r = sample_result();
  ScratchDir dir;
  const auto held = dir.path() / "held.sqlite";
  const auto packed = dir.path() / "packed.sqlite";
  write_evidence_store(r, held.string());
  std::size_t events = 0;
  // In the cited-events file, as a run leaves them since the rss work; in memory for library callers.
  const auto file = std::make_shared<PackedEventFile>(dir.path().string());
  bool on_file = true;
  for (auto& [name, host] : r.events.hosts) {
    events += host.events.size();
    pack_events(host, on_file ? file : nullptr);
    on_file = !on_file;
  }
  REQUIRE(events > 0);
  REQUIRE(file->size() > 0);
  write_evidence_store(r, packed.string());
  CHECK(read_file(held) == read_file(packed));
}

TEST_CASE("the sample case's store: every claim's evidence resolves to a stored row and a hashed source file",
          "[pack][store][sample]") {
  const std::string& path = sample_store();
  CHECK(unresolved_evidence(path).empty());
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM finding_evidence") > 0);
  CHECK(count(db, "SELECT count(*) FROM session_evidence") > 0);
  CHECK(count(db, "SELECT count(*) FROM idle_spans WHERE evidence <> ''") > 0);
  CHECK(count(db, "SELECT count(*) FROM power_spans WHERE evidence <> ''") > 0);
  CHECK(count(db, "SELECT count(*) FROM coverage_gaps WHERE evidence <> ''") > 0);
  // Only what claims cite is stored: every stored event is cited by a link or a span.
  CHECK(count(db, "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM finding_evidence fe WHERE fe.kind = 'event'"
                  " AND fe.row_id = e.id) AND NOT EXISTS (SELECT 1 FROM session_evidence se WHERE se.kind = 'event'"
                  " AND se.row_id = e.id) AND NOT EXISTS (SELECT 1 FROM source_files s, (SELECT evidence FROM idle_spans"
                  " UNION ALL SELECT evidence FROM power_spans UNION ALL SELECT evidence FROM coverage_gaps) spans"
                  " WHERE s.id = e.source_id AND (';' || spans.evidence || ';' LIKE '%;' || s.name || '#' || e.record_id || ';%'"
                  " OR ';' || spans.evidence || ';' LIKE '%;' || s.name || ':' || e.line || ';%'))") == 0);
}

TEST_CASE("every query of docs/evidence-store.md answers from the sample case's store", "[pack][store][sample]") {
  const std::string& path = sample_store();
  const std::vector<std::string> queries = documented_queries();
  REQUIRE(queries.size() >= 6);
  for (const std::string& sql : queries) {
    INFO(sql);
    const std::vector<Row> rows = rows_of(path, sql);
    CHECK_FALSE(rows.empty());
    // The query's main table: the first line that starts with FROM (subqueries are indented).
    std::smatch from;
    REQUIRE(std::regex_search(sql, from, std::regex(R"((^|\n)FROM (\w+))")));
    const std::string table = from[2].str();
    if (table == "finding_evidence") {
      // F00001: the launch at 02:14 on ws-0101 (samples/README.md), its metering row, then the Security
      // records showing nobody was logged on; each with its file and SHA-256.
      const auto expected = rows_of(path, "SELECT ref FROM finding_evidence WHERE finding_id = 'F00001' ORDER BY seq");
      REQUIRE(rows.size() == expected.size());
      CHECK(rows.size() > 2);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].at("ref") == expected[i].at("ref"));
        CHECK(rows[i].at("sha256").size() == 64);
        CHECK(rows[i].at("file") != "NULL");
      }
      CHECK(rows[0].at("kind") == "metering_row");
      CHECK(rows[0].at("file") == std::string(FLEXRECON_SOURCE_DIR) + "/samples/metering.csv");  // as given
      CHECK(rows[0].at("metering_record") == "LRT-1002");
      CHECK(rows[0].at("charge_start") == "2026-11-03T02:14:00.000000Z");
      for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK(rows[i].at("kind") == "event");
        CHECK(rows[i].at("channel") == "Security");
        CHECK(rows[i].at("time_utc").substr(0, 8) == "2026-11-");
      }
      // The logons among them say who, in the columns named after the event's fields.
      bool alice = false;
      for (const Row& r : rows) alice = alice || (r.at("event_id") == "4624" && r.at("TargetUserName") == "alice");
      CHECK(alice);
    } else if (table == "charges") {
      for (const Row& r : rows) CHECK(r.at("start_utc").substr(0, 10) == "2026-11-03");
      CHECK(rows.at(0).at("outcome") == "challenged");
      CHECK(rows.at(0).at("finding_id") == "F00001");
      CHECK(rows.at(0).at("rule") == "background");
    } else if (table == "coverage_gaps") {
      CHECK(rows.size() == rows_of(path, "SELECT id FROM coverage_gaps").size());
      CHECK(rows.at(0).at("kind") != "NULL");
    } else if (table == "sessions") {
      CHECK(rows.size() == 1);
      CHECK(rows.at(0).at("user") == "alice");
    } else if (table == "session_evidence") {
      for (const Row& r : rows) CHECK(r.at("sha256").size() == 64);
      CHECK(rows.at(0).at("event_id") == "4624");
    } else if (table == "events") {
      for (const Row& r : rows) CHECK(r.at("time_utc").substr(0, 10) == "2026-11-03");
    } else {
      FAIL("no check for a documented query on " << table << ": add one here");
    }
  }
}
