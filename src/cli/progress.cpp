#include "cli/progress.h"

#include <iostream>
#include <map>

#include "util/strings.h"

namespace flexrecon {

void progress(bool quiet, const std::string& message) {
  if (!quiet) std::cerr << "flexrecon: " << message << "\n";
}

std::string closing_line(const ReconcileResult& result) {
  double billed = 0, challenged = 0;
  std::size_t charges = 0, insufficient = 0;
  std::map<std::string, double> by_rule;
  for (const auto& row : result.rows)
    if (row.is_charge) {
      billed += row.tokens;
      ++charges;
    }
  for (const auto& f : result.results.findings) {
    if (f.status == FindingStatus::Challenged) {
      challenged += f.tokens_challenged;
      by_rule[f.rule] += f.tokens_challenged;
    } else if (f.status == FindingStatus::InsufficientEvidence) {
      ++insufficient;
    }
  }
  std::string line = std::to_string(charges) + " charges, " + format_tokens(billed) + " tokens in charges, " +
                     format_tokens(challenged) + " challenged";
  if (!by_rule.empty()) {
    std::vector<std::string> parts;
    for (const auto& [rule, tokens] : by_rule) parts.push_back(rule + " " + format_tokens(tokens));
    line += " (" + join(parts, ", ") + ")";
  }
  line += ", " + std::to_string(insufficient) + " with insufficient evidence; " + std::to_string(result.rejects.size()) +
          " rejected input items (rejects.csv)";
  return line;
}

}  // namespace flexrecon
