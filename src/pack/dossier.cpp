#include "pack/dossier.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include <kainjow/mustache.hpp>

#include "flexrecon/span_index.h"
#include "pack/dossier_list_rows.h"
#include "pack/dossier_page_names.h"
#include "pack/dossier_templates.h"
#include "pack/evidence_index.h"
#include "pack/fixed_time.h"
#include "pack/timeline_svg.h"
#include "pack/totals.h"
#include "util/strings.h"

namespace flexrecon {

using kainjow::mustache::data;

namespace {

std::string when(const std::optional<Instant>& t) {
  if (!t || is_open_end(*t)) return "";
  return format_utc(*t);
}
std::string when(Instant t) { return when(std::optional<Instant>(t)); }

// `1234567.891` -> `1,234,567.89`: amounts a lawyer reads aloud.
std::string money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", round_money(v));
  std::string s = buf;
  const bool negative = !s.empty() && s[0] == '-';
  std::string digits = s.substr(negative ? 1 : 0);
  const std::size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot), out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (negative ? "-" : "") + out + digits.substr(dot);
}

data list() { return data(data::type::list); }

std::string duration_text(Instant d) {
  const long long minutes = static_cast<long long>(d / kMinute);
  if (minutes < 60) return std::to_string(minutes) + " min";
  if (minutes < 48 * 60) return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
  return std::to_string(minutes / (24 * 60)) + " days";
}

// A list of the index: its name in the pack (appendix pages, rows/<name>.mustache), its key in
// the templates' data, and the title of its appendix pages.
struct ListSpec {
  const char* name;
  const char* key;
  const char* title;
};
const ListSpec kLists[] = {
    {"sources", "sources", "Data sources"},
    {"evidence-requests", "requests", "Log coverage: evidence requests"},
    {"conflicts", "conflicts", "Conflicting duplicate records"},
    {"insufficient-evidence", "insufficient", "Charges not challenged for lack of evidence"},
    {"notes", "notes", "Notes"},
    {"exhibit-index", "exhibit_index", "Index of exhibits"},
};

class DossierBuilder {
 public:
  // `index`: the pack's index of references, or null to build one. The rows of the index's lists
  // are rendered with `templates` as they are made (DossierListRows).
  DossierBuilder(const ReconcileResult& r, const EvidenceIndex* index, DossierTemplates& templates,
                 const DossierLimits& limits)
      : r_(r), index_(index ? *index : own_index_.emplace(r)), totals_(compute_totals(r)) {
    for (const ListSpec& spec : kLists) {
      const bool is_index = std::string(spec.key) == "exhibit_index";
      lists_.emplace(spec.key, DossierListRows(templates, std::string("rows/") + spec.name + ".mustache",
                                               is_index ? limits.exhibit_index_bytes : limits.list_bytes));
    }
  }

  // The index page's own figures; the lists and exhibits are taken from lists() and exhibits().
  data build() {
    data root;
    root.set("version", std::string(FLEXRECON_VERSION));
    root.set("as_of", r_.options.as_of.empty() ? std::string("not given") : r_.options.as_of);
    root.set("rules_hash", r_.rules.hash);
    root.set("command_line", join(r_.options.command_line, " "));
    add_totals(root);
    add_sources(root);
    add_coverage(root);
    add_findings(root);
    return root;
  }

  // The rows of each list the index shows, by its key in kLists: `sources`, `requests`, `conflicts`,
  // `insufficient` and `notes` filled by build(), `exhibit_index` by whoever lays out the exhibits.
  DossierListRows& rows(const std::string& key) { return lists_.at(key); }

  struct Exhibit {
    std::size_t finding;  // index into result.results.findings
    std::size_t number;   // 1, 2, ... in finding order
  };
  const std::vector<Exhibit>& exhibits() const { return exhibits_; }
  const ReconcileResult& result() const { return r_; }
  // The hosts' span indexes serve the evidence requests and the exhibits' pictures; once the
  // exhibits are drawn they go (a 32-byte entry per session, power span and gap of the hosts drawn).
  void drop_host_indexes() { host_indexes_.clear(); }

  // Everything one exhibit shows: the charge, the finding, the timeline picture, the evidence.
  data exhibit_data(const Exhibit& e) const {
    const Finding& f = r_.results.findings[e.finding];
    data item = finding_data(f);
    item.set("number", std::to_string(e.number));
    add_exhibit(f, item);
    return item;
  }

  // An exhibit's line in the index of exhibits: its data without the picture and the evidence table,
  // whose keys stay, empty, since a row template may name any key of the exhibit.
  data exhibit_line_data(const Exhibit& e) const {
    const Finding& f = r_.results.findings[e.finding];
    data item = finding_data(f);
    item.set("number", std::to_string(e.number));
    item.set("svg", std::string());
    item.set("evidence", list());
    add_evidence_more(f, item);
    return item;
  }

  const MeteringRow& row_of(const Finding& f) const {
    static const MeteringRow kNoRow;
    return f.row < r_.rows.size() ? r_.rows[f.row] : kNoRow;
  }

  data finding_data(const Finding& f) const {
    const MeteringRow& row = row_of(f);
    data item;
    item.set("id", f.id);
    item.set("status", std::string(status_name(f.status)));
    item.set("rule", f.rule);
    item.set("category", rule_category(f.rule));
    item.set("confidence", std::string(confidence_name(f.confidence)));
    item.set("record_id", row.record_id);
    item.set("user", row.user_raw);
    item.set("account", row.user);
    item.set("host", row.host_raw.empty() ? row.host : row.host_raw);
    item.set("product", row.product_code.empty() ? row.product_name : row.product_code);
    item.set("version", row.version);
    item.set("start", when(row.start));
    item.set("end", when(row.end));
    item.set("tokens_billed", format_tokens(row.tokens));
    item.set("tokens_challenged", format_tokens(f.tokens_challenged));
    item.set("other_rules", join(f.other_rules, ", "));
    item.set("reason", f.reason);
    return item;
  }

 private:
  void add_totals(data& root) {
    const PackTotals& t = totals_;
    root.set("tokens_billed", format_tokens(t.billed));
    root.set("tokens_billed_charges", format_tokens(t.billed_charges));
    root.set("tokens_challenged", format_tokens(t.challenged));
    root.set("tokens_insufficient", format_tokens(t.insufficient_evidence));
    root.set("tokens_remaining", format_tokens(t.remaining));
    root.set("charges", std::to_string(t.charges));
    root.set("findings_challenged", std::to_string(t.findings_by_status.at("challenged")));
    root.set("findings_insufficient", std::to_string(t.findings_by_status.at("insufficient-evidence")));
    root.set("findings_notes", std::to_string(t.findings_by_status.at("note")));
    root.set("has_findings_notes", t.findings_by_status.at("note") > 0);

    data by_rule = list();
    for (const auto& [rule, amount] : t.challenged_by_rule) {
      data row;
      row.set("rule", rule);
      row.set("category", rule_category(rule));
      row.set("tokens", format_tokens(amount));
      row.set("charges", std::to_string(t.challenged_charges_by_rule.count(rule) ? t.challenged_charges_by_rule.at(rule) : 0));
      by_rule.push_back(row);
    }
    root.set("by_rule", by_rule);
    root.set("has_by_rule", !t.challenged_by_rule.empty());

    data not_evaluable = list();
    for (const auto& [rule, n] : r_.results.not_evaluable.by_rule) {
      data row;
      row.set("rule", rule);
      row.set("charges", std::to_string(n));
      not_evaluable.push_back(row);
    }
    root.set("not_evaluable", not_evaluable);
    root.set("has_not_evaluable", !r_.results.not_evaluable.by_rule.empty());

    // Money table: one row per amount, a column per price that was given.
    root.set("has_entitlement", t.entitlement.has_value());
    if (t.entitlement) {
      root.set("entitlement", format_tokens(*t.entitlement));
      root.set("shortfall_before", format_tokens(t.shortfall_before));
      root.set("shortfall_after", format_tokens(t.shortfall_after));
      root.set("shortfall_reduced", format_tokens(t.shortfall_before - t.shortfall_after));
    }
    const bool priced = t.token_price || t.list_price;
    root.set("has_prices", priced);
    root.set("has_token_price", t.token_price.has_value());
    root.set("has_list_price", t.list_price.has_value());
    if (t.token_price) root.set("token_price", money(*t.token_price));
    if (t.list_price) root.set("list_price", money(*t.list_price));
    data money_rows = list();
    auto money_row = [&](const std::string& label, double tokens) {
      data row;
      row.set("label", label);
      row.set("tokens", format_tokens(tokens));
      if (t.token_price) row.set("at_token_price", money(tokens * *t.token_price));
      if (t.list_price) row.set("at_list_price", money(tokens * *t.list_price));
      money_rows.push_back(row);
    };
    money_row("Tokens challenged", t.challenged);
    if (t.entitlement) {
      money_row("Shortfall claimed (billed - entitlement)", t.shortfall_before);
      money_row("Shortfall after challenges", t.shortfall_after);
      money_row("Reduction of the claim", t.shortfall_before - t.shortfall_after);
    }
    root.set("money_rows", money_rows);

    const EventCounts& ec = r_.events.counts;
    root.set("metering_rows", std::to_string(t.metering_rows));
    root.set("metering_accepted", std::to_string(t.metering_accepted));
    root.set("metering_rejected", std::to_string(t.metering_rejected));
    root.set("events_read", std::to_string(ec.read));
    root.set("events_used", std::to_string(r_.timelines.events_used));
    root.set("events_rejected", std::to_string(ec.rejected));
    root.set("events_duplicates", std::to_string(ec.duplicates));
    root.set("event_files", std::to_string(ec.files));
    root.set("event_files_rejected", std::to_string(ec.files_rejected));
    root.set("hosts", std::to_string(t.hosts));
    root.set("sessions", std::to_string(t.sessions));
    root.set("rejects", std::to_string(r_.rejects.size()));
  }

  void add_sources(data& root) {
    static const char* kinds[] = {"metering", "events", "inventory", "identities", "rules"};
    DossierListRows& sources = rows("sources");
    // The summary the index shows when the list itself moves to appendix pages.
    std::map<int, std::pair<std::uint64_t, std::uint64_t>> by_kind;  // kind -> (files, bytes)
    std::size_t with_error = 0;
    for (const SourceFile& f : r_.sources.all()) {
      auto& [files, bytes] = by_kind[static_cast<int>(f.kind)];
      ++files;
      bytes += f.size;
      with_error += !f.error.empty();
      data row;
      row.set("name", f.name);
      row.set("kind", kinds[static_cast<int>(f.kind)]);
      row.set("format", f.format);
      row.set("size", std::to_string(f.size));
      row.set("sha256", f.sha256.empty() ? std::string("not hashed") : f.sha256);
      // A file given or found but not (fully) read is listed with why, like in manifest.json.
      if (!f.error.empty()) row.set("error", f.error);
      sources.add(std::move(row));
    }
    data kinds_list = list();
    for (const auto& [kind, counts] : by_kind) {
      data row;
      row.set("kind", kinds[kind]);
      row.set("files", std::to_string(counts.first));
      row.set("bytes", std::to_string(counts.second));
      kinds_list.push_back(row);
    }
    root.set("sources_by_kind", kinds_list);
    root.set("sources_with_error", std::to_string(with_error));
    root.set("has_sources_with_error", with_error > 0);
  }

  // The evidence request list: for every host that was charged, the spans of the audit period its
  // Security log cannot vouch for, and how many charges' presence windows fall in each. A filtered
  // export can have a gap between nearly every pair of records: past kMaxQuietGaps per host, only
  // the gaps that touch a charge are listed and the rest are counted.
  void add_coverage(data& root) {
    constexpr std::size_t kMaxQuietGaps = 50;
    const Instant tol = r_.rules.settings.presence_tolerance;
    std::map<std::string, std::vector<Span>> presence;  // host -> presence windows of its charges
    std::optional<Span> period;
    for (const MeteringRow& row : r_.rows) {
      if (!row.is_charge || !row.start || row.host.empty()) continue;
      presence[row.host].push_back(r_.rules.settings.presence_window(*row.start));
      const Span whole{*row.start - tol, std::max(row.end.value_or(*row.start), *row.start) + tol};
      period = period ? Span{std::min(period->begin, whole.begin), std::max(period->end, whole.end)} : whole;
    }
    DossierListRows& requests = rows("requests");
    data unlisted = list();
    std::size_t unlisted_hosts = 0, unlisted_gaps = 0;
    std::set<std::string> request_hosts;
    for (const auto& [host, windows] : presence) {
      auto request = [&](Span span, const std::string& kind, const std::string& description, std::size_t charges) {
        const Span clipped{std::max(span.begin, period->begin), std::min(span.end, period->end)};
        data row;
        row.set("host", host);
        row.set("from", when(clipped.begin));
        row.set("to", when(clipped.end));
        row.set("kind", kind);
        row.set("description", description);
        row.set("charges", std::to_string(charges));
        requests.add(std::move(row));
        request_hosts.insert(host);
      };
      auto it = r_.timelines.hosts.find(host);
      if (it == r_.timelines.hosts.end() || !it->second.has_security_log) {
        request(*period, "no-security-log", "no Security log was provided for this host", windows.size());
        continue;
      }
      const std::vector<CoverageGap>& gaps = it->second.uncovered;
      std::vector<std::size_t> affected(gaps.size(), 0);
      const SpanIndex& index = indexes_for(host, it->second).gaps;
      for (Span w : windows)
        for (std::size_t i : index.overlapping(w)) ++affected[i];
      std::vector<std::size_t> in_period;
      for (std::size_t i : index.overlapping(*period)) in_period.push_back(i);
      // A filtered export is one request, not hundreds: the host's unfiltered Security log.
      std::size_t filtered_charges = 0;
      bool filtered = false;
      for (Span w : windows) {
        bool hit = false;
        for (std::size_t i : index.overlapping(w)) hit |= gaps[i].kind == "filtered-export";
        filtered_charges += hit;
      }
      for (std::size_t i : in_period) filtered |= gaps[i].kind == "filtered-export";
      if (filtered)
        request(*period, "filtered-export",
                "the export of this host's Security log was filtered by event id (gaps between nearly all of its "
                "records): ask IT for the unfiltered Security channel of this host for the whole period",
                filtered_charges);
      std::erase_if(in_period, [&](std::size_t i) { return gaps[i].kind == "filtered-export"; });
      const bool list_all = in_period.size() <= kMaxQuietGaps;
      std::size_t quiet = 0;
      for (std::size_t i : in_period) {
        if (affected[i] == 0 && !list_all) {
          ++quiet;
          continue;
        }
        request(gaps[i].span, gaps[i].kind, gaps[i].description, affected[i]);
      }
      if (quiet) {
        data row;
        row.set("host", host);
        row.set("gaps", std::to_string(quiet));
        unlisted.push_back(row);
        ++unlisted_hosts;
        unlisted_gaps += quiet;
      }
    }
    root.set("requests_hosts", std::to_string(request_hosts.size()));
    // One `host: count;` per machine reads well for a few dozen machines; past that, the totals.
    constexpr std::size_t kMaxUnlistedHosts = 100;
    root.set("has_unlisted_gaps", unlisted_hosts > 0);
    root.set("unlisted_gaps", unlisted_hosts <= kMaxUnlistedHosts ? unlisted : list());
    root.set("unlisted_many", unlisted_hosts > kMaxUnlistedHosts);
    root.set("unlisted_gaps_total", std::to_string(unlisted_gaps));
    root.set("unlisted_hosts", std::to_string(unlisted_hosts));
    if (period) {
      root.set("period_from", when(period->begin));
      root.set("period_to", when(period->end));
    }

    DossierListRows& conflicts = rows("conflicts");
    for (const DuplicateConflict& c : r_.events.conflicts) {
      data row;
      row.set("host", c.host);
      row.set("channel", c.channel);
      row.set("record_id", std::to_string(c.record_id));
      row.set("kept", format_ref_safe(r_.sources, c.kept));
      row.set("dropped", format_ref_safe(r_.sources, c.dropped));
      conflicts.add(std::move(row));
    }
  }

  // Challenged findings become exhibits (rendered page by page later); the others are listed.
  void add_findings(data&) {
    DossierListRows& insufficient = rows("insufficient");
    DossierListRows& notes = rows("notes");
    for (std::size_t i = 0; i < r_.results.findings.size(); ++i) {
      const Finding& f = r_.results.findings[i];
      if (f.status == FindingStatus::Challenged)
        exhibits_.push_back({i, exhibits_.size() + 1});
      else if (f.status == FindingStatus::InsufficientEvidence)
        insufficient.add(finding_data(f));
      else
        notes.add(finding_data(f));
    }
  }

  // The table stays readable and the exhibit far below a page's bound; findings.csv and
  // evidence.sqlite hold every reference.
  static constexpr std::size_t kMaxEvidenceRecords = 200;

  void add_exhibit(const Finding& f, data& item) const {
    item.set("svg", exhibit_svg(f));
    data records = list();
    for (std::size_t i = 0; i < f.evidence.size() && i < kMaxEvidenceRecords; ++i) records.push_back(describe(f.evidence[i]));
    item.set("evidence", records);
    add_evidence_more(f, item);
  }

  static void add_evidence_more(const Finding& f, data& item) {
    if (f.evidence.size() > kMaxEvidenceRecords)  // unset, not empty: mustache counts "" as true
      item.set("evidence_more", std::to_string(f.evidence.size() - kMaxEvidenceRecords));
  }

  std::string exhibit_svg(const Finding& f) const {
    const MeteringRow& row = row_of(f);
    if (!row.start) return "";
    const Instant tol = r_.rules.settings.presence_tolerance;
    const Instant start = *row.start;
    const Instant end = std::max(row.end.value_or(start), start);

    TimelinePicture pic;
    pic.caption = "Charge " + row.record_id + " on " + row.host + " against the host's Windows evidence";
    Span range{start - tol, end + tol};

    TimelineLane charge{"Charge " + row.record_id, {}};
    charge.bars.push_back({r_.rules.settings.presence_window(start), "window", "presence window (start +/- tolerance)"});
    charge.bars.push_back({{start, end}, "charge", "metered " + format_utc(start) + " - " + format_utc(end)});
    pic.lanes.push_back(charge);
    pic.markers.push_back(start);

    // Earlier charges the finding cites (window rules) are drawn too: they are the argument.
    for (const EvidenceRef& ref : f.evidence) {
      auto i = index_.metering_row(ref);
      if (!i || *i == f.row || !r_.rows[*i].start) continue;
      const MeteringRow& other = r_.rows[*i];
      const Span s{*other.start, std::max(other.end.value_or(*other.start), *other.start)};
      pic.lanes.push_back({"Charge " + other.record_id, {{s, "related", "charge " + other.record_id}}});
      range = {std::min(range.begin, s.begin), std::max(range.end, s.end)};
    }
    // Sessions the finding cites (the last one before, the next one after, a midnight-split's logon
    // session) are part of the argument: widen the picture to show them, up to a day either side.
    if (auto host = r_.timelines.hosts.find(row.host); host != r_.timelines.hosts.end()) {
      for (const Session& s : host->second.sessions) {
        if (std::find(f.session_ids.begin(), f.session_ids.end(), s.id) == f.session_ids.end()) continue;
        range = {std::max(std::min(range.begin, s.span.begin), start - kDay),
                 std::min(std::max(range.end, s.span.end), end + kDay)};
      }
    }
    const Instant pad = std::max<Instant>(30 * kMinute, (range.end - range.begin) / 6);
    range = {range.begin - pad, range.end + pad};
    pic.range = range;

    auto it = r_.timelines.hosts.find(row.host);
    if (it != r_.timelines.hosts.end()) {
      const HostTimeline& tl = it->second;
      const HostIndexes& idx = indexes_for(it->first, tl);
      constexpr std::size_t kMaxSessions = 12;
      std::size_t shown = 0, hidden = 0;
      for (std::size_t si : idx.sessions.overlapping(range)) {
        const Session& s = tl.sessions[si];
        if (shown == kMaxSessions) {
          ++hidden;
          continue;
        }
        ++shown;
        TimelineLane lane{"Session " + s.user + " #" + std::to_string(s.id), {}};
        lane.bars.push_back({s.span, "session", s.user + ": " + s.start_reason + " -> " + s.end_reason});
        for (const IdleSpan& idle : s.idle) lane.bars.push_back({idle.span, "idle", idle.kind});
        pic.lanes.push_back(lane);
      }
      if (hidden) pic.lanes.push_back({"(" + std::to_string(hidden) + " more sessions)", {}});
      if (shown == 0) pic.lanes.push_back({"No session on " + row.host, {}});
      // Empty lanes are stated, not dropped: "the log covers all of this" is part of the argument.
      TimelineLane power{"Powered off", {}};
      for (std::size_t pi : idx.power.overlapping(range))
        power.bars.push_back({tl.power_off[pi].span, "off", tl.power_off[pi].reason});
      if (power.bars.empty()) power.label = "Powered on throughout";
      pic.lanes.push_back(power);
      TimelineLane gaps{"Log not covered", {}};
      for (std::size_t gi : idx.gaps.overlapping(range)) {
        const CoverageGap& g = tl.uncovered[gi];
        gaps.bars.push_back({g.span, "gap", g.kind + ": " + g.description});
      }
      if (gaps.bars.empty()) gaps.label = "Security log complete";
      pic.lanes.push_back(gaps);
    } else {
      pic.lanes.push_back({"No Windows events for " + (row.host.empty() ? std::string("(no host)") : row.host),
                           {{range, "gap", "no evidence"}}});
    }
    return timeline_svg(pic);
  }

  data describe(const EvidenceRef& ref) const {
    data d;
    d.set("ref", format_ref_safe(r_.sources, ref));
    if (auto i = index_.metering_row(ref)) {
      const MeteringRow& m = r_.rows[*i];
      d.set("what", std::string("metering row"));
      d.set("when", when(m.start));
      d.set("detail", "record " + m.record_id + ", user " + m.user_raw + ", host " +
                          (m.host_raw.empty() ? m.host : m.host_raw) + ", " + m.product_code + " " + m.version +
                          ", " + format_tokens(m.tokens) + " tokens" +
                          (m.start && m.end ? ", " + duration_text(*m.end - *m.start) : std::string()));
    } else if (auto j = index_.inventory_row(ref)) {
      const InventoryRow& inv = r_.inventory[*j];
      d.set("what", std::string("inventory row"));
      d.set("when", when(inv.installed));
      d.set("detail", inv.host + ": " + inv.display_name + " (" + inv.product_code + " " + inv.version +
                          "), installed " + (inv.installed ? format_date(*inv.installed) : "?") +
                          (inv.removed ? ", removed " + format_date(*inv.removed) : std::string()));
    } else if (const std::optional<Event> e = index_.event(ref)) {
      d.set("what", std::string(channel_short_name(e->channel)) + " " + std::to_string(e->event_id));
      d.set("when", format_utc_precise(e->time));
      const std::string fields = event_fields(*e);
      d.set("detail", std::string(event_meaning(*e).value_or("event")) + " on " + e->computer + (fields.empty() ? "" : " (" + fields + ")"));
    } else if (const auto m = index_.mark(ref)) {
      d.set("what", std::string("Security record"));
      d.set("when", format_utc_precise(m->mark->time));
      d.set("detail", *m->host + ": EventRecordID " + std::to_string(m->mark->record_id) +
                          " (a record of the log, cited for coverage)");
    } else {
      d.set("what", std::string(ref.is_line ? "line" : "record"));
      d.set("when", std::string());
      d.set("detail", std::string());
    }
    return d;
  }

  // The fields that say who and which session: the reader checks these against the raw log.
  static std::string event_fields(const Event& e) {
    std::vector<std::string> parts;
    for (const std::string_view name : described_fields())
      if (e.has_field(name)) parts.push_back(std::string(name) + "=" + std::string(e.field(name)));
    for (std::size_t i = 0; parts.empty() && i < e.fields.size() && i < 4; ++i)
      parts.push_back(e.fields[i].name + "=" + e.fields[i].value);
    return join(parts, ", ");
  }

  struct HostIndexes {
    SpanIndex sessions, power, gaps;
  };
  // Built on first use per host and kept: many exhibits can concern one host.
  const HostIndexes& indexes_for(const std::string& host, const HostTimeline& tl) const {
    auto it = host_indexes_.find(host);
    if (it != host_indexes_.end()) return it->second;
    std::vector<Span> sessions, power, gaps;
    for (const Session& s : tl.sessions) sessions.push_back(s.span);
    for (const PowerSpan& p : tl.power_off) power.push_back(p.span);
    for (const CoverageGap& g : tl.uncovered) gaps.push_back(g.span);
    return host_indexes_
        .emplace(host, HostIndexes{SpanIndex(std::move(sessions)), SpanIndex(std::move(power)),
                                      SpanIndex(std::move(gaps))})
        .first->second;
  }

  const ReconcileResult& r_;
  std::optional<EvidenceIndex> own_index_;  // when none was given
  const EvidenceIndex& index_;
  PackTotals totals_;
  mutable std::map<std::string, HostIndexes> host_indexes_;
  std::map<std::string, DossierListRows> lists_;
  std::vector<Exhibit> exhibits_;
};

// Consecutive runs of `sizes` whose sum stays within `budget`, each at least one item long, as
// [begin, end) pairs: how rows and exhibits are spread over pages.
std::vector<std::pair<std::size_t, std::size_t>> split_by_bytes(const std::vector<std::size_t>& sizes, std::size_t budget) {
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  std::size_t begin = 0, used = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > begin && used + sizes[i] > budget) {
      parts.push_back({begin, i});
      begin = i;
      used = 0;
    }
    used += sizes[i];
  }
  if (begin < sizes.size() || parts.empty()) parts.push_back({begin, sizes.size()});
  return parts;
}

std::string with_commas(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// What is left of a page's bound once its frame (stylesheet, heading, navigation) is drawn.
std::size_t room_on_page(std::size_t page_bytes, std::size_t frame_bytes) {
  constexpr std::size_t kMargin = 1024;  // the frame measured with placeholders, not the final links
  return page_bytes > frame_bytes + kMargin ? page_bytes - frame_bytes - kMargin : 1;
}

data html_items(const std::vector<std::string>& html, std::size_t begin, std::size_t end) {
  data items = list();
  for (std::size_t i = begin; i < end; ++i) {
    data item;
    item.set("html", html[i]);
    items.push_back(item);
  }
  return items;
}

// The rows of a table in chunks of a few hundred, each its own table: the stylesheet lets the
// browser skip laying out the chunks off screen (`content-visibility`), which is what makes an
// index of thousands of exhibits open quickly.
data row_chunks(const std::vector<std::string>& html, std::size_t begin, std::size_t end) {
  constexpr std::size_t kRowsPerChunk = 200;
  data chunks = list();
  for (std::size_t i = begin; i < end; i += kRowsPerChunk) {
    data chunk;
    chunk.set("rows", html_items(html, i, std::min(end, i + kRowsPerChunk)));
    chunks.push_back(chunk);
  }
  return chunks;
}

// Lays the dossier out over its pages and hands each to the sink.
class DossierPages {
 public:
  DossierPages(const ReconcileResult& r, const std::string& templates_dir, const DossierPageSink& sink,
               const DossierLimits& limits, const EvidenceIndex* index)
      : templates_(templates_dir), builder_(r, index, templates_, limits), sink_(sink), limits_(limits) {}

  void write() {
    data root = builder_.build();
    root.set("root", std::string());
    if (!inline_exhibits(root)) write_exhibit_pages(root);
    builder_.drop_host_indexes();
    root.set("exhibits_count", with_commas(builder_.exhibits().size()));
    root.set("has_exhibits", !builder_.exhibits().empty());
    for (const ListSpec& spec : kLists) place_list(spec, builder_.rows(spec.key), root);
    sink_(kDossierIndexName, templates_.render("dossier.html.mustache", root));
  }

 private:
  // SPEC 4's dossier is one file holding every exhibit: so it is while the exhibits fit
  // limits_.inline_exhibits_bytes, in exhibit order after their index, and the page its bound with
  // every other list at its own. They are rendered in that order until they fit or overflow, so past
  // the bound at most that many bytes are rendered twice.
  bool inline_exhibits(data& root) {
    std::vector<std::string> html;
    std::size_t total = 0;
    for (const DossierBuilder::Exhibit& e : builder_.exhibits()) {
      html.push_back(templates_.render("partials/exhibit.mustache", builder_.exhibit_data(e)));
      total += html.back().size();
      if (total > limits_.inline_exhibits_bytes) return false;
    }
    std::vector<data> lines;
    for (const DossierBuilder::Exhibit& e : builder_.exhibits()) {
      data line = builder_.exhibit_line_data(e);
      // From the index and, were the index ever paged, from its appendix pages alike.
      line.set("href", std::string(kDossierIndexName) + "#exhibit-" + line.get("id")->string_value());
      data measured = line;
      measured.set("root", std::string());
      total += templates_.render("rows/exhibit-index.mustache", measured).size();
      lines.push_back(std::move(line));
    }
    // The cover, summary, method and coverage sections, and the stylesheet, with room to spare.
    constexpr std::size_t kFrameBytes = 200'000;
    const std::size_t other_lists = (std::size(kLists) - 1) * limits_.list_bytes;
    if (total + other_lists + kFrameBytes > limits_.page_bytes) return false;
    DossierListRows& index = builder_.rows("exhibit_index");
    for (std::size_t i = 0; i < lines.size(); ++i) index.put(builder_.exhibits()[i].number - 1, std::move(lines[i]));
    root.set("exhibits_inline", !html.empty());
    root.set("inline_exhibits", html_items(html, 0, html.size()));
    return true;
  }

  // One page per rule and machine, split in parts when the exhibits do not fit the page bound.
  void write_exhibit_pages(data& root) {
    struct Group {
      std::string rule, host;
      std::vector<DossierBuilder::Exhibit> exhibits;
    };
    std::map<std::string, Group> groups;  // by page name: the pages come out in name order
    for (const DossierBuilder::Exhibit& e : builder_.exhibits()) {
      const Finding& f = builder_.result().results.findings[e.finding];
      const std::string& host = builder_.row_of(f).host;
      Group& g = groups[page_name_component(f.rule) + "." + page_name_component(host)];
      g.rule = f.rule;
      g.host = host;
      g.exhibits.push_back(e);
    }
    DossierListRows& index = builder_.rows("exhibit_index");
    std::size_t pages = 0;
    for (const auto& [name, group] : groups) {
      // An exhibit's data (its picture, its evidence table) goes as soon as it is rendered: what the
      // group keeps until its pages are written is their HTML.
      std::vector<std::string> html;
      std::vector<std::size_t> sizes;
      for (const DossierBuilder::Exhibit& e : group.exhibits) {
        html.push_back(templates_.render("partials/exhibit.mustache", builder_.exhibit_data(e)));
        sizes.push_back(html.back().size());
      }
      data frame = exhibit_page_data(group.rule, group.host, 999, 999);
      frame.set("exhibits", list());
      const std::size_t frame_bytes = templates_.render("exhibit-page.html.mustache", frame).size();
      const auto parts = split_by_bytes(sizes, room_on_page(limits_.page_bytes, frame_bytes));
      for (std::size_t p = 0; p < parts.size(); ++p) {
        const auto [first, last] = parts[p];
        const std::string path = exhibit_page_path(group.rule, group.host, p + 1);
        data page = exhibit_page_data(group.rule, group.host, p + 1, parts.size());
        page.set("exhibits", html_items(html, first, last));
        // The page's data holds a copy of its exhibits: theirs goes before the page is rendered.
        for (std::size_t i = first; i < last; ++i) std::string().swap(html[i]);
        page.set("first", std::to_string(group.exhibits[first].number));
        page.set("last", std::to_string(group.exhibits[last - 1].number));
        sink_(path, templates_.render("exhibit-page.html.mustache", page));
        ++pages;
        // The index line of each exhibit of the page, which now knows where it links to.
        for (std::size_t i = first; i < last; ++i) {
          const DossierBuilder::Exhibit& e = group.exhibits[i];
          data line = builder_.exhibit_line_data(e);
          line.set("href", path + "#exhibit-" + line.get("id")->string_value());
          index.put(e.number - 1, std::move(line));
        }
      }
    }
    root.set("exhibits_paged", true);
    root.set("exhibit_pages_count", with_commas(pages));
  }

  data exhibit_page_data(const std::string& rule, const std::string& host, std::size_t part, std::size_t parts) const {
    data page;
    page.set("root", std::string("../"));
    page.set("version", std::string(FLEXRECON_VERSION));
    page.set("rule", rule);
    page.set("category", rule_category(rule));
    page.set("host", host.empty() ? std::string("(no machine named)") : host);
    page.set("part", std::to_string(part));
    page.set("parts", std::to_string(parts));
    page.set("has_parts", parts > 1);
    // Links between parts are file names: the parts share the exhibits folder.
    auto file_name = [&](std::size_t n) {
      const std::string path = exhibit_page_path(rule, host, n);
      return path.substr(path.rfind('/') + 1);
    };
    if (part > 1) page.set("prev_href", file_name(part - 1));
    if (part < parts) page.set("next_href", file_name(part + 1));
    return page;
  }

  // A list stays in dossier.html when its rows fit the budget; otherwise the index shows its
  // summary and links, and the rows go to appendix pages of at most a page's bound each.
  void place_list(const ListSpec& spec, DossierListRows& rows, data& root) {
    const std::string key = spec.key;
    root.set("has_" + key, !rows.empty());
    root.set(key + "_count", with_commas(rows.size()));
    root.set(key + "_inline", false);
    root.set(key + "_paged", false);
    if (rows.empty()) return;

    if (rows.fits_inline()) {
      const std::vector<std::string>& html = rows.inline_html();
      root.set(key + "_inline", true);
      root.set(key + "_chunks", row_chunks(html, 0, html.size()));
      rows.clear();
      return;
    }

    std::vector<std::string>& html = rows.appendix_html();
    std::vector<std::size_t> sizes;
    for (const std::string& h : html) sizes.push_back(h.size());
    data frame = appendix_page_data(spec, 999999, 999999, with_commas(rows.size()), with_commas(rows.size()));
    frame.set(key + "_chunks", list());
    const std::size_t frame_bytes = templates_.render("appendix-page.html.mustache", frame).size();
    const auto parts = split_by_bytes(sizes, room_on_page(limits_.page_bytes, frame_bytes));
    data links = list();
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const auto [first, last] = parts[p];
      const std::string path = appendix_page_path(spec.name, p + 1);
      data page = appendix_page_data(spec, p + 1, parts.size(), with_commas(first + 1), with_commas(last));
      page.set(key + "_chunks", row_chunks(html, first, last));
      // The page's data holds a copy of its rows: theirs goes before the page is rendered.
      for (std::size_t i = first; i < last; ++i) std::string().swap(html[i]);
      sink_(path, templates_.render("appendix-page.html.mustache", page));
      data link;
      link.set("href", path);
      link.set("part", std::to_string(p + 1));
      link.set("first", with_commas(first + 1));
      link.set("last", with_commas(last));
      links.push_back(link);
    }
    rows.clear();
    root.set(key + "_paged", true);
    root.set(key + "_pages", links);
  }

  data appendix_page_data(const ListSpec& spec, std::size_t part, std::size_t parts, const std::string& first,
                          const std::string& last) const {
    data page;
    page.set("root", std::string("../"));
    page.set("version", std::string(FLEXRECON_VERSION));
    page.set("title", std::string(spec.title));
    page.set(std::string("is_") + spec.key, true);
    page.set("part", std::to_string(part));
    page.set("parts", std::to_string(parts));
    page.set("has_parts", parts > 1);
    page.set("first", first);
    page.set("last", last);
    auto file_name = [&](std::size_t n) {
      const std::string path = appendix_page_path(spec.name, n);
      return path.substr(path.rfind('/') + 1);
    };
    if (part > 1) page.set("prev_href", file_name(part - 1));
    if (part < parts) page.set("next_href", file_name(part + 1));
    return page;
  }

  DossierTemplates templates_;
  DossierBuilder builder_;
  const DossierPageSink& sink_;
  DossierLimits limits_;
};

}  // namespace

void render_dossier(const ReconcileResult& result, const std::string& templates_dir, const DossierPageSink& sink,
                    const DossierLimits& limits, const EvidenceIndex* index) {
  DossierPages(result, templates_dir, sink, limits, index).write();
}

std::vector<DossierPage> render_dossier_pages(const ReconcileResult& result, const std::string& templates_dir,
                                              const DossierLimits& limits) {
  std::vector<DossierPage> pages;
  render_dossier(result, templates_dir, [&](const std::string& path, const std::string& html) { pages.push_back({path, html}); },
                 limits);
  return pages;
}

}  // namespace flexrecon
