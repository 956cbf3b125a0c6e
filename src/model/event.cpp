// Names and identifiers as Windows writes them, reduced to the forms flexrecon compares.
#include "flexrecon/event.h"

#include <array>
#include <charconv>

#include "util/strings.h"

namespace flexrecon {

namespace {

// The one name table of Channel: the name Windows writes in <Channel>, and the short one flexrecon
// prints.
struct ChannelNames {
  Channel channel;
  std::string_view windows_name;
  std::string_view short_name;
};

constexpr std::array<ChannelNames, 4> kChannels = {{
    {Channel::Security, "Security", "Security"},
    {Channel::System, "System", "System"},
    {Channel::LocalSessionManager, "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", "LSM"},
    {Channel::RemoteConnectionManager, "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational", "RCM"},
}};

}  // namespace

Channel channel_from_name(std::string_view name) {
  // Channel names are case-insensitive in Windows (wevtutil accepts any case), so exports differ.
  name = trim(name);
  for (const ChannelNames& c : kChannels)
    if (iequals(name, c.windows_name)) return c.channel;
  return Channel::Other;
}

std::string_view channel_short_name(Channel channel) {
  for (const ChannelNames& c : kChannels)
    if (c.channel == channel) return c.short_name;
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
