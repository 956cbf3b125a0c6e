// Pairing and union of idle spans.
#include "sessions/idle_spans.h"

#include <algorithm>
#include <set>
#include <string>

#include "util/strings.h"

namespace flexrecon::sessions {

namespace {

const char* kind_of(IdleChannel c) {
  switch (c) {
    case IdleChannel::Lock: return "locked";
    case IdleChannel::Screensaver: return "screensaver";
    case IdleChannel::SecurityDisconnect:
    case IdleChannel::LsmDisconnect: return "disconnected";
  }
  return "idle";
}

void add_kind(std::string& kinds, const std::string& more) {
  std::set<std::string> all;
  for (const std::string& k : split(kinds, '/')) {
    if (!k.empty()) all.insert(k);
  }
  for (const std::string& k : split(more, '/')) {
    if (!k.empty()) all.insert(k);
  }
  kinds = join(std::vector<std::string>(all.begin(), all.end()), "/");
}

}  // namespace

void IdleTracker::begin(IdleChannel channel, Instant t, EvidenceRef ref) {
  auto& slot = open_[static_cast<std::size_t>(channel)];
  if (!slot) slot = Open{t, {}};
  slot->evidence.push_back(ref);
}

void IdleTracker::end(IdleChannel channel, Instant t, EvidenceRef ref) {
  auto& slot = open_[static_cast<std::size_t>(channel)];
  if (!slot) return;
  IdleSpan span;
  span.span = Span{slot->since, std::max(slot->since, t)};
  span.kind = kind_of(channel);
  span.evidence = std::move(slot->evidence);
  span.evidence.push_back(ref);
  closed_.push_back(std::move(span));
  slot.reset();
}

void IdleTracker::annotate(IdleChannel channel, EvidenceRef ref) {
  auto& slot = open_[static_cast<std::size_t>(channel)];
  if (slot) slot->evidence.push_back(ref);
}

std::vector<IdleSpan> IdleTracker::finish(Span session) const {
  std::vector<IdleSpan> pieces = closed_;
  for (std::size_t c = 0; c < open_.size(); ++c) {
    if (!open_[c]) continue;
    pieces.push_back(IdleSpan{Span{open_[c]->since, std::max(open_[c]->since, session.end)},
                              kind_of(static_cast<IdleChannel>(c)), open_[c]->evidence});
  }
  for (IdleSpan& p : pieces) {
    p.span.begin = std::clamp(p.span.begin, session.begin, session.end);
    p.span.end = std::clamp(p.span.end, session.begin, session.end);
  }
  std::erase_if(pieces, [](const IdleSpan& p) { return p.span.end <= p.span.begin; });
  std::sort(pieces.begin(), pieces.end(), [](const IdleSpan& a, const IdleSpan& b) {
    return std::tie(a.span.begin, a.span.end, a.kind, a.evidence) < std::tie(b.span.begin, b.span.end, b.kind, b.evidence);
  });

  std::vector<IdleSpan> merged;
  for (IdleSpan& p : pieces) {
    if (!merged.empty() && p.span.begin <= merged.back().span.end) {
      IdleSpan& last = merged.back();
      last.span.end = std::max(last.span.end, p.span.end);
      add_kind(last.kind, p.kind);
      last.evidence.insert(last.evidence.end(), p.evidence.begin(), p.evidence.end());
    } else {
      merged.push_back(std::move(p));
    }
  }
  for (IdleSpan& m : merged) {
    std::sort(m.evidence.begin(), m.evidence.end());
    m.evidence.erase(std::unique(m.evidence.begin(), m.evidence.end()), m.evidence.end());
  }
  return merged;
}

}  // namespace flexrecon::sessions
