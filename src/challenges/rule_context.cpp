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

const RuleContext::SessionIndex& RuleContext::index_of(const HostTimeline& timeline) const {
  auto [it, fresh] = session_index_.try_emplace(&timeline);
  SessionIndex& index = it->second;
  if (fresh) {
    for (const Session& s : timeline.sessions) index.by_start.push_back(&s);
    index.by_end = index.by_start;
    std::sort(index.by_start.begin(), index.by_start.end(), [](const Session* a, const Session* b) {
      return a->span.begin != b->span.begin ? a->span.begin < b->span.begin : a->id < b->id;
    });
    std::sort(index.by_end.begin(), index.by_end.end(), [](const Session* a, const Session* b) {
      return a->span.end != b->span.end ? a->span.end < b->span.end : a->id < b->id;
    });
    Instant latest = kMinInstant;
    for (const Session* s : index.by_start) {
      latest = std::max(latest, s->span.end);
      index.max_end.push_back(latest);
    }
  }
  return index;
}

const Session* RuleContext::last_ended_by(const HostTimeline& timeline, Instant t) const {
  const SessionIndex& index = index_of(timeline);
  auto it = std::partition_point(index.by_end.begin(), index.by_end.end(),
                                 [&](const Session* s) { return s->span.end <= t; });
  return it == index.by_end.begin() ? nullptr : *(it - 1);
}

const Session* RuleContext::first_started_from(const HostTimeline& timeline, Instant t) const {
  const SessionIndex& index = index_of(timeline);
  auto it = std::partition_point(index.by_start.begin(), index.by_start.end(),
                                 [&](const Session* s) { return s->span.begin < t; });
  return it == index.by_start.end() ? nullptr : *it;
}

std::vector<const Session*> RuleContext::sessions_overlapping(const HostTimeline& timeline, Span window) const {
  const SessionIndex& index = index_of(timeline);
  // Sessions starting before the window ends, walked back while any of them may still reach into it.
  std::size_t i = std::partition_point(index.by_start.begin(), index.by_start.end(),
                                       [&](const Session* s) { return s->span.begin < window.end; }) -
                  index.by_start.begin();
  std::vector<const Session*> out;
  while (i > 0 && index.max_end[i - 1] > window.begin) {
    --i;
    if (index.by_start[i]->span.overlaps(window)) out.push_back(index.by_start[i]);
  }
  std::reverse(out.begin(), out.end());
  return out;
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
