// The names the pack writes and the command line and settings.ini accept: one table per enum, read
// both ways, so every value prints and every printed name parses back to it.
#include <catch2/catch.hpp>

#include "flexrecon/event.h"
#include "flexrecon/findings.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/source.h"

using namespace flexrecon;

TEST_CASE("every finding status, confidence and billing model name parses back to its value", "[model][names]") {
  for (FindingStatus s : {FindingStatus::Challenged, FindingStatus::InsufficientEvidence, FindingStatus::Note})
    CHECK(parse_status(status_name(s)) == s);
  for (Confidence c : {Confidence::Low, Confidence::Medium, Confidence::High})
    CHECK(parse_confidence(confidence_name(c)) == c);
  for (BillingModel m : {BillingModel::Rolling24h, BillingModel::CalendarDay})
    CHECK(parse_billing_model(billing_model_name(m)) == m);
}

TEST_CASE("the names written into the pack are the SPEC's", "[model][names]") {
  CHECK(status_name(FindingStatus::InsufficientEvidence) == "insufficient-evidence");
  CHECK(confidence_name(Confidence::High) == "high");
  CHECK(billing_model_name(BillingModel::CalendarDay) == "calendar-day");
  CHECK(source_kind_name(SourceKind::Identities) == "identities");
  CHECK(channel_short_name(Channel::LocalSessionManager) == "LSM");
  CHECK(channel_short_name(Channel::Other) == "Other");
}

TEST_CASE("names typed by people are read whatever their case and surrounding spaces - others are refused",
          "[model][names]") {
  CHECK(parse_confidence(" Medium ") == Confidence::Medium);
  CHECK(parse_billing_model("Calendar-Day") == BillingModel::CalendarDay);
  CHECK_FALSE(parse_billing_model("calendar day").has_value());
  CHECK_FALSE(parse_status("challenge").has_value());
  CHECK_FALSE(parse_confidence("").has_value());
}

TEST_CASE("the presence window includes both ends, t - tol and t + tol, and nothing beyond", "[model][presence]") {
  Settings s;
  s.presence_tolerance = 120 * kSecond;
  const Instant t = 1'000 * kSecond;
  const Span w = s.presence_window(t);
  CHECK(w.contains(t - 120 * kSecond));
  CHECK(w.contains(t + 120 * kSecond));
  CHECK_FALSE(w.contains(t - 120 * kSecond - 1));
  CHECK_FALSE(w.contains(t + 120 * kSecond + 1));
  // A session ending exactly at t - tol held no instant of the window; one starting at t + tol did.
  CHECK_FALSE((Span{0, t - 120 * kSecond}).overlaps(w));
  CHECK((Span{t + 120 * kSecond, t + kHour}).overlaps(w));
}

TEST_CASE("every event SPEC 1.2 uses has a meaning for the dossier, and every other event has none",
          "[model][meanings]") {
  Event e;
  e.channel = Channel::Security;
  e.event_id = 4800;
  CHECK(event_meaning(e) == std::optional<std::string_view>("workstation locked"));
  e.event_id = 4688;
  CHECK_FALSE(event_meaning(e).has_value());
  CHECK_FALSE(is_relevant_event(e));
  e.channel = Channel::System;
  e.event_id = 41;
  e.provider = "Microsoft-Windows-Kernel-Power";
  CHECK(event_meaning(e) == std::optional<std::string_view>("rebooted without clean shutdown"));
  e.provider = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  CHECK_FALSE(event_meaning(e).has_value());
  CHECK_FALSE(is_relevant_event(e));
}
