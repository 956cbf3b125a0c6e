// The small functions of the reference data (include/flexrecon/reference_data.h): names of its
// enums, the service-account test, rate and identity look-ups. The readers of these files live in
// src/tables; the rules ask only these questions, so they need the model and not the readers.
#include "flexrecon/reference_data.h"

#include "flexrecon/event.h"
#include "model/name_table.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

constexpr NameTable<Confidence, 3> kConfidenceNames({{
    {Confidence::Low, "low"},
    {Confidence::Medium, "medium"},
    {Confidence::High, "high"},
}});

constexpr NameTable<BillingModel, 2> kBillingModelNames({{
    {BillingModel::Rolling24h, "rolling-24h"},
    {BillingModel::CalendarDay, "calendar-day"},
}});

}  // namespace

std::string_view confidence_name(Confidence c) { return kConfidenceNames.name(c, "medium"); }

std::optional<Confidence> parse_confidence(std::string_view text) { return kConfidenceNames.parse(text); }

std::string_view billing_model_name(BillingModel m) { return kBillingModelNames.name(m, "rolling-24h"); }

std::optional<BillingModel> parse_billing_model(std::string_view text) { return kBillingModelNames.parse(text); }

bool Settings::is_service_account(std::string_view user) const {
  for (const std::string& pattern : service_account_patterns) {
    if (glob_match_ci(pattern, user)) return true;
  }
  return false;
}

Span Settings::presence_window(Instant t) const { return Span{t - presence_tolerance, t + presence_tolerance + 1}; }

Span Rate::in_force() const {
  return Span{effective_from ? *effective_from : kMinInstant, effective_to ? *effective_to + kDay : kMaxInstant};
}

void RateSheet::add(Rate r) { rates_.push_back(std::move(r)); }

const Rate* RateSheet::at(std::string_view code, Instant t) const {
  // Sheets are checked for overlaps when read; should a hand-built sheet overlap, the most recent
  // start wins and then file order, so the answer is still deterministic.
  const Rate* best = nullptr;
  for (const Rate& r : rates_) {
    if (!iequals(r.code, trim(code))) continue;
    if (!r.in_force().contains(t)) continue;
    if (best == nullptr || r.in_force().begin > best->in_force().begin) best = &r;
  }
  return best;
}

void IdentityMap::add(std::string metering_user, std::string windows_account) {
  map_[to_lower(trim(metering_user))] = normalize_user(trim(windows_account));
}

std::string IdentityMap::resolve(std::string_view metering_user) const {
  const std::string_view user = trim(metering_user);
  if (user.empty()) return "";
  if (auto it = map_.find(to_lower(user)); it != map_.end()) return it->second;
  return normalize_user(user);
}

}  // namespace flexrecon
