#include "cli/closing_line.h"

#include "pack/totals.h"
#include "util/strings.h"

namespace flexrecon {

std::string closing_line(const ReconcileResult& result) {
  // The same figures as summary.json, from the same computation.
  const PackTotals t = compute_totals(result);
  std::string line = std::to_string(t.charges) + " charges, " + format_tokens(t.billed_charges) + " tokens in charges, " +
                     format_tokens(t.challenged) + " challenged";
  if (!t.challenged_by_rule.empty()) {
    std::vector<std::string> parts;
    for (const auto& [rule, tokens] : t.challenged_by_rule) parts.push_back(rule + " " + format_tokens(tokens));
    line += " (" + join(parts, ", ") + ")";
  }
  line += ", " + std::to_string(t.findings_by_status.at("insufficient-evidence")) + " with insufficient evidence; " +
          std::to_string(result.rejects.size()) + " rejected input items (rejects.csv)";
  return line;
}

}  // namespace flexrecon
