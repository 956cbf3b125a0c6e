// Boots, shutdowns and power-off spans of one host (SPEC 2 "Host power"), and how each run of the
// host ended: what closes the sessions a reboot cut off.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/timeline.h"

namespace flexrecon::sessions {

// Boot markers: Security 4608, System 6005, 6009, 6008, Kernel-Power 41.
bool is_boot_marker(const HostEvent& e);
// Clean shutdown markers: Security 4609, 1100, System 6006, 1074.
bool is_shutdown_marker(const HostEvent& e);

// One start of the host. Markers logged together at a start (6009, 6005, 4608, a 6008 or 41 after a
// crash) form one boot.
struct Boot {
  Instant time = 0;          // the first marker
  std::size_t event_index = 0;  // of the first marker in HostEvents::events
  EvidenceRef ref;
  std::string marker;        // "6005", "4608", "41"
  std::vector<EvidenceRef> evidence;  // every marker of this boot
  // How the host's previous run ended: where sessions still open at this boot end.
  Instant down = 0;
  std::string down_reason;   // "shutdown 6006", "last alive 2026-11-26T22:15:31Z (6008)", "next boot 6005"
  std::vector<EvidenceRef> down_evidence;
  bool clean = false;        // a clean shutdown marker preceded the boot: the host was off until it
};

struct PowerHistory {
  std::vector<Boot> boots;          // in event order
  std::vector<PowerSpan> off;       // sorted
  // A 4609/1100/6006 after the last boot: sessions still open there end at it.
  std::optional<Instant> final_shutdown;
  std::optional<EvidenceRef> final_shutdown_ref;
  std::string final_shutdown_reason;
};

// Reads the markers of `host` (events sorted as HostEvents keeps them). Marks the markers it uses.
PowerHistory build_power_history(const HostEvents& host, std::vector<bool>& used);

}  // namespace flexrecon::sessions
