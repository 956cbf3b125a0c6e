// What each event flexrecon uses means: SPEC 1.2 "Events used", and nothing else. One table answers
// both questions asked of an event: is it used (relevance, at ingest) and how is it described to a
// reader of the dossier. An event listed here is kept; an event kept is described.
#include <algorithm>
#include <array>
#include <vector>

#include "flexrecon/event.h"
#include "flexrecon/event_store.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

struct EventMeaning {
  Channel channel;
  int id;
  // Empty: any provider. Event ids mean something only with their provider: only Kernel-Power's
  // System 41 is a crash reboot (LocalSessionManager logs its own 41 at every RDP logon).
  std::string_view provider;
  std::string_view meaning;
};

constexpr std::array<EventMeaning, 29> kMeanings = {{
    {Channel::Security, 4624, "", "logon"},
    {Channel::Security, 4634, "", "logoff"},
    {Channel::Security, 4647, "", "user-initiated logoff"},
    {Channel::Security, 4800, "", "workstation locked"},
    {Channel::Security, 4801, "", "workstation unlocked"},
    {Channel::Security, 4802, "", "screen saver started"},
    {Channel::Security, 4803, "", "screen saver dismissed"},
    {Channel::Security, 4778, "", "session reconnected"},
    {Channel::Security, 4779, "", "session disconnected"},
    {Channel::Security, 4608, "", "Windows starting up"},
    {Channel::Security, 4609, "", "Windows shutting down"},
    {Channel::Security, 4616, "", "system time changed"},
    {Channel::Security, 1100, "", "event logging shut down"},
    {Channel::Security, 1102, "", "audit log cleared"},
    {Channel::System, 6005, "", "event log started (boot)"},
    {Channel::System, 6006, "", "event log stopped (clean shutdown)"},
    {Channel::System, 6008, "", "previous shutdown was unexpected"},
    {Channel::System, 6009, "", "boot"},
    {Channel::System, 1074, "", "shutdown initiated"},
    {Channel::System, 41, "Microsoft-Windows-Kernel-Power", "rebooted without clean shutdown"},
    {Channel::System, 104, "", "log cleared"},
    {Channel::LocalSessionManager, 21, "", "remote/console session logon"},
    {Channel::LocalSessionManager, 22, "", "shell start"},
    {Channel::LocalSessionManager, 23, "", "session logoff"},
    {Channel::LocalSessionManager, 24, "", "session disconnected"},
    {Channel::LocalSessionManager, 25, "", "session reconnected"},
    {Channel::LocalSessionManager, 39, "", "session disconnected by another session"},
    {Channel::LocalSessionManager, 40, "", "session disconnected (reason code)"},
    {Channel::RemoteConnectionManager, 1149, "", "remote desktop network authentication"},
}};

}  // namespace

std::optional<std::string_view> event_meaning(const Event& e) {
  for (const EventMeaning& m : kMeanings) {
    if (m.channel == e.channel && m.id == e.event_id && (m.provider.empty() || iequals(e.provider, m.provider)))
      return m.meaning;
  }
  return std::nullopt;
}

bool is_relevant_event(const Event& e) { return event_meaning(e).has_value(); }

bool is_read_field(std::string_view name) {
  // SPEC 1.2's fields, plus what the power history reads of 6008 (Data1/Data2: the date and time of
  // the last shutdown, Binary: the SYSTEMTIME) and 1074 (Param1..: process, reason), and the clearing
  // account of 1102/104 (SubjectUserName).
  static constexpr std::array<std::string_view, 27> kRead = {
      "AccountName", "Address", "Binary", "Data1", "Data2", "ElevatedToken", "LogonID", "LogonType",
      "NewTime", "Param1", "Param2", "Param3", "Param4", "Param5", "PreviousTime", "Session", "SessionID",
      "SessionName", "SubjectUserName", "TargetDomainName", "TargetLinkedLogonId", "TargetLogonId",
      "TargetSession", "TargetUserName", "TargetUserSid", "User", "UserData"};
  // Asked for every field of every used event: names are looked up among those of their length.
  static const auto by_length = [] {
    std::array<std::vector<std::string_view>, 32> table;
    for (const auto read : kRead) table.at(read.size()).push_back(read);
    return table;
  }();
  if (name.size() >= by_length.size()) return false;
  const auto& same_length = by_length[name.size()];
  return std::find(same_length.begin(), same_length.end(), name) != same_length.end();
}

const std::array<std::string_view, 12>& described_fields() {
  // Who and which session: what a reader of the dossier checks against the raw log. All read
  // fields (is_read_field), so an event keeps them whatever else it drops.
  static constexpr std::array<std::string_view, 12> kDescribed = {
      "TargetUserName", "TargetDomainName", "LogonType", "TargetLogonId", "User",         "SessionID",
      "Address",        "AccountName",      "LogonID",   "SessionName",   "PreviousTime", "NewTime"};
  return kDescribed;
}

bool is_described_by_first_fields(const Event& e) {
  const auto& described = described_fields();
  for (const EventField& f : e.fields)
    if (std::find(described.begin(), described.end(), f.name) != described.end()) return false;
  return true;
}

bool is_kept_field(const Event& e, std::size_t index, bool described_by_first_fields) {
  return (index < 4 && described_by_first_fields) || is_read_field(e.fields[index].name);
}

}  // namespace flexrecon
