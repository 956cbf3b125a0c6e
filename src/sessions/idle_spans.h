// Idle time inside one session (SPEC 2): locked (4800 -> 4801), screensaver (4802 -> 4803) and
// disconnected (4779 -> 4778 in Security; LSM 24 -> 25). Each channel pairs its own events; the
// session's idle time is the union of all channels. LSM 39/40 (why a session was disconnected)
// open nothing: they only annotate a disconnected span that is open.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "flexrecon/source.h"
#include "flexrecon/time.h"
#include "flexrecon/timeline.h"

namespace flexrecon::sessions {

enum class IdleChannel : std::size_t { Lock, Screensaver, SecurityDisconnect, LsmDisconnect };

class IdleTracker {
 public:
  // The session became idle at `t` (lock, screensaver, disconnect). A second begin while already
  // idle on the same channel keeps the first: idle started then.
  void begin(IdleChannel channel, Instant t, EvidenceRef ref);
  // The session became active again. An end with no earlier begin adds no idle time: we cannot
  // tell since when it was idle, and assuming so could turn presence into absence.
  void end(IdleChannel channel, Instant t, EvidenceRef ref);
  // Evidence about an idle span already open on `channel` (LSM 39/40: the disconnect's reason).
  // Nothing happens when none is open: a reason alone is not idle time.
  void annotate(IdleChannel channel, EvidenceRef ref);
  // Closes what is still idle at the end of `session`, clips every piece to it and merges
  // overlapping or touching pieces. Sorted, disjoint.
  std::vector<IdleSpan> finish(Span session) const;

 private:
  struct Open {
    Instant since = 0;
    std::vector<EvidenceRef> evidence;
  };
  std::array<std::optional<Open>, 4> open_;
  std::vector<IdleSpan> closed_;
};

}  // namespace flexrecon::sessions
