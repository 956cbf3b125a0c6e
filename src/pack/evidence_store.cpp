#include "pack/evidence_store.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pack/bulk_insert.h"
#include "pack/evidence_index.h"
#include "pack/evidence_store_events.h"
#include "pack/fixed_time.h"
#include "pack/sqlite_db.h"
#include "pack/totals.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// Kept in step with docs/evidence-store.md (and its schema_version below). Times are fixed-width UTC
// text so they sort and compare as strings; NULL where a span is open-ended.
constexpr const char* kSchemaVersion = "2";
constexpr const char* kSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE source_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, format TEXT,
  sha256 TEXT, size INTEGER, error TEXT);
CREATE TABLE metering_rows (id INTEGER PRIMARY KEY, source_id INTEGER REFERENCES source_files(id),
  line INTEGER, record_id TEXT, user_raw TEXT, user TEXT, host_raw TEXT, host TEXT, product_code TEXT,
  product_name TEXT, version TEXT, start_utc TEXT, end_utc TEXT, usage_date TEXT, tokens REAL,
  category TEXT, is_charge INTEGER, day_granular INTEGER, extra TEXT);
CREATE TABLE inventory (id INTEGER PRIMARY KEY, source_id INTEGER REFERENCES source_files(id), line INTEGER,
  host TEXT, product_code TEXT, display_name TEXT, version TEXT, installed_utc TEXT, removed_utc TEXT);
CREATE TABLE sessions (id INTEGER NOT NULL, host TEXT, user TEXT, logon_type INTEGER, logon_id TEXT,
  start_utc TEXT, end_utc TEXT, start_inferred INTEGER, open_at_end INTEGER, start_reason TEXT, end_reason TEXT);
CREATE TABLE session_evidence (session_id INTEGER, seq INTEGER, ref TEXT, kind TEXT, row_id INTEGER,
  source_id INTEGER, position INTEGER);
CREATE TABLE idle_spans (id INTEGER PRIMARY KEY, session_id INTEGER, host TEXT, kind TEXT, start_utc TEXT,
  end_utc TEXT, evidence TEXT);
CREATE TABLE power_spans (id INTEGER PRIMARY KEY, host TEXT, start_utc TEXT, end_utc TEXT, reason TEXT,
  evidence TEXT);
CREATE TABLE coverage_gaps (id INTEGER PRIMARY KEY, host TEXT, kind TEXT, start_utc TEXT, end_utc TEXT,
  description TEXT, evidence TEXT);
CREATE TABLE coverage_spans (id INTEGER PRIMARY KEY, host TEXT, start_utc TEXT, end_utc TEXT);
CREATE TABLE charges (metering_row_id INTEGER PRIMARY KEY REFERENCES metering_rows(id), user TEXT, host TEXT,
  product_code TEXT, version TEXT, start_utc TEXT, end_utc TEXT, tokens_billed REAL, tokens_challenged REAL,
  outcome TEXT, finding_id TEXT);
CREATE TABLE findings (id TEXT PRIMARY KEY, status TEXT, rule TEXT, confidence TEXT,
  metering_row_id INTEGER REFERENCES metering_rows(id), tokens_challenged REAL, other_rules TEXT, reason TEXT,
  evidence TEXT, session_ids TEXT);
CREATE TABLE finding_evidence (finding_id TEXT REFERENCES findings(id), seq INTEGER, ref TEXT, kind TEXT,
  row_id INTEGER, source_id INTEGER, position INTEGER);
CREATE TABLE rejects (id INTEGER PRIMARY KEY, source TEXT, location TEXT, reason TEXT);
CREATE TABLE duplicate_conflicts (id INTEGER PRIMARY KEY, host TEXT, channel TEXT, record_id INTEGER,
  kept_source_id INTEGER REFERENCES source_files(id), kept_ref TEXT,
  dropped_source_id INTEGER REFERENCES source_files(id), dropped_ref TEXT);
)sql";

// The event fields the reconstruction (src/sessions, src/challenges) or the dossier reads: each is a
// column of `events` named exactly as the field is in the event, so an auditor reads the same name
// in the store and in the raw record. A field the code starts reading belongs here (and in
// docs/evidence-store.md, with a new schema_version).
constexpr std::array<std::string_view, 22> kFieldColumns = {
    "LogonType",     "TargetUserName", "TargetDomainName", "TargetUserSid", "TargetLogonId", "TargetLinkedLogonId",
    "ElevatedToken", "SubjectUserName", "AccountName",     "LogonID",       "SessionName",   "User",
    "SessionID",     "Address",         "Session",         "TargetSession", "Param1",        "PreviousTime",
    "NewTime",       "Data1",           "Data2",           "Binary"};

// The header columns of `events`; the field columns follow them.
constexpr const char* kEventHeader =
    "id INTEGER PRIMARY KEY, source_id INTEGER REFERENCES source_files(id), record_id INTEGER, line INTEGER, "
    "host TEXT, computer TEXT, channel TEXT, provider TEXT, event_id INTEGER, time_utc TEXT, stored TEXT NOT NULL";
constexpr int kEventHeaderColumns = 11;

std::string events_schema() {
  std::string sql = std::string("CREATE TABLE events (") + kEventHeader;
  for (std::string_view field : kFieldColumns) sql += ", " + std::string(field) + " TEXT";
  return sql + ");";
}

// Built after the bulk insert: cheaper than maintaining them row by row.
constexpr const char* kIndexes = R"sql(
CREATE INDEX events_by_ref ON events(source_id, record_id);
CREATE INDEX events_by_host_time ON events(host, time_utc);
CREATE INDEX metering_by_host_start ON metering_rows(host, start_utc);
CREATE INDEX charges_by_host_start ON charges(host, start_utc);
CREATE INDEX sessions_by_host_start ON sessions(host, start_utc);
CREATE INDEX finding_evidence_by_finding ON finding_evidence(finding_id, seq);
CREATE INDEX session_evidence_by_session ON session_evidence(session_id, seq);
CREATE INDEX gaps_by_host ON coverage_gaps(host, start_utc);
CREATE INDEX covered_by_host ON coverage_spans(host, start_utc);
)sql";

// True when `s` is JSON string content as it is: printable ASCII, no quote or backslash.
bool json_verbatim(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
}

// A metering row's unknown columns as a JSON array of [name, value] pairs, which keeps their order
// and duplicates, written into `out`. Written directly when every name and value is plain text (the
// usual case: the same bytes nlohmann writes for them), else by nlohmann, which escapes and repairs.
std::string_view extra_json(const std::vector<std::pair<std::string, std::string>>& extra, std::string& out) {
  const bool verbatim = std::all_of(extra.begin(), extra.end(), [](const auto& column) {
    return json_verbatim(column.first) && json_verbatim(column.second);
  });
  if (!verbatim) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& [name, value] : extra) array.push_back({name, value});
    out = array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  }
  out = "[";
  for (const auto& [name, value] : extra) {
    if (out.size() > 1) out += ',';
    out.append("[\"").append(name).append("\",\"").append(value).append("\"]");
  }
  out += ']';
  return out;
}

// `0x3e7`, written into `buf`.
std::string_view hex(std::uint64_t v, char (&buf)[24]) {
  const int n = std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return std::string_view(buf, static_cast<std::size_t>(n));
}

// Where a reference lands in the store: the table kind and the row id there.
struct Resolved {
  std::string_view kind;  // "metering_row", "inventory", "event", "line"
  std::optional<std::int64_t> row_id;
};

class StoreWriter {
 public:
  StoreWriter(const ReconcileResult& result, SqliteDb& db) : r_(result), db_(db) {}

  void write(const EvidenceIndexSource& index) {
    db_.exec(kSchema);
    db_.exec(events_schema());
    write_meta();
    write_sources();
    write_metering();
    write_inventory();
    // The rest resolves references: asked for only now, so another thread can build the index
    // meanwhile (write_pack).
    index_ = &index();
    stored_.emplace(r_, *index_);
    write_events();
    write_timelines();
    write_findings_and_charges();
    write_rejects();
    write_conflicts();
    db_.exec(kIndexes);
  }

 private:
  void write_meta() {
    auto st = db_.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)");
    st.bind(1, std::string("tool_version")).bind(2, std::string(FLEXRECON_VERSION)).run();
    st.bind(1, std::string("as_of")).bind(2, r_.options.as_of).run();
    st.bind(1, std::string("rules_hash")).bind(2, r_.rules.hash).run();
    st.bind(1, std::string("schema_version")).bind(2, std::string(kSchemaVersion)).run();
  }

  void write_sources() {
    auto st = db_.prepare(
        "INSERT INTO source_files(id, name, kind, format, sha256, size, error) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    const auto& files = r_.sources.all();
    const auto text_or_null = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    for (std::size_t i = 0; i < files.size(); ++i) {
      const SourceFile& f = files[i];
      st.bind(1, static_cast<std::int64_t>(i)).bind(2, f.name).bind(3, std::string(source_kind_name(f.kind))).bind(4, f.format);
      st.bind(5, text_or_null(f.sha256)).bind(6, static_cast<std::int64_t>(f.size)).bind(7, text_or_null(f.error)).run();
    }
  }

  void write_metering() {
    BulkInsert rows(db_,
                    "metering_rows(id, source_id, line, record_id, user_raw, user, host_raw, host, product_code, "
                    "product_name, version, start_utc, end_utc, usage_date, tokens, category, is_charge, "
                    "day_granular, extra)",
                    19);
    // The texts formatted here stay in their row's slot until the row is written (BulkInsert).
    struct Formatted {
      FixedTime start, end;
      std::string usage_date, extra;
    };
    std::array<Formatted, BulkInsert::kRowsPerStatement> slots;
    for (std::size_t i = 0; i < r_.rows.size(); ++i) {
      const MeteringRow& row = r_.rows[i];
      Formatted& text = slots[rows.slot()];
      rows.integer(1, static_cast<std::int64_t>(i)).integer(2, static_cast<std::int64_t>(row.source));
      rows.integer(3, static_cast<std::int64_t>(row.line)).text(4, row.record_id).text(5, row.user_raw).text(6, row.user);
      rows.text(7, row.host_raw).text(8, row.host).text(9, row.product_code).text(10, row.product_name);
      rows.text(11, row.version).text_or_null(12, text.start.format(row.start)).text_or_null(13, text.end.format(row.end));
      if (row.usage_date) rows.text(14, text.usage_date = format_date(*row.usage_date));
      rows.real(15, round_tokens(row.tokens)).text(16, row.category);
      rows.integer(17, static_cast<std::int64_t>(row.is_charge)).integer(18, static_cast<std::int64_t>(row.day_granular));
      rows.text(19, extra_json(row.extra, text.extra)).end_row();
    }
    rows.finish();
  }

  void write_inventory() {
    auto st = db_.prepare(
        "INSERT INTO inventory(id, source_id, line, host, product_code, display_name, version, installed_utc, "
        "removed_utc) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    FixedTime installed, removed;
    for (std::size_t i = 0; i < r_.inventory.size(); ++i) {
      const InventoryRow& row = r_.inventory[i];
      st.bind(1, static_cast<std::int64_t>(i)).bind(2, static_cast<std::int64_t>(row.source));
      st.bind(3, static_cast<std::int64_t>(row.line)).bind_static(4, row.host).bind_static(5, row.product_code);
      st.bind_static(6, row.display_name).bind_static(7, row.version).bind_static_or_null(8, installed.format(row.installed));
      st.bind_static_or_null(9, removed.format(row.removed)).run();
    }
  }

  // The events claims rest on (StoredEvents decides which), each with the fields the reconstruction
  // reads as columns; then a `mark` row for each cited record known only from coverage.
  void write_events() {
    BulkInsert rows(db_, "events", kEventHeaderColumns + static_cast<int>(kFieldColumns.size()));
    // A row's texts are bound in place and written up to kRowsPerStatement rows later: each row
    // slot has its decoded event (reused from batch to batch, strings and all) and time buffer.
    std::array<Event, BulkInsert::kRowsPerStatement> events;
    std::array<FixedTime, BulkInsert::kRowsPerStatement> times;
    for (std::size_t i = 0; i < stored_->event_count(); ++i) {
      Event& e = events[rows.slot()];
      stored_->event(i, e);
      rows.integer(1, static_cast<std::int64_t>(i)).integer(2, static_cast<std::int64_t>(e.source));
      rows.integer(3, static_cast<std::int64_t>(e.record_id)).integer(4, static_cast<std::int64_t>(e.line)).text(5, e.host);
      rows.text(6, e.computer).text(7, e.channel_name).text(8, e.provider).integer(9, static_cast<std::int64_t>(e.event_id));
      rows.text_or_null(10, times[rows.slot()].format(e.time)).text(11, "full");
      // One pass over the event's fields; the first of a repeated name wins, as Event::field reads it.
      std::array<bool, kFieldColumns.size()> bound{};
      for (const EventField& f : e.fields) {
        const auto it = std::find(kFieldColumns.begin(), kFieldColumns.end(), f.name);
        if (it == kFieldColumns.end()) continue;
        const auto column = static_cast<std::size_t>(it - kFieldColumns.begin());
        if (bound[column]) continue;
        bound[column] = true;
        rows.text(kEventHeaderColumns + 1 + static_cast<int>(column), f.value);
      }
      rows.end_row();
    }
    auto id = static_cast<std::int64_t>(stored_->event_count());
    for (const StoredEvents::Mark& m : stored_->marks()) {
      rows.integer(1, id).integer(2, static_cast<std::int64_t>(m.ref.source)).integer(3, static_cast<std::int64_t>(m.ref.position));
      if (m.mark) {
        rows.integer(3, static_cast<std::int64_t>(m.mark->record_id));
        if (m.mark->line) rows.integer(4, static_cast<std::int64_t>(m.mark->line));
        rows.text(5, *m.host).text(7, "Security").text_or_null(10, times[rows.slot()].format(m.mark->time));
      }
      rows.text(11, "mark").end_row();
      ++id;
    }
    rows.finish();
  }

  // `host`: the host the citing claim concerns (see StoredEvents::row_id).
  Resolved resolve(const EvidenceRef& ref, std::string_view host) const {
    if (ref.is_line) {
      if (auto i = index_->metering_row(ref)) return {"metering_row", static_cast<std::int64_t>(*i)};
      if (auto i = index_->inventory_row(ref)) return {"inventory", static_cast<std::int64_t>(*i)};
      // A SIEM export's line: an event, or a Security record cited for coverage.
      if (auto id = stored_->row_id(ref, host)) return {"event", id};
      return {"line", std::nullopt};  // a line of another input (identity map, rates): the file itself
    }
    return {"event", stored_->row_id(ref, host)};
  }

  // `refs` as text, `;`-separated, written into `out` (a buffer a statement binds in place).
  std::string_view refs_text(const std::vector<EvidenceRef>& refs, std::string& out) const {
    out.clear();
    for (std::size_t i = 0; i < refs.size(); ++i) {
      if (i) out += ';';
      append_ref_safe(out, r_.sources, refs[i]);
    }
    return out;
  }
  std::string_view ref_text(const EvidenceRef& ref, std::string& out) const {
    out.clear();
    append_ref_safe(out, r_.sources, ref);
    return out;
  }

  void write_timelines() {
    auto sessions = db_.prepare(
        "INSERT INTO sessions(id, host, user, logon_type, logon_id, start_utc, end_utc, start_inferred, open_at_end, "
        "start_reason, end_reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    auto session_evidence = db_.prepare(
        "INSERT INTO session_evidence(session_id, seq, ref, kind, row_id, source_id, position) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    auto idle = db_.prepare(
        "INSERT INTO idle_spans(session_id, host, kind, start_utc, end_utc, evidence) VALUES (?1,?2,?3,?4,?5,?6)");
    auto power = db_.prepare(
        "INSERT INTO power_spans(host, start_utc, end_utc, reason, evidence) VALUES (?1,?2,?3,?4,?5)");
    auto gaps = db_.prepare(
        "INSERT INTO coverage_gaps(host, kind, start_utc, end_utc, description, evidence) "
        "VALUES (?1,?2,?3,?4,?5,?6)");
    auto covered = db_.prepare("INSERT INTO coverage_spans(host, start_utc, end_utc) VALUES (?1,?2,?3)");
    // The texts are bound in place (bind_static): the result's own strings, and buffers that keep
    // each row's formatted times, logon id and references until its run().
    FixedTime start, end;
    std::string refs;
    char logon_id[24];
    for (const auto& [host, tl] : r_.timelines.hosts) {
      for (const Span& span : tl.covered)
        covered.bind_static(1, host).bind_static_or_null(2, start.format(span.begin)).bind_static_or_null(3, end.format(span.end)).run();
      for (const Session& s : tl.sessions) {
        const auto sid = static_cast<std::int64_t>(s.id);
        sessions.bind(1, sid).bind_static(2, s.host).bind_static(3, s.user).bind(4, static_cast<std::int64_t>(s.logon_type));
        sessions.bind_static(5, hex(s.logon_id, logon_id)).bind_static_or_null(6, start.format(s.span.begin));
        sessions.bind_static_or_null(7, end.format(s.span.end)).bind(8, static_cast<std::int64_t>(s.start_inferred));
        sessions.bind(9, static_cast<std::int64_t>(s.open_at_end));
        sessions.bind_static(10, s.start_reason).bind_static(11, s.end_reason).run();
        for (std::size_t i = 0; i < s.evidence.size(); ++i) {
          const Resolved where = resolve(s.evidence[i], s.host);
          session_evidence.bind(1, sid).bind(2, static_cast<std::int64_t>(i)).bind_static(3, ref_text(s.evidence[i], refs));
          session_evidence.bind_static(4, where.kind).bind(5, where.row_id);
          session_evidence.bind(6, static_cast<std::int64_t>(s.evidence[i].source));
          session_evidence.bind(7, static_cast<std::int64_t>(s.evidence[i].position)).run();
        }
        for (const IdleSpan& span : s.idle) {
          idle.bind(1, sid).bind_static(2, s.host).bind_static(3, span.kind).bind_static_or_null(4, start.format(span.span.begin));
          idle.bind_static_or_null(5, end.format(span.span.end)).bind_static(6, refs_text(span.evidence, refs)).run();
        }
      }
      for (const PowerSpan& p : tl.power_off) {
        power.bind_static(1, host).bind_static_or_null(2, start.format(p.span.begin)).bind_static_or_null(3, end.format(p.span.end));
        power.bind_static(4, p.reason).bind_static(5, refs_text(p.evidence, refs)).run();
      }
      for (const CoverageGap& g : tl.uncovered) {
        gaps.bind_static(1, host).bind_static(2, g.kind).bind_static_or_null(3, start.format(g.span.begin));
        gaps.bind_static_or_null(4, end.format(g.span.end)).bind_static(5, g.description).bind_static(6, refs_text(g.evidence, refs)).run();
      }
    }
  }

  void write_findings_and_charges() {
    auto findings = db_.prepare(
        "INSERT INTO findings(id, status, rule, confidence, metering_row_id, tokens_challenged, other_rules, reason, "
        "evidence, session_ids) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    auto links = db_.prepare(
        "INSERT INTO finding_evidence(finding_id, seq, ref, kind, row_id, source_id, position) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    // The charge's outcome is its challenged or insufficient-evidence finding; notes do not decide it.
    std::map<std::size_t, const Finding*> deciding;
    std::string refs;
    for (const Finding& f : r_.results.findings) {
      std::vector<std::string> session_ids;
      for (std::uint64_t id : f.session_ids) session_ids.push_back(std::to_string(id));
      findings.bind_static(1, f.id).bind_static(2, status_name(f.status)).bind_static(3, f.rule);
      findings.bind_static(4, confidence_name(f.confidence));
      if (f.row < r_.rows.size()) findings.bind(5, static_cast<std::int64_t>(f.row));
      findings.bind(6, round_tokens(f.tokens_challenged)).bind(7, join(f.other_rules, ";")).bind_static(8, f.reason);
      findings.bind_static(9, refs_text(f.evidence, refs)).bind(10, join(session_ids, ";")).run();
      const std::string_view host = StoredEvents::citing_host(r_, f);
      for (std::size_t i = 0; i < f.evidence.size(); ++i) {
        const Resolved where = resolve(f.evidence[i], host);
        links.bind_static(1, f.id).bind(2, static_cast<std::int64_t>(i)).bind_static(3, ref_text(f.evidence[i], refs));
        links.bind_static(4, where.kind).bind(5, where.row_id).bind(6, static_cast<std::int64_t>(f.evidence[i].source));
        links.bind(7, static_cast<std::int64_t>(f.evidence[i].position)).run();
      }
      if (f.status == FindingStatus::Note || f.row >= r_.rows.size()) continue;
      auto& slot = deciding[f.row];
      if (!slot || (slot->status != FindingStatus::Challenged && f.status == FindingStatus::Challenged)) slot = &f;
    }

    // Its own loop, after the findings: its rows can go sixteen to a statement (BulkInsert).
    BulkInsert charges(db_,
                       "charges(metering_row_id, user, host, product_code, version, start_utc, end_utc, "
                       "tokens_billed, tokens_challenged, outcome, finding_id)",
                       11);
    std::array<std::pair<FixedTime, FixedTime>, BulkInsert::kRowsPerStatement> times;  // start, end of each row
    for (std::size_t i = 0; i < r_.rows.size(); ++i) {
      const MeteringRow& row = r_.rows[i];
      if (!row.is_charge) continue;
      auto it = deciding.find(i);
      const Finding* f = it == deciding.end() ? nullptr : it->second;
      const bool challenged = f && f->status == FindingStatus::Challenged;
      auto& [start, end] = times[charges.slot()];
      charges.integer(1, static_cast<std::int64_t>(i)).text(2, row.user).text(3, row.host).text(4, row.product_code);
      charges.text(5, row.version).text_or_null(6, start.format(row.start)).text_or_null(7, end.format(row.end));
      charges.real(8, round_tokens(row.tokens)).real(9, challenged ? round_tokens(f->tokens_challenged) : 0.0);
      charges.text(10, f ? status_name(f->status) : std::string_view("not-challenged"));
      charges.text_or_null(11, f ? std::optional<std::string_view>(f->id) : std::nullopt).end_row();
    }
    charges.finish();
  }

  void write_rejects() {
    auto st = db_.prepare("INSERT INTO rejects(id, source, location, reason) VALUES (?1,?2,?3,?4)");
    for (std::size_t i = 0; i < r_.rejects.size(); ++i) {
      const Reject& rj = r_.rejects[i];
      st.bind(1, static_cast<std::int64_t>(i)).bind(2, rj.source).bind(3, rj.location).bind(4, rj.reason).run();
    }
  }

  // Both copies of each conflicting duplicate: the one kept (first in input order) and the one dropped.
  void write_conflicts() {
    auto st = db_.prepare(
        "INSERT INTO duplicate_conflicts(id, host, channel, record_id, kept_source_id, kept_ref, dropped_source_id, "
        "dropped_ref) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    for (std::size_t i = 0; i < r_.events.conflicts.size(); ++i) {
      const DuplicateConflict& c = r_.events.conflicts[i];
      st.bind(1, static_cast<std::int64_t>(i)).bind(2, c.host).bind(3, c.channel);
      st.bind(4, static_cast<std::int64_t>(c.record_id));
      st.bind(5, static_cast<std::int64_t>(c.kept.source)).bind(6, format_ref(r_.sources, c.kept));
      st.bind(7, static_cast<std::int64_t>(c.dropped.source)).bind(8, format_ref(r_.sources, c.dropped)).run();
    }
  }

  const ReconcileResult& r_;
  SqliteDb& db_;
  const EvidenceIndex* index_ = nullptr;
  std::optional<StoredEvents> stored_;
};

}  // namespace

void write_evidence_store(const ReconcileResult& result, const std::string& path) {
  std::optional<EvidenceIndex> index;
  write_evidence_store(result, path, [&]() -> const EvidenceIndex& { return index.emplace(result); });
}

void write_evidence_store(const ReconcileResult& result, const std::string& path, const EvidenceIndexSource& index) {
  SqliteDb db(path);
  // A fresh file in the pack's temporary folder: no journal and no syncs until the end, since a failed
  // run throws the whole folder away. That is what keeps millions of rows fast. The page cache is
  // capped at 512 KiB and index sorts spill to temporary files: rows are appended in order and each
  // index is built from sorted runs, so a larger cache only held the database in memory for no
  // measurable speed, and the sorter sizes its in-memory runs by the same cap. With 2 MiB, sqlite
  // took 4.3 MB at its peak, the indexes' build at the end of the run (docs/scale.md); 1.6 MB now.
  db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA locking_mode=EXCLUSIVE; "
          "PRAGMA temp_store=FILE; PRAGMA cache_size=-512;");
  db.exec("BEGIN");
  StoreWriter(result, db).write(index);
  db.exec("COMMIT");
}

}  // namespace flexrecon
