#include <catch2/catch.hpp>

#include "flexrecon/event.h"
#include "flexrecon/event_store.h"

using namespace flexrecon;

TEST_CASE("an FQDN computer name and a NetBIOS name of the same machine normalise to one host") {
  CHECK(normalize_host("WS-0042.corp.example") == "ws-0042");
  CHECK(normalize_host("ws-0042") == "ws-0042");
  CHECK(normalize_host("  WS-0042.CORP.EXAMPLE \r\n") == "ws-0042");
  CHECK(normalize_host("") == "");
  CHECK(normalize_host("\\\\WS-0042") == "ws-0042");  // UNC-style, as some tools write machine names
}

TEST_CASE("a metering user written as DOMAIN\\user, UPN or bare name reduces to the account name") {
  CHECK(normalize_user("CORP\\jdoe") == "jdoe");
  CHECK(normalize_user("jdoe@corp.example") == "jdoe");
  CHECK(normalize_user("JDoe") == "jdoe");
  CHECK(normalize_user(" CORP\\JDoe ") == "jdoe");
}

TEST_CASE("logon ids written in different case and width compare equal as integers") {
  CHECK(parse_logon_id("0x3E7") == 0x3e7);
  CHECK(parse_logon_id("0x00000000000003e7") == 0x3e7);
  CHECK(parse_logon_id("0X3e7") == parse_logon_id("0x3E7"));
  CHECK(parse_logon_id("999") == 999);
  CHECK(parse_logon_id("0x1f4c65f") == 0x1f4c65f);
}

TEST_CASE("an unparsable logon id is 0, never a wrong match") {
  CHECK(parse_logon_id("") == 0);
  CHECK(parse_logon_id("0x") == 0);
  CHECK(parse_logon_id("0xZZ") == 0);
  CHECK(parse_logon_id("12abc") == 0);
  CHECK(parse_logon_id("0x1ffffffffffffffff") == 0);
}

TEST_CASE("channel names are recognised whatever their case, and unknown channels are Other") {
  CHECK(channel_from_name("Security") == Channel::Security);
  CHECK(channel_from_name("security") == Channel::Security);
  CHECK(channel_from_name("System") == Channel::System);
  CHECK(channel_from_name("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational") ==
        Channel::LocalSessionManager);
  CHECK(channel_from_name("Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational") ==
        Channel::RemoteConnectionManager);
  CHECK(channel_from_name("Microsoft-Windows-Sysmon/Operational") == Channel::Other);
  CHECK(channel_short_name(Channel::LocalSessionManager) == "LSM");
  CHECK(channel_short_name(Channel::RemoteConnectionManager) == "RCM");
  CHECK(channel_short_name(Channel::Other) == "Other");
}

TEST_CASE("fields are found by name, not position, and a missing field reads as empty") {
  Event e;
  e.fields = {{"LogonType", "10"}, {"TargetUserName", "jdoe"}, {"Empty", ""}};
  CHECK(e.field("TargetUserName") == "jdoe");
  CHECK(e.field("LogonType") == "10");
  CHECK(e.has_field("Empty"));
  CHECK(e.field("TargetLogonId").empty());
  CHECK_FALSE(e.has_field("TargetLogonId"));
}

namespace {
Event make(Channel channel, int id, const std::string& provider = "") {
  Event e;
  e.channel = channel;
  e.event_id = id;
  e.provider = provider;
  return e;
}
}  // namespace

TEST_CASE("the Security, System, LSM and RCM events SPEC 1.2 lists are relevant, others are not") {
  for (int id : {4624, 4634, 4647, 4800, 4801, 4802, 4803, 4778, 4779, 4608, 4609, 4616, 1100, 1102})
    CHECK(is_relevant_event(make(Channel::Security, id)));
  for (int id : {4625, 4688, 4672, 5140}) CHECK_FALSE(is_relevant_event(make(Channel::Security, id)));
  for (int id : {6005, 6006, 6008, 6009, 1074, 104}) CHECK(is_relevant_event(make(Channel::System, id)));
  CHECK_FALSE(is_relevant_event(make(Channel::System, 7036)));
  for (int id : {21, 22, 23, 24, 25, 39, 40}) CHECK(is_relevant_event(make(Channel::LocalSessionManager, id)));
  CHECK_FALSE(is_relevant_event(make(Channel::LocalSessionManager, 41)));
  CHECK(is_relevant_event(make(Channel::RemoteConnectionManager, 1149)));
  CHECK_FALSE(is_relevant_event(make(Channel::RemoteConnectionManager, 261)));
  CHECK_FALSE(is_relevant_event(make(Channel::Other, 4624)));
}

TEST_CASE("System 41 is a crash reboot only from Kernel-Power, not another provider's 41") {
  CHECK(is_relevant_event(make(Channel::System, 41, "Microsoft-Windows-Kernel-Power")));
  CHECK_FALSE(is_relevant_event(make(Channel::System, 41, "Microsoft-Windows-TerminalServices-LocalSessionManager")));
  CHECK_FALSE(is_relevant_event(make(Channel::System, 41, "")));
}

TEST_CASE("the fields read are known by their whole name, case and length included") {
  for (const std::string_view name : {"User", "Data1", "Binary", "LogonType", "TargetUserName", "TargetLinkedLogonId",
                                      "SubjectUserName", "TargetLogonId", "TargetUserSid", "NewTime", "Param5"})
    CHECK(is_read_field(name));
  // The same first eight bytes, or the same length, or a name cut short or run on: not read.
  for (const std::string_view name : {"TargetUserNamf", "TargetUserSie", "TargetUser", "TargetUserNames", "Param6",
                                      "user", "Data3", "Use", "", "SubjectUserSid", "TargetLogonGuid",
                                      "TargetLinkedLogonIdXXXXXXXXXXXXXXXXXXXX"})
    CHECK_FALSE(is_read_field(name));
}

TEST_CASE("an event is described by its first fields only when it has none of the described ones") {
  Event e;
  e.fields = {{"SubjectUserSid", "S-1-5-18"}, {"ProcessName", "x"}};
  CHECK(is_described_by_first_fields(e));
  e.fields.push_back({"TargetUserName", "jdoe"});
  CHECK_FALSE(is_described_by_first_fields(e));
  e.fields.back().name = "TargetUserNamf";
  CHECK(is_described_by_first_fields(e));
}
