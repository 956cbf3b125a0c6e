// The state the challenge rules share while they judge the charges of one run.
//
// Each rule adds Verdicts to the charges it looks at; precedence.cpp later folds a charge's
// verdicts into findings. A rule never removes or changes another rule's verdict, so the order of
// the rules (SPEC 3) is visible in one place: apply_rules.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "flexrecon/findings.h"

namespace flexrecon::challenges {

// What one rule says about one charge.
struct Verdict {
  std::string rule;
  FindingStatus status = FindingStatus::Challenged;
  Confidence confidence = Confidence::High;
  double tokens = 0;  // challenged tokens; 0 for insufficient-evidence and notes
  std::string reason;
  std::vector<EvidenceRef> evidence;        // without the charge's own metering row
  std::vector<std::uint64_t> session_ids;
};

// One metering row with tokens > 0 (SPEC 3 "charge") and the verdicts given on it so far.
struct Charge {
  std::size_t row = 0;  // index into RuleInputs::rows
  const MeteringRow* m = nullptr;
  std::vector<Verdict> verdicts;
};

class RuleContext {
 public:
  explicit RuleContext(const RuleInputs& inputs);

  const Settings& settings() const { return rules_->settings; }
  const RulesFolder& rules() const { return *rules_; }
  const std::vector<MeteringRow>& rows() const { return *rows_; }
  std::vector<Charge>& charges() { return charges_; }

  // A verdict that counts as a challenge: status challenged at or above --min-confidence.
  bool counts(const Verdict& v) const;
  // True when counted challenges already cover everything billed for the charge: later rules do
  // not see it (SPEC 3: "later rules see only the charges that earlier rules did not challenge in full").
  bool challenged_in_full(const Charge& c) const;
  // The charges not challenged in full yet, in metering row order.
  std::vector<Charge*> open_charges();

  // The host's timeline, or nullptr when no event of that host was read.
  const HostTimeline* timeline(const std::string& host) const;
  // The questions of TimelineIndex (flexrecon/timeline.h), asked of `timeline`. Indexed on first
  // use: a terminal server can hold tens of thousands of sessions and a filtered export as many
  // gaps, asked about once per charge.
  std::vector<const Session*> sessions_overlapping(const HostTimeline& timeline, Span window) const;
  std::vector<const CoverageGap*> gaps_overlapping(const HostTimeline& timeline, Span window) const;
  const Session* last_ended_by(const HostTimeline& timeline, Instant t) const;
  const Session* first_started_from(const HostTimeline& timeline, Instant t) const;
  // The inventory rows of a host (empty when the host has none or `host` is empty), mapped to a
  // catalog product or not (product_code empty).
  const std::vector<const InventoryRow*>& inventory(const std::string& host) const;

  // Records that `rule` could not decide one charge.
  void not_evaluable(const std::string& rule) { ++not_evaluable_.by_rule[rule]; }
  const NotEvaluable& not_evaluable_counts() const { return not_evaluable_; }

 private:
  const std::vector<MeteringRow>* rows_;
  const Timelines* timelines_;
  const RulesFolder* rules_;
  std::vector<Charge> charges_;
  std::map<std::string, std::vector<const InventoryRow*>> inventory_by_host_;
  const TimelineIndex& index_of(const HostTimeline& timeline) const;
  mutable std::map<const HostTimeline*, TimelineIndex> timeline_index_;
  NotEvaluable not_evaluable_;
};

// Reason-text helpers: a lawyer reads these, so times are exact and durations human.
std::string describe_duration(Instant d);  // "3 min 12 s", "2 h 05 min", "1 d 2 h"
// "2026-03-02T09:15:00Z (±120 s)"
std::string describe_window(Instant t, Instant tolerance);

// Tokens equal within rounding noise of decimal CSV values.
constexpr double kTokenEpsilon = 1e-9;

}  // namespace flexrecon::challenges
