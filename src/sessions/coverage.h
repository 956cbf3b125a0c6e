// Where a host's Security log can vouch for what did not happen (SPEC 2 "Coverage"): the only
// basis for an argument from absence.
#pragma once

#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/timeline.h"

namespace flexrecon::sessions {

struct Coverage {
  bool has_security_log = false;
  std::vector<CoverageGap> uncovered;  // sorted by (begin, end, kind, description); may overlap
  std::vector<Span> covered;           // sorted, disjoint: the complement of the union of `uncovered`
  std::vector<Span> uncovered_union;   // sorted, disjoint: the union of `uncovered`
  Instant first_evidence = 0;          // earliest event or Security record of the host

  // Start of the stretch of time holding `t` that the log describes one way: the covered span
  // holding `t` (its end included: the last record before a gap is still covered), else the
  // merged uncovered span holding it; never earlier than the host's first evidence.
  Instant stretch_start(Instant t) const;
};

// Gaps from: EventRecordID jumps, before the first and after the last record, 1102 clears, 4616
// clock changes beyond settings.clock_tolerance; "no-security-log" throughout when there are no
// Security records. Marks the 1102/4616 events it turned into gaps as used.
Coverage compute_coverage(const HostEvents& host, const Settings& settings, std::vector<bool>& used);

}  // namespace flexrecon::sessions
