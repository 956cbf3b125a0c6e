// Rule `short-session` (SPEC 3.2): Autodesk reports launches shorter than five minutes at 0 tokens,
// so a shorter charge that carries tokens is billed against Autodesk's own reporting rule. The
// evidence is the metering row itself: its start and end.

#include "challenges/rules.h"
#include "util/strings.h"

namespace flexrecon::challenges {

void apply_short_session(RuleContext& ctx) {
  const Instant threshold = ctx.settings().short_session;
  for (Charge* c : ctx.open_charges()) {
    const MeteringRow& row = *c->m;
    if (!row.start || !row.end) {
      ctx.not_evaluable("short-session");
      continue;
    }
    const Instant length = *row.end - *row.start;
    if (length >= threshold) continue;
    Verdict v;
    v.rule = "short-session";
    v.status = FindingStatus::Challenged;
    v.confidence = Confidence::High;
    v.tokens = row.tokens;
    v.reason = "session lasted " + describe_duration(length) + " (" + format_utc(*row.start) + " to " +
               format_utc(*row.end) + "), under the " + describe_duration(threshold) +
               " threshold below which Autodesk reports 0 tokens, yet " + format_tokens(row.tokens) + " tokens were billed";
    c->verdicts.push_back(std::move(v));
  }
}

}  // namespace flexrecon::challenges
