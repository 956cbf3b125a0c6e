// Precedence (SPEC 3, last paragraph): a charge may draw verdicts from several rules, but a reader
// of findings.csv must be able to add up tokens_challenged without double counting. So each charge
// gets at most one `challenged` or `insufficient-evidence` row — the largest counted challenge, capped
// at what was billed, naming the other rules that also challenged it — plus its `note` rows.
//
// A challenge below --min-confidence is not counted: it becomes a note (tokens_challenged 0) so the
// reader still sees what a laxer threshold would have claimed, and why.

#include <algorithm>

#include "challenges/rules.h"
#include "util/strings.h"

namespace flexrecon::challenges {

namespace {

Finding finding_from(const Charge& c, const Verdict& v) {
  Finding f;
  f.status = v.status;
  f.rule = v.rule;
  f.confidence = v.confidence;
  f.row = c.row;
  f.tokens_challenged = v.tokens;
  f.reason = v.reason;
  f.evidence = v.evidence;
  f.session_ids = v.session_ids;
  return f;
}

// Metering row first (the charge being judged), then the rest sorted and unique.
void finish_evidence(const Charge& c, Finding& f) {
  const EvidenceRef own = c.m->ref();
  std::vector<EvidenceRef>& ev = f.evidence;
  ev.erase(std::remove(ev.begin(), ev.end(), own), ev.end());
  std::sort(ev.begin(), ev.end());
  ev.erase(std::unique(ev.begin(), ev.end()), ev.end());
  ev.insert(ev.begin(), own);
  std::sort(f.session_ids.begin(), f.session_ids.end());
  f.session_ids.erase(std::unique(f.session_ids.begin(), f.session_ids.end()), f.session_ids.end());
}

// The one challenged / insufficient-evidence row of a charge, if any.
std::optional<Finding> main_finding(const RuleContext& ctx, const Charge& c) {
  const Verdict* winner = nullptr;
  for (const Verdict& v : c.verdicts) {
    // Strictly larger: on a tie the earlier rule (SPEC order) is named.
    if (ctx.counts(v) && (winner == nullptr || v.tokens > winner->tokens + kTokenEpsilon)) winner = &v;
  }
  if (winner != nullptr) {
    Finding f = finding_from(c, *winner);
    f.tokens_challenged = std::min(winner->tokens, c.m->tokens);
    for (const Verdict& v : c.verdicts) {
      if (&v == winner || !ctx.counts(v)) continue;
      if (v.rule != winner->rule && std::find(f.other_rules.begin(), f.other_rules.end(), v.rule) == f.other_rules.end()) {
        f.other_rules.push_back(v.rule);
      }
      f.evidence.insert(f.evidence.end(), v.evidence.begin(), v.evidence.end());
      f.session_ids.insert(f.session_ids.end(), v.session_ids.begin(), v.session_ids.end());
    }
    return f;
  }
  for (const Verdict& v : c.verdicts) {
    if (v.status == FindingStatus::InsufficientEvidence) {
      Finding f = finding_from(c, v);
      f.tokens_challenged = 0;  // no challenge is made where the evidence is missing
      return f;
    }
  }
  return std::nullopt;
}

std::vector<Finding> notes(const RuleContext& ctx, const Charge& c) {
  std::vector<Finding> out;
  for (const Verdict& v : c.verdicts) {
    if (v.status == FindingStatus::Note) {
      out.push_back(finding_from(c, v));
      out.back().tokens_challenged = 0;
    } else if (v.status == FindingStatus::Challenged && !ctx.counts(v)) {
      Finding f = finding_from(c, v);
      f.status = FindingStatus::Note;
      f.tokens_challenged = 0;
      f.reason = "not counted: confidence " + std::string(confidence_name(v.confidence)) + " is below the minimum " +
                 std::string(confidence_name(ctx.settings().min_confidence)) + "; would challenge " +
                 format_tokens(v.tokens) + " tokens: " + v.reason;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

std::vector<Finding> fold_verdicts(const RuleContext& ctx, const std::vector<Charge>& charges) {
  std::vector<Finding> findings;
  for (const Charge& c : charges) {  // charges are in metering row order
    const std::size_t first = findings.size();
    if (std::optional<Finding> f = main_finding(ctx, c)) findings.push_back(std::move(*f));
    for (Finding& n : notes(ctx, c)) findings.push_back(std::move(n));
    for (std::size_t i = first; i < findings.size(); ++i) finish_evidence(c, findings[i]);
  }
  return findings;
}

}  // namespace flexrecon::challenges
