// Rebuilds one host's interactive sessions from its events (SPEC 2): Security logons and logoffs,
// their idle spans, RDP sessions from LocalSessionManager, and sessions whose logon was never seen.
#pragma once

#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/timeline.h"
#include "sessions/coverage.h"
#include "sessions/power_spans.h"

namespace flexrecon::sessions {

// Sessions of `host` sorted by (start, user, logon id); ids are left 0 for the caller to assign.
// `used[i]` is set for every event of host.events the reconstruction relied on.
std::vector<Session> build_sessions(const HostEvents& host, const PowerHistory& power, const Coverage& coverage,
                                    const Settings& settings, std::vector<bool>& used);

}  // namespace flexrecon::sessions
