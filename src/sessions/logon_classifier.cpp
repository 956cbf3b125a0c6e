// Human-or-not decisions. A wrong "human" would invent presence (a machine account logs on at
// every boot); a wrong "not human" would hide a person. The list follows Microsoft's well-known
// principals and the account names Windows creates for its own sessions.
#include "sessions/logon_classifier.h"

#include <cctype>
#include <charconv>

#include "flexrecon/event.h"
#include "util/strings.h"

namespace flexrecon::sessions {

namespace {

// `dwm-3`, `umfd-0`: per-session accounts of the Desktop Window Manager and the user-mode font
// driver host. They log on with type 2 at every console session start.
bool is_numbered_system_account(std::string_view user, std::string_view prefix) {
  if (user.size() <= prefix.size() || user.substr(0, prefix.size()) != prefix) return false;
  for (char c : user.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_system_sid(std::string_view sid) {
  const std::string s = to_lower(trim(sid));
  // LocalSystem, LocalService, NetworkService; Window Manager (S-1-5-90-*) and font driver
  // (S-1-5-96-*) virtual accounts.
  return s == "s-1-5-18" || s == "s-1-5-19" || s == "s-1-5-20" || s.rfind("s-1-5-90-", 0) == 0 ||
         s.rfind("s-1-5-96-", 0) == 0 || s == "s-1-5-7";  // S-1-5-7: anonymous
}

}  // namespace

bool is_interactive_logon_type(int type) { return type == 2 || type == 10 || type == 11 || type == 12; }

int parse_logon_type(std::string_view text) {
  text = trim(text);
  int value = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return -1;
  return value;
}

bool is_human_account(std::string_view account, std::string_view sid, const Settings& settings) {
  if (is_system_sid(sid)) return false;
  const std::string_view raw = trim(account);
  if (raw.empty() || raw == "-") return false;
  if (raw.back() == '$') return false;  // machine accounts
  const std::string user = normalize_user(raw);
  if (user.empty() || user == "-" || user.back() == '$') return false;
  if (user == "anonymous logon" || user == "system" || user == "local service" || user == "network service") {
    return false;
  }
  if (is_numbered_system_account(user, "dwm-") || is_numbered_system_account(user, "umfd-")) return false;
  return !settings.is_service_account(user);
}

}  // namespace flexrecon::sessions
