// Real-shaped Windows event XML for the session tests, written to temporary files and read through
// the real ingest path (read_event_inputs), so each test states its evidence as Windows logs it.
//
// Shapes follow Microsoft's event documentation and wevtutil's rendering: Security events with
// named EventData fields, System events with unnamed Data, LocalSessionManager events with
// UserData/EventXML.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/timeline.h"
#include "support/test_time.h"

namespace sessions_test {

using namespace flexrecon;
using Fields = std::vector<std::pair<std::string, std::string>>;

using flexrecon::test::at;

inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

inline const std::string kLsmChannel = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
inline const std::string kRcmChannel = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational";

// One host's logs under construction. Record ids run on per channel, contiguous unless a test
// skips some, as a real log numbers them.
class HostLog {
 public:
  explicit HostLog(std::string computer = "WS-0042.corp.example") : computer_(std::move(computer)) {}

  // --- Security -----------------------------------------------------------------------------
  HostLog& logon(const std::string& time, const std::string& user, const std::string& logon_id, int type,
                 const std::string& linked = "0x0", const std::string& sid = "S-1-5-21-1004336348-1177238915-682003330-1105") {
    return security(4624, time,
                    {{"SubjectUserSid", "S-1-5-18"}, {"SubjectUserName", "WS-0042$"}, {"SubjectDomainName", "CORP"},
                     {"SubjectLogonId", "0x3e7"}, {"TargetUserSid", sid}, {"TargetUserName", user},
                     {"TargetDomainName", "CORP"}, {"TargetLogonId", logon_id}, {"LogonType", std::to_string(type)},
                     {"LogonProcessName", "User32 "}, {"AuthenticationPackageName", "Negotiate"},
                     {"WorkstationName", "WS-0042"}, {"LogonGuid", "{00000000-0000-0000-0000-000000000000}"},
                     {"TransmittedServices", "-"}, {"LmPackageName", "-"}, {"KeyLength", "0"},
                     {"ProcessId", "0x2f4"}, {"ProcessName", "C:\\Windows\\System32\\svchost.exe"},
                     {"IpAddress", "127.0.0.1"}, {"IpPort", "0"}, {"ImpersonationLevel", "%%1833"},
                     {"RestrictedAdminMode", "-"}, {"TargetOutboundUserName", "-"}, {"TargetOutboundDomainName", "-"},
                     {"VirtualAccount", "%%1843"}, {"TargetLinkedLogonId", linked}, {"ElevatedToken", "%%1842"}});
  }
  HostLog& logoff(const std::string& time, const std::string& user, const std::string& logon_id, int type,
                  const std::string& sid = "S-1-5-21-1004336348-1177238915-682003330-1105") {
    return security(4634, time,
                    {{"TargetUserSid", sid}, {"TargetUserName", user}, {"TargetDomainName", "CORP"},
                     {"TargetLogonId", logon_id}, {"LogonType", std::to_string(type)}});
  }
  HostLog& user_logoff(const std::string& time, const std::string& user, const std::string& logon_id) {
    return security(4647, time,
                    {{"TargetUserSid", "S-1-5-21-1004336348-1177238915-682003330-1105"}, {"TargetUserName", user},
                     {"TargetDomainName", "CORP"}, {"TargetLogonId", logon_id}});
  }
  // 4800 locked, 4801 unlocked, 4802 screensaver invoked, 4803 dismissed.
  HostLog& workstation(int id, const std::string& time, const std::string& user, const std::string& logon_id) {
    return security(id, time,
                    {{"TargetUserSid", "S-1-5-21-1004336348-1177238915-682003330-1105"}, {"TargetUserName", user},
                     {"TargetDomainName", "CORP"}, {"TargetLogonId", logon_id}, {"SessionId", "1"}});
  }
  // 4778 reconnected, 4779 disconnected.
  HostLog& rdp_session(int id, const std::string& time, const std::string& user, const std::string& logon_id) {
    return security(id, time,
                    {{"AccountName", user}, {"AccountDomain", "CORP"}, {"LogonID", logon_id},
                     {"SessionName", "RDP-Tcp#3"}, {"ClientName", "LAPTOP-7"}, {"ClientAddress", "10.1.2.3"}});
  }
  HostLog& startup_4608(const std::string& time) { return security(4608, time, {}); }
  HostLog& clock_change(const std::string& time, const std::string& previous, const std::string& next) {
    return security(4616, time,
                    {{"SubjectUserSid", "S-1-5-19"}, {"SubjectUserName", "LOCAL SERVICE"}, {"SubjectDomainName", "NT AUTHORITY"},
                     {"SubjectLogonId", "0x3e5"}, {"PreviousTime", previous}, {"NewTime", next},
                     {"ProcessId", "0x4d8"}, {"ProcessName", "C:\\Windows\\System32\\svchost.exe"}});
  }
  HostLog& log_cleared(const std::string& time) {
    add(header("Microsoft-Windows-Eventlog", 1102, time, next_record("Security"), "Security") +
        "<UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>"
        "<SubjectUserSid>S-1-5-21-1004336348-1177238915-682003330-500</SubjectUserSid>"
        "<SubjectUserName>mallory</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName>"
        "<SubjectLogonId>0x5e1a2</SubjectLogonId></LogFileCleared></UserData></Event>");
    return *this;
  }
  // An unrelated Security record (process creation): keeps the log's record ids going.
  HostLog& noise(const std::string& time) {
    return security(4688, time, {{"NewProcessName", "C:\\Windows\\System32\\notepad.exe"}, {"CommandLine", "notepad.exe"}});
  }
  // Records lost from the log (rolled over chunk, deleted, not exported).
  HostLog& skip_security_records(std::uint64_t n) {
    records_["Security"] += n;
    return *this;
  }

  // --- System -------------------------------------------------------------------------------
  HostLog& system(int id, const std::string& time, const std::string& provider = "EventLog",
                  const std::string& event_data = "<EventData><Data></Data></EventData>") {
    add(header(provider, id, time, next_record("System"), "System") + event_data + "</Event>");
    return *this;
  }
  HostLog& shutdown_1074(const std::string& time) {
    return system(1074, time, "User32",
                  "<EventData><Data Name='param1'>C:\\Windows\\system32\\winlogon.exe (WS-0042)</Data>"
                  "<Data Name='param2'>WS-0042</Data><Data Name='param3'>No title for this reason could be found</Data>"
                  "<Data Name='param4'>0x500ff</Data><Data Name='param5'>power off</Data><Data Name='param6'></Data>"
                  "<Data Name='param7'>CORP\\jdoe</Data></EventData>");
  }
  // 6008 "The previous system shutdown at <Data1> on <Data2> was unexpected."
  HostLog& unexpected_6008(const std::string& time, const std::string& clock, const std::string& date,
                           const std::string& binary = "") {
    return system(6008, time, "EventLog",
                  "<EventData><Data>" + clock + "</Data><Data>" + date +
                      "</Data><Data></Data><Data></Data><Data>6930</Data><Data></Data><Data></Data>" +
                      (binary.empty() ? "" : "<Binary>" + binary + "</Binary>") + "</EventData>");
  }
  HostLog& kernel_power_41(const std::string& time) {
    return system(41, time, "Microsoft-Windows-Kernel-Power",
                  "<EventData><Data Name='BugcheckCode'>0</Data><Data Name='BugcheckParameter1'>0x0</Data>"
                  "<Data Name='SleepInProgress'>0</Data><Data Name='PowerButtonTimestamp'>0</Data></EventData>");
  }

  // --- LocalSessionManager / RemoteConnectionManager -------------------------------------------
  HostLog& lsm(int id, const std::string& time, const std::string& user, const std::string& session_id,
               const std::string& address = "10.1.2.3") {
    std::string body = "<User>" + xml_escape(user) + "</User><SessionID>" + session_id + "</SessionID>";
    if (id != 23) body += "<Address>" + address + "</Address>";
    add(header("Microsoft-Windows-TerminalServices-LocalSessionManager", id, time, next_record(kLsmChannel), kLsmChannel) +
        "<UserData><EventXML xmlns='Event_NS'>" + body + "</EventXML></UserData></Event>");
    return *this;
  }
  // LSM 40: "Session <n> has been disconnected, reason code <r>".
  HostLog& lsm_40(const std::string& time, const std::string& session_id, const std::string& reason = "5") {
    add(header("Microsoft-Windows-TerminalServices-LocalSessionManager", 40, time, next_record(kLsmChannel), kLsmChannel) +
        "<UserData><EventXML xmlns='Event_NS'><Session>" + session_id + "</Session><Reason>" + reason +
        "</Reason></EventXML></UserData></Event>");
    return *this;
  }
  // LSM 39: "Session <target> has been disconnected by session <source>".
  HostLog& lsm_39(const std::string& time, const std::string& target_session, const std::string& source_session) {
    add(header("Microsoft-Windows-TerminalServices-LocalSessionManager", 39, time, next_record(kLsmChannel), kLsmChannel) +
        "<UserData><EventXML xmlns='Event_NS'><TargetSession>" + target_session + "</TargetSession><Source>" +
        source_session + "</Source></EventXML></UserData></Event>");
    return *this;
  }
  HostLog& rdp_auth_1149(const std::string& time, const std::string& user) {
    add(header("Microsoft-Windows-TerminalServices-RemoteConnectionManager", 1149, time, next_record(kRcmChannel), kRcmChannel) +
        "<UserData><EventXML xmlns='Event_NS'><Param1>" + user + "</Param1><Param2>CORP</Param2>"
        "<Param3>10.1.2.3</Param3></EventXML></UserData></Event>");
    return *this;
  }

  HostLog& security(int id, const std::string& time, const Fields& fields) {
    std::string data = "<EventData>";
    for (const auto& [name, value] : fields) data += "<Data Name='" + name + "'>" + xml_escape(value) + "</Data>";
    data += "</EventData>";
    add(header("Microsoft-Windows-Security-Auditing", id, time, next_record("Security"), "Security") + data + "</Event>");
    return *this;
  }

  const std::vector<std::string>& events() const { return events_; }

 private:
  std::uint64_t next_record(const std::string& channel) { return ++records_[channel] + 1000; }

  std::string header(const std::string& provider, int id, const std::string& time, std::uint64_t record,
                     const std::string& channel) const {
    return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" + provider +
           "'/><EventID>" + std::to_string(id) + "</EventID><Version>0</Version><Level>0</Level>"
           "<TimeCreated SystemTime='" + time + "'/><EventRecordID>" + std::to_string(record) +
           "</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='8'/><Channel>" + channel +
           "</Channel><Computer>" + computer_ + "</Computer><Security/></System>";
  }

  void add(std::string xml) { events_.push_back(std::move(xml)); }

  std::string computer_;
  std::map<std::string, std::uint64_t> records_;
  std::vector<std::string> events_;
};

// Reads files of events (wevtutil-style bare <Event> elements, one file each) and rebuilds the
// timelines from them.
class World {
 public:
  World() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("flexrecon-sessions-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Writes the events as one exported file; files are read in name order.
  void file(const std::string& name, const std::vector<std::string>& events) {
    std::ofstream out(dir_ / name, std::ios::binary);
    for (const std::string& e : events) out << e << "\r\n";
  }
  void file(const std::string& name, const HostLog& log) { file(name, log.events()); }

  const Timelines& build(const Settings& settings = Settings{}) {
    store = EventStore{};
    sources = SourceTable{};
    rejects.clear();
    read_event_inputs({dir_.string()}, EventReadOptions{}, sources, store, rejects);
    for (const Reject& r : rejects) UNSCOPED_INFO("reject: " << r.source << " " << r.location << " " << r.reason);
    CHECK(rejects.empty());
    timelines = build_timelines(store, settings);
    return timelines;
  }

  const HostTimeline& host(const std::string& name = "ws-0042") const {
    const HostTimeline* tl = timelines.find(name);
    if (tl == nullptr) FAIL("no timeline for host " << name);
    return *tl;
  }

  // True when the session's evidence names EventRecordID `record_id` (Security records of a
  // HostLog are numbered from 1001, each other channel too).
  bool has_evidence(const Session& s, std::uint64_t record_id) const {
    for (const EvidenceRef& r : s.evidence) {
      if (r.position == record_id) return true;
    }
    return false;
  }

  SourceTable sources;
  EventStore store;
  Rejects rejects;
  Timelines timelines;

 private:
  std::filesystem::path dir_;
};

// A window of `tol` on either side of `t`, both ends included, as the background rule asks.
inline Span around(const std::string& t, Instant tol = 120 * kSecond) {
  const Instant c = at(t);
  return Span{c - tol, c + tol + 1};
}

}  // namespace sessions_test
