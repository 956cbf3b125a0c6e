// Shared fixtures for the ingest tests: real-shaped event XML, temporary folders, and archives built
// with libarchive's writer so no binary test data needs to be checked in.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "flexrecon/event_store.h"
#include "ingest/byte_sources.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

namespace flexrecon::test {

// One Security 4624 as wevtutil/ToXml render it (single-quoted attributes, no whitespace).
inline std::string logon_4624(std::uint64_t record, const std::string& time, const std::string& computer = "WS-0042.corp.example",
                              const std::string& user = "jdoe", const std::string& logon_id = "0x3e7a1") {
  return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>"
         "<EventID>4624</EventID><Version>2</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode>"
         "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='" + time + "'/>"
         "<EventRecordID>" + std::to_string(record) + "</EventRecordID><Correlation/>"
         "<Execution ProcessID='812' ThreadID='4316'/><Channel>Security</Channel><Computer>" + computer +
         "</Computer><Security/></System><EventData>"
         "<Data Name='SubjectUserSid'>S-1-5-18</Data><Data Name='TargetUserName'>" + user + "</Data>"
         "<Data Name='TargetDomainName'>CORP</Data><Data Name='TargetLogonId'>" + logon_id + "</Data>"
         "<Data Name='LogonType'>2</Data><Data Name='TargetLinkedLogonId'>0x0</Data>"
         "<Data Name='ElevatedToken'>%%1843</Data></EventData></Event>";
}

// A Security event the reconstruction does not use (process creation).
inline std::string process_4688(std::uint64_t record, const std::string& time, const std::string& computer = "WS-0042.corp.example") {
  return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>"
         "<EventID>4688</EventID><Version>2</Version><TimeCreated SystemTime='" + time + "'/>"
         "<EventRecordID>" + std::to_string(record) + "</EventRecordID><Channel>Security</Channel><Computer>" +
         computer + "</Computer><Security/></System><EventData><Data Name='NewProcessName'>C:\\Windows\\notepad.exe</Data>"
         "<Data Name='CommandLine'>notepad.exe</Data></EventData></Event>";
}

// LocalSessionManager 21 with its UserData/EventXML fields.
inline std::string lsm_21(std::uint64_t record, const std::string& time, const std::string& computer = "WS-0042.corp.example") {
  return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-TerminalServices-LocalSessionManager' Guid='{5D896912-022D-40AA-A3A8-4FA5515C76D7}'/>"
         "<EventID>21</EventID><Version>0</Version><TimeCreated SystemTime='" + time + "'/>"
         "<EventRecordID>" + std::to_string(record) + "</EventRecordID>"
         "<Channel>Microsoft-Windows-TerminalServices-LocalSessionManager/Operational</Channel><Computer>" + computer +
         "</Computer><Security UserID='S-1-5-18'/></System><UserData>"
         "<EventXML xmlns='Event_NS'><User>CORP\\jdoe</User><SessionID>2</SessionID><Address>LOCAL</Address></EventXML>"
         "</UserData></Event>";
}

inline std::vector<Event> read_all(const std::string& bytes, Rejects& rejects, std::string* format = nullptr,
                                   const EventReadOptions& options = {}) {
  MemorySource in(bytes);
  std::vector<Event> events;
  const std::string f = read_event_stream(in, "test.xml", 7, options, [&](Event&& e) { events.push_back(std::move(e)); }, rejects);
  if (format) *format = f;
  return events;
}

inline std::string utf16(const std::string& ascii, bool little_endian) {
  std::string out = little_endian ? std::string("\xFF\xFE", 2) : std::string("\xFE\xFF", 2);
  for (const char c : ascii) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

enum class ArchiveKind { Zip, TarGz, Tar, Gz };

// Builds an archive in memory with libarchive's writer. For Gz, only the first member is used.
inline std::string make_archive(ArchiveKind kind, const std::vector<std::pair<std::string, std::string>>& members) {
  struct archive* a = archive_write_new();
  switch (kind) {
    case ArchiveKind::Zip: archive_write_set_format_zip(a); break;
    case ArchiveKind::TarGz:
      archive_write_set_format_pax_restricted(a);
      archive_write_add_filter_gzip(a);
      break;
    case ArchiveKind::Tar: archive_write_set_format_pax_restricted(a); break;
    case ArchiveKind::Gz:
      archive_write_set_format_raw(a);
      archive_write_add_filter_gzip(a);
      break;
  }
  std::string out(64 << 20, '\0');
  std::size_t used = 0;
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const auto& [name, data] : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
    if (kind == ArchiveKind::Gz) break;
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

}  // namespace flexrecon::test
