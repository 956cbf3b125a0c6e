// The challenge rules, one function per rule file, in the order apply_rules() runs them (SPEC 3).
// Each looks only at RuleContext::open_charges() and adds verdicts; none decides precedence.
#pragma once

#include <vector>

#include "challenges/rule_context.h"

namespace flexrecon::challenges {

// background.cpp — category 1: launched with no active session of the metered user on the host.
void apply_background(RuleContext& ctx);

// short_session.cpp — charges shorter than settings.short_session (Autodesk bills those at 0).
void apply_short_session(RuleContext& ctx);

// product_rules.cpp — category 3: misclassification, rate-mismatch, version-mismatch (note).
void apply_product_rules(RuleContext& ctx);

// window_rules.cpp — category 2: midnight-split and double-charge under the billing model.
void apply_window_rules(RuleContext& ctx);

// precedence.cpp — folds each charge's verdicts into findings: one challenged or
// insufficient-evidence row per charge (largest amount wins, capped at billed), plus notes.
std::vector<Finding> fold_verdicts(const RuleContext& ctx, const std::vector<Charge>& charges);

}  // namespace flexrecon::challenges
