// The challenge rules (SPEC 3) and what they produce.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flexrecon/metering.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/timeline.h"

namespace flexrecon {

enum class FindingStatus { Challenged, InsufficientEvidence, Note };
std::string_view status_name(FindingStatus s);  // "challenged", "insufficient-evidence", "note"
std::optional<FindingStatus> parse_status(std::string_view text);

struct Finding {
  std::string id;               // "F00001", in metering row order, the main row before its notes
  FindingStatus status = FindingStatus::Challenged;
  std::string rule;             // "background", "short-session", "misclassification", "rate-mismatch", "version-mismatch", "midnight-split", "double-charge"
  Confidence confidence = Confidence::High;
  std::size_t row = 0;          // index into the metering rows
  double tokens_challenged = 0;
  std::vector<std::string> other_rules;
  std::string reason;
  std::vector<EvidenceRef> evidence;  // metering row first, then events / inventory rows
  std::vector<std::uint64_t> session_ids;  // sessions the finding rests on
};

struct RuleInputs {
  const std::vector<MeteringRow>* rows = nullptr;
  const Timelines* timelines = nullptr;
  const std::vector<InventoryRow>* inventory = nullptr;
  const RulesFolder* rules = nullptr;  // catalog, rates (already replaced by --rates), settings
};

// Counts for rules that could not decide (day-granular metering, no inventory for the host...).
struct NotEvaluable {
  std::map<std::string, std::uint64_t> by_rule;  // rule -> charges it could not evaluate
};

struct RuleResults {
  std::vector<Finding> findings;  // sorted by metering row order, then challenged/insufficient before notes
  NotEvaluable not_evaluable;
};

// Applies the rules in SPEC order with precedence: one challenged/insufficient-evidence row per charge
// (largest challenge wins, never more than billed), plus note rows.
RuleResults apply_rules(const RuleInputs& inputs);

}  // namespace flexrecon
