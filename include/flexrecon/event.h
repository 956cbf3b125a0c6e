// One Windows event as flexrecon keeps it: the System header plus named fields.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/source.h"
#include "flexrecon/time.h"

namespace flexrecon {

// The channels whose events flexrecon uses; anything else is Other and only counted.
enum class Channel : std::uint8_t { Security, System, LocalSessionManager, RemoteConnectionManager, Other };

Channel channel_from_name(std::string_view name);  // "Security", "System", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", ...
std::string_view channel_short_name(Channel c);    // "Security", "System", "LSM", "RCM", "Other"

struct EventField {
  std::string name;   // EventData/Data@Name, or UserData/*/<element name>; unnamed Data: "Data1", "Data2"...; <Binary>: "Binary"
  std::string value;  // text as written (trimmed of surrounding whitespace)
};

struct Event {
  SourceId source = 0;
  std::uint64_t line = 0;        // line of the file where the event starts (XML, JSON); 0 when unknown (EVTX)
  // SIEM exports (JSON, Splunk CSV) are cited by line: the export is what the auditor re-checks, and
  // one export may hold records of many hosts. The EventRecordID still serves coverage and duplicates.
  bool ref_by_line = false;
  std::string channel_name;      // as written in <Channel>
  Channel channel = Channel::Other;
  std::string provider;          // Provider/@Name
  std::string computer;          // <Computer> as written
  std::string host;              // normalised: lower-case short name (normalize_host)
  int event_id = 0;
  std::uint64_t record_id = 0;   // EventRecordID
  Instant time = 0;              // TimeCreated/@SystemTime, UTC
  std::vector<EventField> fields;

  // The value of the first field called `name` (exact match), or empty when absent.
  std::string_view field(std::string_view name) const;
  bool has_field(std::string_view name) const;
  EvidenceRef ref() const {
    return ref_by_line ? EvidenceRef{source, line, true} : EvidenceRef{source, record_id, false};
  }
};

// What the event means in a dossier reader's words ("logon", "workstation locked"), for the
// (channel, provider, id) combinations of SPEC 1.2 "Events used"; nullopt for every other event.
// The same table decides is_relevant_event (event_store.h).
std::optional<std::string_view> event_meaning(const Event& e);

// The fields of a used event that anything downstream reads: the reconstruction (SPEC 1.2's named
// fields), the rules, the dossier and the evidence store. Once an event's fingerprint is taken, the
// other fields are dropped: they are most of an event's bytes and nothing asks for them.
bool is_read_field(std::string_view name);
// The fields by which the dossier describes an event, in the order it lists them (all of them read
// fields). An event with none of them is described by its first four fields instead.
const std::array<std::string_view, 12>& described_fields();
bool is_described_by_first_fields(const Event& e);
// The fields kept of a used event: the read ones, and the first four when the dossier describes the
// event by them (`described_by_first_fields`: is_described_by_first_fields(e), asked once an event).
// The spill keeps these alone (RecordSpill::encode_content): the first four of an event described
// otherwise would be held, decoded, for nothing (a logon's Subject* fields, a third of its bytes).
bool is_kept_field(const Event& e, std::size_t index, bool described_by_first_fields);

// `WS-0042.corp.example` -> `ws-0042`; `\\WS-0042` -> `ws-0042`.
std::string normalize_host(std::string_view host);
// `CORP\jdoe`, `jdoe@corp.example`, `JDoe` -> `jdoe`.
std::string normalize_user(std::string_view user);
// Logon ids such as `0x3E7` / `0x00000000000003e7`: compared as integers. 0 when unparsable.
std::uint64_t parse_logon_id(std::string_view text);

}  // namespace flexrecon
