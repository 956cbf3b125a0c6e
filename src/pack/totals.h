// The figures the summary and the dossier both report, computed once so the two never disagree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

struct PackTotals {
  std::uint64_t metering_rows = 0;
  std::uint64_t metering_accepted = 0;
  std::uint64_t metering_rejected = 0;
  std::uint64_t charges = 0;
  std::uint64_t hosts = 0;
  std::uint64_t sessions = 0;

  // Token amounts, rounded to 6 decimals: sums are taken in micro-tokens so that the order of
  // addition cannot change the last digit.
  double billed = 0;                // every accepted metering row: what the audit counts
  double billed_charges = 0;        // the charges alone (tokens > 0, desktop product)
  double challenged = 0;            // findings with status `challenged`
  double insufficient_evidence = 0; // billed tokens of charges whose finding is `insufficient-evidence`
  double remaining = 0;             // billed - challenged
  std::map<std::string, double> challenged_by_rule;
  std::map<std::string, std::uint64_t> challenged_charges_by_rule;
  std::map<std::string, std::uint64_t> findings_by_status;  // all three statuses always present

  // Present only when the corresponding option was given.
  std::optional<double> entitlement;
  std::optional<double> token_price;  // negotiated price per token
  std::optional<double> list_price;   // list price per token: what the audit asks
  double shortfall_before = 0;        // max(0, billed - entitlement)
  double shortfall_after = 0;         // max(0, billed - challenged - entitlement)
};

PackTotals compute_totals(const ReconcileResult& result);

// Money rounded to cents; token amounts rounded to 6 decimals.
double round_money(double v);
double round_tokens(double v);

// The audit category of a rule (SPEC 3): 1 background, 2 session boundary, 3 product.
std::string rule_category(const std::string& rule);

}  // namespace flexrecon
