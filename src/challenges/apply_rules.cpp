// apply_rules(): the rules of SPEC 3 in their order, then precedence. The order matters — each rule
// sees only the charges the rules before it did not challenge in full — so it is written out here
// once, as a flat list.

#include <cstdio>

#include "challenges/rules.h"

namespace flexrecon {

RuleResults apply_rules(const RuleInputs& inputs) {
  challenges::RuleContext ctx(inputs);

  // 1. Category 1: launched with no active session of the user on the host.
  challenges::apply_background(ctx);
  // 2. Charges Autodesk's own five-minute rule would have billed at 0.
  challenges::apply_short_session(ctx);
  // 3. Category 3: billed product or amount against the deployment inventory and rate sheet.
  challenges::apply_product_rules(ctx);
  // 4. Category 2: more than one charge per user and product in one billing window.
  challenges::apply_window_rules(ctx);

  RuleResults results;
  results.findings = challenges::fold_verdicts(ctx, ctx.charges());
  // Ids follow the findings' order (metering row, then main row before notes): stable across runs.
  for (std::size_t i = 0; i < results.findings.size(); ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "F%05zu", i + 1);
    results.findings[i].id = id;
  }
  results.not_evaluable = ctx.not_evaluable_counts();
  return results;
}

}  // namespace flexrecon
