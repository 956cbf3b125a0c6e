// A hand-built world for the challenge rules: metering rows, host timelines, inventory and rules,
// assembled in memory so each test states exactly the evidence its scenario rests on.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "flexrecon/findings.h"
#include "support/test_time.h"

namespace scenario {

using namespace flexrecon;

using flexrecon::test::at;

// Source ids used for references, so evidence can be told apart in assertions.
constexpr SourceId kMetering = 0;
constexpr SourceId kSecurityLog = 1;
constexpr SourceId kInventory = 2;

inline EvidenceRef event(std::uint64_t record_id) { return EvidenceRef{kSecurityLog, record_id, false}; }

struct World {
  std::vector<MeteringRow> rows;
  Timelines timelines;
  std::vector<InventoryRow> inventory;
  RulesFolder rules;

  World() {
    rules.catalog.add(Product{"ACD", "AutoCAD", "AutoCAD", {}, ""});
    rules.catalog.add(Product{"ACDLT", "AutoCAD LT", "AutoCAD", {}, ""});
    rules.catalog.add(Product{"RVT", "Revit", "Revit", {}, ""});
    rules.catalog.add(Product{"RVTLT", "Revit LT", "Revit", {}, ""});
    rules.catalog.add(Product{"MAYA", "Maya", "Maya", {}, ""});
    rules.catalog.add(Product{"CIV3D", "Civil 3D", "Civil 3D", {}, ""});
    rate("ACD", 7);
    rate("ACDLT", 4);
    rate("RVT", 10);
    rate("RVTLT", 5);
    rate("MAYA", 6);
    // CIV3D deliberately has no rate: contract-specific, not in the sheet.
  }

  void rate(const std::string& code, double tokens) {
    rules.rates.add(Rate{code, tokens, std::nullopt, std::nullopt, "test sheet"});
  }

  // A charge: tokens > 0, DESKTOP_PRODUCT. `end` may be empty.
  MeteringRow& charge(const std::string& id, const std::string& user, const std::string& host,
                      const std::string& code, const std::string& start, const std::string& end, double tokens) {
    MeteringRow r;
    r.source = kMetering;
    r.line = rows.size() + 2;  // header is line 1
    r.record_id = id;
    r.user_raw = user;
    r.user = user;
    r.host_raw = host;
    r.host = host;
    r.product_code = code;
    if (!start.empty()) r.start = at(start);
    if (!end.empty()) r.end = at(end);
    r.tokens = tokens;
    r.category = "DESKTOP_PRODUCT";
    r.is_charge = tokens > 0;
    rows.push_back(r);
    return rows.back();
  }

  // A host whose Security log is complete from `from` to `to` (uncovered outside, as the
  // reconstruction reports it).
  HostTimeline& host(const std::string& name, const std::string& from = "2026-01-01 00:00:00",
                     const std::string& to = "2026-12-31 00:00:00") {
    HostTimeline& h = timelines.hosts[name];
    h.host = name;
    h.has_security_log = true;
    h.covered = {Span{at(from), at(to)}};
    h.uncovered = {
        CoverageGap{Span{kMinInstant, at(from)}, "before-first-record", "before EventRecordID 1", {event(1)}},
        CoverageGap{Span{at(to), kMaxInstant}, "after-last-record", "after EventRecordID 99999", {event(99999)}},
    };
    return h;
  }

  Session& session(const std::string& host_name, const std::string& user, const std::string& begin,
                   const std::string& end, std::uint64_t logon_record) {
    HostTimeline& h = timelines.hosts.at(host_name);
    Session s;
    s.id = ++timelines.sessions;
    s.host = host_name;
    s.user = user;
    s.logon_type = 2;
    s.span = Span{at(begin), at(end)};
    s.start_reason = "4624 LogonType 2";
    s.end_reason = "4634";
    s.evidence = {event(logon_record), event(logon_record + 1)};
    h.sessions.push_back(s);
    return h.sessions.back();
  }

  InventoryRow& installed(const std::string& host_name, const std::string& code, const std::string& version,
                          const std::string& from, const std::string& removed = "") {
    InventoryRow r;
    r.source = kInventory;
    r.line = inventory.size() + 2;
    r.host = host_name;
    r.product_code = code;
    r.display_name = code + " " + version;
    r.version = version;
    if (!from.empty()) r.installed = at(from);
    if (!removed.empty()) r.removed = at(removed);
    inventory.push_back(r);
    return inventory.back();
  }

  // An inventory row naming an Autodesk product the catalog cannot map (no product code), as
  // read_inventory keeps it.
  InventoryRow& unmapped(const std::string& host_name, const std::string& display_name, const std::string& from,
                         const std::string& removed = "") {
    InventoryRow& r = installed(host_name, "", "", from, removed);
    r.display_name = display_name;
    return r;
  }

  RuleResults run() const {
    RuleInputs in;
    in.rows = &rows;
    in.timelines = &timelines;
    in.inventory = &inventory;
    in.rules = &rules;
    return apply_rules(in);
  }
};

// The findings of one metering record.
inline std::vector<Finding> findings_for(const World& w, const RuleResults& r, const std::string& record_id) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings) {
    if (w.rows.at(f.row).record_id == record_id) out.push_back(f);
  }
  return out;
}

// The one challenged / insufficient-evidence finding of a record; fails the test when there is not
// exactly one.
inline Finding main_finding(const World& w, const RuleResults& r, const std::string& record_id) {
  std::vector<Finding> main;
  for (const Finding& f : findings_for(w, r, record_id)) {
    if (f.status != FindingStatus::Note) main.push_back(f);
  }
  REQUIRE(main.size() == 1);
  return main.front();
}

inline bool has_main_finding(const World& w, const RuleResults& r, const std::string& record_id) {
  for (const Finding& f : findings_for(w, r, record_id)) {
    if (f.status != FindingStatus::Note) return true;
  }
  return false;
}

inline bool contains(const std::vector<EvidenceRef>& refs, EvidenceRef ref) {
  for (const EvidenceRef& r : refs) {
    if (r == ref) return true;
  }
  return false;
}

inline std::uint64_t not_evaluable(const RuleResults& r, const std::string& rule) {
  auto it = r.not_evaluable.by_rule.find(rule);
  return it == r.not_evaluable.by_rule.end() ? 0 : it->second;
}

}  // namespace scenario
