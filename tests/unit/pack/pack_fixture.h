// A small reconciliation result built by hand: three charges on two hosts, a hostile metering row,
// non-ASCII names, a coverage gap, a duplicate conflict and rejects. What the pack is written from.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "flexrecon/pack.h"
#include "flexrecon/reconcile.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

namespace flexrecon::test {


inline Event make_event(SourceId source, std::uint64_t record, const char* time, int id, const char* host,
                        std::vector<EventField> fields) {
  Event e;
  e.source = source;
  e.record_id = record;
  e.time = at(time);
  e.event_id = id;
  e.channel_name = "Security";
  e.channel = Channel::Security;
  e.provider = "Microsoft-Windows-Security-Auditing";
  e.computer = std::string(host) + ".corp.example";
  e.host = host;
  e.fields = std::move(fields);
  return e;
}

inline MeteringRow make_row(std::uint64_t line, const char* record, const char* user_raw, const char* user,
                            const char* host_raw, const char* host, const char* code, const char* start,
                            Instant duration, double tokens) {
  MeteringRow r;
  r.source = 0;
  r.line = line;
  r.record_id = record;
  r.user_raw = user_raw;
  r.user = user;
  r.host_raw = host_raw;
  r.host = host;
  r.product_code = code;
  r.version = "2025";
  r.start = at(start);
  r.end = *r.start + duration;
  r.tokens = tokens;
  r.category = "DESKTOP_PRODUCT";
  r.is_charge = tokens > 0;
  return r;
}

inline ReconcileResult sample_result() {
  ReconcileResult r;
  r.options.as_of = "2025-04-01T00:00:00Z";
  r.options.command_line = {"flexrecon", "reconcile", "--metering", "lrt.csv", "--events", "logs"};
  r.options.entitlement = 10;
  r.options.token_price = 2.5;
  r.options.list_price = 4;
  r.rules.hash = "5f1e0c0ffee";

  r.sources.add({"lrt.csv", SourceKind::Metering, "token-flex-csv", std::string(64, 'a'), 1234, ""});
  r.sources.add({"logs/ws-0042-Security.xml", SourceKind::Events, "wevtutil-xml", std::string(64, 'b'), 56789, ""});
  r.sources.add({"sccm.csv", SourceKind::Inventory, "inventory-csv", std::string(64, 'c'), 321, ""});

  // Row 0: launched at 02:00 when nobody was logged on (challenged, background).
  r.rows.push_back(make_row(2, "C-1001", "CORP\\jdoe", "jdoe", "WS-0042.corp.example", "ws-0042", "ACD",
                            "2025-03-04 02:00:00", 2 * kHour, 7.0));
  r.rows.back().extra = {{"contractNumber", "110001234"}};
  // Row 1: hostile names from a tampered export (challenged, short-session).
  r.rows.push_back(make_row(3, "C-1002", "=HYPERLINK(\"http://evil.example\",\"x\")", "=hyperlink",
                            "<script>alert(1)</script>", "<script>alert(1)</script>", "ACD", "2025-03-04 09:00:00",
                            2 * kMinute, 7.0));
  // Row 2: non-ASCII names; inside a coverage gap (insufficient evidence).
  r.rows.push_back(make_row(4, "C-1003", "józef.żółć@corp.example", "józef.żółć", "WS-0042", "ws-0042", "RVT",
                            "2025-03-05 12:00:00", 3 * kHour, 10.0));
  // Row 3: not a charge (0 tokens).
  r.rows.push_back(make_row(5, "C-1004", "CORP\\jdoe", "jdoe", "WS-0042", "ws-0042", "ACD", "2025-03-05 13:00:00",
                            kMinute, 0.0));
  r.metering_files.push_back({0, "token-flex-csv", 5, 4, 1});

  InventoryRow inv;
  inv.source = 2;
  inv.line = 7;
  inv.host = "ws-0042";
  inv.product_code = "ACD";
  inv.display_name = "Autodesk AutoCAD 2024 - English";
  inv.version = "2024";
  inv.installed = at("2024-01-10");
  r.inventory.push_back(inv);
  r.inventory_files.push_back({2, 1, 1, 0, 0});

  HostEvents& he = r.events.hosts["ws-0042"];
  he.host = "ws-0042";
  he.events.push_back(make_event(1, 100, "2025-03-03 08:00:00", 4624, "ws-0042",
                                 {{"TargetUserName", "jdoe"}, {"LogonType", "2"}, {"TargetLogonId", "0x3e7a"}}));
  he.events.push_back(make_event(1, 140, "2025-03-03 17:00:00", 4647, "ws-0042",
                                 {{"TargetUserName", "jdoe"}, {"TargetLogonId", "0x3e7a"}}));
  he.events.push_back(make_event(1, 141, "2025-03-03 17:01:00", 4609, "ws-0042", {}));
  he.events.push_back(make_event(1, 150, "2025-03-04 07:00:00", 4608, "ws-0042", {}));
  for (std::uint64_t id : {100, 101, 140, 141, 150, 151, 190})
    he.security.push_back({id, at("2025-03-03 08:00:00") + static_cast<Instant>(id) * kMinute, 1});
  r.events.counts.read = 9;
  r.events.counts.rejected = 1;
  r.events.counts.duplicates = 2;
  r.events.counts.relevant = 4;
  r.events.counts.files = 1;
  r.events.conflicts.push_back({"ws-0042", "Security", 141, EvidenceRef{1, 141, false}, EvidenceRef{1, 141, false}});

  HostTimeline& tl = r.timelines.hosts["ws-0042"];
  tl.host = "ws-0042";
  tl.has_security_log = true;
  Session s;
  s.id = 1;
  s.host = "ws-0042";
  s.user = "jdoe";
  s.logon_type = 2;
  s.logon_id = 0x3e7a;
  s.span = {at("2025-03-03 08:00:00"), at("2025-03-03 17:00:00")};
  s.start_reason = "4624 LogonType 2";
  s.end_reason = "4647";
  s.evidence = {EvidenceRef{1, 100, false}, EvidenceRef{1, 140, false}};
  s.idle.push_back({{at("2025-03-03 12:00:00"), at("2025-03-03 13:00:00")}, "locked", {}});
  tl.sessions.push_back(s);
  tl.power_off.push_back({{at("2025-03-03 17:01:00"), at("2025-03-04 07:00:00")},
                          {EvidenceRef{1, 141, false}, EvidenceRef{1, 150, false}}, "4609 shutdown -> 4608 boot"});
  tl.uncovered.push_back({{at("2025-03-05 10:00:00"), at("2025-03-05 18:00:00")}, "record-gap",
                          "EventRecordID 151 -> 190 (38 records missing)",
                          {EvidenceRef{1, 151, false}, EvidenceRef{1, 190, false}}});
  tl.covered = {{at("2025-03-03 07:00:00"), at("2025-03-05 10:00:00")}, {at("2025-03-05 18:00:00"), at("2025-03-06 09:00:00")}};
  tl.events_used = 4;
  r.timelines.sessions = 1;
  r.timelines.events_used = 4;

  Finding f1;
  f1.id = "F0001";
  f1.status = FindingStatus::Challenged;
  f1.rule = "background";
  f1.confidence = Confidence::High;
  f1.row = 0;
  f1.tokens_challenged = 7.0;
  f1.reason = "host powered off";
  f1.evidence = {r.rows[0].ref(), EvidenceRef{1, 141, false}, EvidenceRef{1, 150, false}};
  Finding f2;
  f2.id = "F0002";
  f2.status = FindingStatus::Challenged;
  f2.rule = "short-session";
  f2.confidence = Confidence::High;
  f2.row = 1;
  f2.tokens_challenged = 7.0;
  f2.other_rules = {"background", "double-charge"};
  f2.reason = "session of 2 min <script>x</script>";
  f2.evidence = {r.rows[1].ref()};
  Finding f3;
  f3.id = "F0003";
  f3.status = FindingStatus::InsufficientEvidence;
  f3.rule = "background";
  f3.confidence = Confidence::Medium;
  f3.row = 2;
  f3.tokens_challenged = 0;
  f3.reason = "window overlaps uncovered span EventRecordID 151 -> 190";
  f3.evidence = {r.rows[2].ref(), EvidenceRef{1, 151, false}, EvidenceRef{1, 190, false}};
  Finding f4;
  f4.id = "F0004";
  f4.status = FindingStatus::Note;
  f4.rule = "version-mismatch";
  f4.confidence = Confidence::Low;
  f4.row = 0;
  f4.reason = "billed 2025, installed 2024";
  f4.evidence = {r.rows[0].ref(), r.inventory[0].ref()};
  r.results.findings = {f1, f2, f3, f4};
  r.results.not_evaluable.by_rule["misclassification"] = 1;

  r.rejects.push_back({"lrt.csv", "line 6", "unparsable sessionStartDate '2025-02-30 10:00:00'"});
  r.rejects.push_back({"logs/ws-0042-Security.xml", "line 77", "=cmd|' /C calc'!A0"});
  return r;
}

using ScratchDir = TempDir;

inline std::string templates_dir() { return std::string(FLEXRECON_SOURCE_DIR) + "/templates"; }

}  // namespace flexrecon::test
