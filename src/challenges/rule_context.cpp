#include "challenges/rule_context.h"

#include <algorithm>
#include <cstdio>

#include "flexrecon/error.h"

namespace flexrecon::challenges {

namespace {

const Timelines& empty_timelines() {
  static const Timelines none;
  return none;
}

}  // namespace

RuleContext::RuleContext(const RuleInputs& inputs)
    : rows_(inputs.rows), timelines_(inputs.timelines), rules_(inputs.rules) {
  // Rows and rules are the rules' very subject; missing them is a programming error, not bad input.
  if (rows_ == nullptr || rules_ == nullptr) {
    throw Error::internal("apply_rules: metering rows and rules folder are required");
  }
  if (timelines_ == nullptr) timelines_ = &empty_timelines();
  for (std::size_t i = 0; i < rows_->size(); ++i) {
    const MeteringRow& row = (*rows_)[i];
    if (row.is_charge) charges_.push_back(Charge{i, &row, {}});
  }
  if (inputs.inventory != nullptr) {
    for (const InventoryRow& inv : *inputs.inventory) {
      if (!inv.host.empty()) inventory_by_host_[inv.host].push_back(&inv);
    }
  }
}

bool RuleContext::counts(const Verdict& v) const {
  return v.status == FindingStatus::Challenged && v.confidence >= settings().min_confidence;
}

bool RuleContext::challenged_in_full(const Charge& c) const {
  for (const Verdict& v : c.verdicts) {
    if (counts(v) && v.tokens + kTokenEpsilon >= c.m->tokens) return true;
  }
  return false;
}

std::vector<Charge*> RuleContext::open_charges() {
  std::vector<Charge*> open;
  for (Charge& c : charges_) {
    if (!challenged_in_full(c)) open.push_back(&c);
  }
  return open;
}

const HostTimeline* RuleContext::timeline(const std::string& host) const {
  return timelines_->find(host);
}

const TimelineIndex& RuleContext::index_of(const HostTimeline& timeline) const {
  auto it = timeline_index_.find(&timeline);
  if (it == timeline_index_.end()) it = timeline_index_.emplace(&timeline, TimelineIndex(timeline)).first;
  return it->second;
}

const Session* RuleContext::last_ended_by(const HostTimeline& timeline, Instant t) const {
  return index_of(timeline).last_ended_by(t);
}

const Session* RuleContext::first_started_from(const HostTimeline& timeline, Instant t) const {
  return index_of(timeline).first_started_from(t);
}

std::vector<const Session*> RuleContext::sessions_overlapping(const HostTimeline& timeline, Span window) const {
  return index_of(timeline).sessions_overlapping(window);
}

std::vector<const CoverageGap*> RuleContext::gaps_overlapping(const HostTimeline& timeline, Span window) const {
  return index_of(timeline).gaps_overlapping(window);
}

const std::vector<const InventoryRow*>& RuleContext::inventory(const std::string& host) const {
  static const std::vector<const InventoryRow*> none;
  if (host.empty()) return none;
  auto it = inventory_by_host_.find(host);
  return it == inventory_by_host_.end() ? none : it->second;
}

std::string describe_duration(Instant d) {
  if (d < 0) return "-" + describe_duration(-d);
  const long long s = static_cast<long long>(d / kSecond);
  char buf[64];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lld s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", s / 60, s % 60);
  } else if (s < 86400) {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", s / 3600, (s % 3600) / 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld d %lld h %02lld min", s / 86400, (s % 86400) / 3600, (s % 3600) / 60);
  }
  return buf;
}

std::string describe_window(Instant t, Instant tolerance) {
  return format_utc(t) + " (\u00b1" + std::to_string(tolerance / kSecond) + " s)";
}

}  // namespace flexrecon::challenges
