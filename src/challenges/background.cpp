// Rule `background` (SPEC 3.1, audit category 1): a product launched on a host where the metered
// user had no active interactive session is a background launch, not a user's use.
//
// The argument is one from absence, so it is only made where the host's Security log is provably
// complete around the launch; anywhere else the finding is `insufficient-evidence` and names the gap.

#include <algorithm>
#include <set>

#include "challenges/rules.h"
#include "util/strings.h"

namespace flexrecon::challenges {

namespace {

void add_all(std::vector<EvidenceRef>& to, const std::vector<EvidenceRef>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

std::string describe_session(const Session& s) {
  std::string text = s.user + " (logon " + format_utc(s.span.begin);
  if (!s.start_reason.empty()) text += ", " + s.start_reason;
  text += ")";
  return text;
}

// "locked", "disconnected" or "locked/disconnected": the idle kinds seen over the window.
std::string idle_kinds(const std::vector<const Session*>& sessions, Span window) {
  std::set<std::string> kinds;
  for (const Session* s : sessions) {
    for (const IdleSpan& idle : s->idle) {
      if (idle.span.overlaps(window)) kinds.insert(idle.kind);
    }
  }
  if (kinds.empty()) return "locked/disconnected";
  return join(std::vector<std::string>(kinds.begin(), kinds.end()), "/");
}

// Gaps before the first and after the last record are open-ended: say so, not year -70000.
std::string describe_gap_span(Span span) {
  if (span.begin <= kMinInstant && span.end >= kMaxInstant) return "throughout";
  if (span.begin <= kMinInstant) return "until " + format_utc(span.end);
  if (span.end >= kMaxInstant) return "from " + format_utc(span.begin) + " on";
  return format_utc(span.begin) + " to " + format_utc(span.end);
}

Verdict insufficient(const std::string& reason) {
  Verdict v;
  v.rule = "background";
  v.status = FindingStatus::InsufficientEvidence;
  v.confidence = Confidence::Low;
  v.tokens = 0;
  v.reason = reason;
  return v;
}

Verdict challenge(Confidence confidence, const std::string& reason, double tokens) {
  Verdict v;
  v.rule = "background";
  v.status = FindingStatus::Challenged;
  v.confidence = confidence;
  v.tokens = tokens;
  v.reason = reason;
  return v;
}

// The verdict for one charge with a host and a start, or nullopt when the launch is supported.
std::optional<Verdict> judge(const RuleContext& ctx, const MeteringRow& row) {
  const Instant t = *row.start;
  const Instant tol = ctx.settings().presence_tolerance;
  const Span window = ctx.settings().presence_window(t);
  const std::string when = describe_window(t, tol);
  const std::string& user = row.user;
  const std::string& host = row.host;

  const HostTimeline* tl = ctx.timeline(host);
  if (tl == nullptr) {
    return insufficient("no event log for host " + host + ": nothing shows whether " + user +
                        " was logged on at the launch at " + when);
  }

  std::vector<const Session*> own;
  std::vector<const Session*> others;
  for (const Session* s : ctx.sessions_overlapping(*tl, window)) {
    if (s->user == user) {
      if (s->active_during(window)) return std::nullopt;  // supported: the user was there
      own.push_back(s);
    } else {
      others.push_back(s);
    }
  }

  // Absence of a logon proves nothing where the log has holes: U may have logged on in the gap.
  std::vector<const CoverageGap*> gaps = ctx.gaps_overlapping(*tl, window);
  if (!gaps.empty() || !tl->has_security_log) {
    std::vector<std::string> parts;
    Verdict v = insufficient("");
    for (const CoverageGap* g : gaps) {
      parts.push_back(g->kind + ": " + g->description + " [" + describe_gap_span(g->span) + "]");
      add_all(v.evidence, g->evidence);
    }
    if (gaps.empty()) parts.push_back("no Security log for host " + host);
    v.reason = "no active session of " + user + " on " + host + " at the launch at " + when +
               ", but the Security log does not cover that time (" + join(parts, "; ") + "); " + user +
               " may have logged on or unlocked in the gap";
    for (const Session* s : own) add_all(v.evidence, s->evidence);
    return v;
  }

  if (!own.empty()) {
    const std::string kinds = idle_kinds(own, window);
    std::vector<std::string> described;
    Verdict v = challenge(Confidence::Medium, "", row.tokens);
    for (const Session* s : own) {
      std::string d = "session " + describe_session(*s);
      for (const IdleSpan& idle : s->idle) {
        if (!idle.span.overlaps(window)) continue;
        d += " " + idle.kind + " from " + format_utc(idle.span.begin) + " to " + format_utc(idle.span.end);
        add_all(v.evidence, idle.evidence);
      }
      described.push_back(d);
      add_all(v.evidence, s->evidence);
      v.session_ids.push_back(s->id);
    }
    v.reason = "launched while the user's session was " + kinds + ": " + user + " on " + host +
               " had no active session at the launch at " + when + "; " + join(described, "; ");
    return v;
  }

  if (!others.empty()) {
    // A terminal server may have dozens of users on: the reason names a few, the evidence holds all.
    constexpr std::size_t kNamed = 5;
    std::vector<std::string> described;
    Verdict v = challenge(Confidence::Medium, "", row.tokens);
    for (const Session* s : others) {
      if (described.size() < kNamed) {
        described.push_back(describe_session(*s) + (s->active_during(window) ? " active" : " idle"));
      }
      add_all(v.evidence, s->evidence);
      v.session_ids.push_back(s->id);
    }
    if (others.size() > kNamed) described.push_back("and " + std::to_string(others.size() - kNamed) + " more sessions");
    v.reason = "metered user not logged on: " + user + " had no session on " + host + " at the launch at " +
               when + " (Security log complete there); logged on instead: " + join(described, "; ");
    return v;
  }

  if (const PowerSpan* off = tl->off_throughout(window)) {
    Verdict v = challenge(Confidence::High, "", row.tokens);
    v.reason = "host powered off: " + host + " was shut down from " + format_utc(off->span.begin) + " to " +
               format_utc(off->span.end) + " (" + off->reason + "), covering the launch at " + when;
    add_all(v.evidence, off->evidence);
    return v;
  }

  // Name the sessions on either side: they show the log was read and what it does record.
  Verdict v = challenge(Confidence::High, "", row.tokens);
  const Session* before = ctx.last_ended_by(*tl, window.begin);
  const Session* after = ctx.first_started_from(*tl, window.end);
  std::string context;
  if (before != nullptr) {
    context += "; last session before: " + before->user + ", ended " + format_utc(before->span.end) +
               (before->end_reason.empty() ? "" : " (" + before->end_reason + ")");
    add_all(v.evidence, before->evidence);
    v.session_ids.push_back(before->id);
  }
  if (after != nullptr) {
    context += "; next session: " + describe_session(*after);
    add_all(v.evidence, after->evidence);
    v.session_ids.push_back(after->id);
  }
  v.reason = "no interactive user logged on: the Security log of " + host +
             " is complete around the launch at " + when + " and shows no interactive session" + context;
  return v;
}

}  // namespace

void apply_background(RuleContext& ctx) {
  for (Charge* c : ctx.open_charges()) {
    const MeteringRow& row = *c->m;
    // Without a user nothing can be matched to a session; without a host or a time, no session.
    if (row.host.empty() || !row.start || row.user.empty()) {
      ctx.not_evaluable("background");
      continue;
    }
    if (std::optional<Verdict> v = judge(ctx, row)) c->verdicts.push_back(std::move(*v));
  }
}

}  // namespace flexrecon::challenges
