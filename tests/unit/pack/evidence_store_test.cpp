#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "pack/evidence_store.h"
#include "pack/sqlite_db.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

std::int64_t count(SqliteDb& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.column_int(0);
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
  auto ev = db.prepare("SELECT fields FROM events WHERE record_id = 100");
  REQUIRE(ev.step());
  CHECK(ev.column_text(0).find("[\"TargetUserName\",\"jdoe\"]") != std::string::npos);
}

TEST_CASE("a store of many thousands of events is written in one pass", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostEvents& he = r.events.hosts["ws-0042"];
  const Event model = he.events[0];
  for (std::uint64_t i = 0; i < 50000; ++i) {
    Event e = model;
    e.record_id = 1'000'000 + i;
    e.time += static_cast<Instant>(i) * kSecond;
    he.events.push_back(std::move(e));
  }
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE stored = 'full'") == 50004);
}

TEST_CASE("forwarded events from two machines with the same record number are both stored", "[pack][store]") {
  ReconcileResult r = sample_result();
  HostEvents& other = r.events.hosts["ws-0099"];
  other.host = "ws-0099";
  // Same file, same EventRecordID as ws-0042's logon: a forwarded-events export mixes machines.
  other.events.push_back(make_event(1, 100, "2025-03-03 09:00:00", 4624, "ws-0099", {{"TargetUserName", "mary"}}));
  ScratchDir dir;
  const std::string path = (dir.path() / "evidence.sqlite").string();
  write_evidence_store(r, path);
  SqliteDb db(path);
  CHECK(count(db, "SELECT count(*) FROM events WHERE source_id = 1 AND record_id = 100") == 2);
  // A citation of that record resolves to the first copy in host order.
  CHECK(count(db, "SELECT count(*) FROM session_evidence se JOIN events e ON e.id = se.row_id"
                  " WHERE se.position = 100 AND e.host = 'ws-0042'") == 1);
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
