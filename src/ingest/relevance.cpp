// Which events the reconstruction uses: SPEC 1.2 "Events used", and nothing else.
#include "flexrecon/event_store.h"

#include <algorithm>
#include <array>

#include "util/strings.h"

namespace flexrecon {

namespace {

template <std::size_t N>
bool one_of(int id, const std::array<int, N>& ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

constexpr std::array<int, 14> kSecurity = {4624, 4634, 4647, 4800, 4801, 4802, 4803,
                                           4778, 4779, 4608, 4609, 4616, 1100, 1102};
constexpr std::array<int, 6> kSystem = {6005, 6006, 6008, 6009, 1074, 104};
constexpr std::array<int, 7> kLocalSessionManager = {21, 22, 23, 24, 25, 39, 40};

}  // namespace

bool is_relevant_event(const Event& e) {
  switch (e.channel) {
    case Channel::Security: return one_of(e.event_id, kSecurity);
    case Channel::System:
      // Event ids mean something only with their provider: only Kernel-Power's 41 is a crash reboot.
      if (e.event_id == 41) return iequals(e.provider, "Microsoft-Windows-Kernel-Power");
      return one_of(e.event_id, kSystem);
    case Channel::LocalSessionManager: return one_of(e.event_id, kLocalSessionManager);
    case Channel::RemoteConnectionManager: return e.event_id == 1149;
    case Channel::Other: break;
  }
  return false;
}

}  // namespace flexrecon
