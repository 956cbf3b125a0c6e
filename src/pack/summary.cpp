// summary.json: the run's counts and totals, for scripts and for the CLI's closing line.
#include <nlohmann/json.hpp>

#include "flexrecon/pack.h"
#include "pack/totals.h"

namespace flexrecon {

std::string summary_json(const ReconcileResult& result) {
  const PackTotals t = compute_totals(result);
  const EventCounts& ec = result.events.counts;
  // nlohmann::json objects are std::map based: keys come out sorted, so the text is stable.
  nlohmann::json j;
  j["as_of"] = result.options.as_of.empty() ? nlohmann::json() : nlohmann::json(result.options.as_of);
  j["metering"] = {{"files", result.metering_files.size()},
                   {"rows", t.metering_rows},
                   {"accepted", t.metering_accepted},
                   {"rejected", t.metering_rejected},
                   {"charges", t.charges}};
  j["events"] = {{"read", ec.read},
                 {"used", result.timelines.events_used},
                 {"rejected", ec.rejected},
                 {"duplicates", ec.duplicates},
                 {"conflicts", result.events.conflicts.size()},
                 {"files", ec.files},
                 {"files_rejected", ec.files_rejected}};
  j["inventory"] = {{"files", result.inventory_files.size()}, {"rows", result.inventory.size()}};
  j["hosts"] = t.hosts;
  j["sessions"] = t.sessions;
  j["rejects"] = result.rejects.size();

  nlohmann::json by_rule = nlohmann::json::object();
  for (const auto& [rule, amount] : t.challenged_by_rule) by_rule[rule] = round_tokens(amount);
  j["tokens"] = {{"billed", round_tokens(t.billed)},
                 {"billed_charges", round_tokens(t.billed_charges)},
                 {"challenged", round_tokens(t.challenged)},
                 {"challenged_by_rule", by_rule},
                 {"insufficient_evidence", round_tokens(t.insufficient_evidence)},
                 {"remaining", round_tokens(t.remaining)}};

  nlohmann::json not_evaluable = nlohmann::json::object();
  for (const auto& [rule, n] : result.results.not_evaluable.by_rule) not_evaluable[rule] = n;
  j["not_evaluable"] = not_evaluable;

  nlohmann::json findings = nlohmann::json::object();
  for (const auto& [status, n] : t.findings_by_status) findings[status] = n;
  findings["total"] = result.results.findings.size();
  j["findings"] = findings;

  if (t.entitlement) {
    j["shortfall"] = {{"entitlement", round_tokens(*t.entitlement)},
                      {"tokens_before", round_tokens(t.shortfall_before)},
                      {"tokens_after", round_tokens(t.shortfall_after)},
                      {"tokens_reduced", round_tokens(t.shortfall_before - t.shortfall_after)}};
  }
  // Each price values the challenged tokens and, with an entitlement, the shortfall before and after.
  auto priced = [&](const std::optional<double>& price, const char* key) {
    if (!price) return;
    nlohmann::json v = {{"price_per_token", *price}, {"challenged", round_money(t.challenged * *price)}};
    if (t.entitlement) {
      v["shortfall_before"] = round_money(t.shortfall_before * *price);
      v["shortfall_after"] = round_money(t.shortfall_after * *price);
      v["shortfall_reduced"] = round_money((t.shortfall_before - t.shortfall_after) * *price);
    }
    j["value"][key] = v;
  };
  priced(t.token_price, "at_token_price");
  priced(t.list_price, "at_list_price");
  // Replace, not throw, on invalid UTF-8 in an input-derived string (a file name, --as-of).
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace flexrecon
