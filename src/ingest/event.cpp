// Names and identifiers as Windows writes them, reduced to the forms flexrecon compares.
#include "flexrecon/event.h"

#include <charconv>

#include "util/strings.h"

namespace flexrecon {

namespace {
constexpr std::string_view kLsmChannel = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
constexpr std::string_view kRcmChannel = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational";
}  // namespace

Channel channel_from_name(std::string_view name) {
  // Channel names are case-insensitive in Windows (wevtutil accepts any case), so exports differ.
  name = trim(name);
  if (iequals(name, "Security")) return Channel::Security;
  if (iequals(name, "System")) return Channel::System;
  if (iequals(name, kLsmChannel)) return Channel::LocalSessionManager;
  if (iequals(name, kRcmChannel)) return Channel::RemoteConnectionManager;
  return Channel::Other;
}

std::string_view channel_short_name(Channel c) {
  switch (c) {
    case Channel::Security: return "Security";
    case Channel::System: return "System";
    case Channel::LocalSessionManager: return "LSM";
    case Channel::RemoteConnectionManager: return "RCM";
    case Channel::Other: break;
  }
  return "Other";
}

std::string_view Event::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return f.value;
  return {};
}

bool Event::has_field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return true;
  return false;
}

std::string normalize_host(std::string_view host) {
  host = trim(host);
  // `\\WS-0042` is how UNC-minded tools write a machine name; the slashes are not part of it.
  while (!host.empty() && host.front() == '\\') host.remove_prefix(1);
  host = host.substr(0, host.find('.'));
  return to_lower(trim(host));
}

std::string normalize_user(std::string_view user) {
  user = trim(user);
  if (const auto slash = user.rfind('\\'); slash != std::string_view::npos) user.remove_prefix(slash + 1);
  if (const auto at = user.find('@'); at != std::string_view::npos) user = user.substr(0, at);
  return to_lower(trim(user));
}

std::uint64_t parse_logon_id(std::string_view text) {
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (ec != std::errc() || ptr != end || text.empty()) return 0;
  return value;
}

}  // namespace flexrecon
