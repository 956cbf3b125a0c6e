#include "pack/totals.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "flexrecon/findings.h"

namespace flexrecon {

namespace {

std::int64_t micro(double v) { return std::isfinite(v) ? std::llround(v * 1e6) : 0; }
double from_micro(std::int64_t v) { return static_cast<double>(v) / 1e6; }

}  // namespace

double round_money(double v) { return std::isfinite(v) ? std::round(v * 100.0) / 100.0 + 0.0 : 0.0; }
double round_tokens(double v) { return from_micro(micro(v)) + 0.0; }

std::string rule_category(const std::string& rule) {
  if (rule == "background") return "1 - background launch";
  if (rule == "midnight-split" || rule == "double-charge") return "2 - session boundary attribution";
  if (rule == "misclassification" || rule == "rate-mismatch" || rule == "version-mismatch")
    return "3 - product classification";
  if (rule == "short-session") return "short session";
  return "other";
}

PackTotals compute_totals(const ReconcileResult& result) {
  PackTotals t;
  for (const MeteringFile& f : result.metering_files) {
    t.metering_rows += f.rows;
    t.metering_accepted += f.accepted;
    t.metering_rejected += f.rejected;
  }

  std::int64_t billed = 0, billed_charges = 0;
  for (const MeteringRow& row : result.rows) {
    billed += micro(row.tokens);
    if (row.is_charge) {
      billed_charges += micro(row.tokens);
      ++t.charges;
    }
  }

  std::set<std::string> hosts;
  for (const auto& [host, events] : result.events.hosts) hosts.insert(host);
  for (const auto& [host, timeline] : result.timelines.hosts) {
    hosts.insert(host);
    t.sessions += timeline.sessions.size();
  }
  t.hosts = hosts.size();

  for (FindingStatus s : {FindingStatus::Challenged, FindingStatus::InsufficientEvidence, FindingStatus::Note})
    t.findings_by_status[std::string(status_name(s))] = 0;

  std::int64_t challenged = 0, insufficient = 0;
  std::map<std::string, std::int64_t> by_rule;
  for (const Finding& f : result.results.findings) {
    ++t.findings_by_status[std::string(status_name(f.status))];
    if (f.status == FindingStatus::Challenged) {
      challenged += micro(f.tokens_challenged);
      by_rule[f.rule] += micro(f.tokens_challenged);
      ++t.challenged_charges_by_rule[f.rule];
    } else if (f.status == FindingStatus::InsufficientEvidence && f.row < result.rows.size()) {
      // The tokens at stake are the whole charge: the rule could not decide either way.
      insufficient += micro(result.rows[f.row].tokens);
    }
  }

  t.billed = from_micro(billed);
  t.billed_charges = from_micro(billed_charges);
  t.challenged = from_micro(challenged);
  t.insufficient_evidence = from_micro(insufficient);
  t.remaining = from_micro(billed - challenged);
  for (const auto& [rule, amount] : by_rule) t.challenged_by_rule[rule] = from_micro(amount);

  const ReconcileOptions& o = result.options;
  t.entitlement = o.entitlement;
  t.token_price = o.token_price;
  t.list_price = o.list_price;
  if (o.entitlement) {
    const std::int64_t e = micro(*o.entitlement);
    t.shortfall_before = from_micro(std::max<std::int64_t>(0, billed - e));
    t.shortfall_after = from_micro(std::max<std::int64_t>(0, billed - challenged - e));
  }
  return t;
}

}  // namespace flexrecon
