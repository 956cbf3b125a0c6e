#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "flexrecon/error.h"
#include "flexrecon/host_event.h"

#include "same_event.h"

using namespace flexrecon;

namespace {

// A 4624 as the reconstruction holds it: the header and the fields a logon keeps (is_kept_field).
Event kept_logon() {
  Event e;
  e.source = 3;
  e.line = 0;
  e.channel_name = "Security";
  e.channel = Channel::Security;
  e.provider = "Microsoft-Windows-Security-Auditing";
  e.computer = "WS-0042.corp.example";
  e.host = "ws-0042";
  e.event_id = 4624;
  e.record_id = 1'234'567;
  e.time = 1'740'000'000'000'000;
  e.fields = {{"TargetUserSid", "S-1-5-21-3623811015-3361044348-30300820-5016"},
              {"TargetUserName", "jdoe"},
              {"TargetDomainName", "CORP"},
              {"TargetLogonId", "0x1376d3c"},
              {"LogonType", "10"},
              {"TargetLinkedLogonId", "0x0"},
              {"ElevatedToken", "%%1842"}};
  return e;
}

}  // namespace

TEST_CASE("a host event gives back the event it was made from, whatever its shape", "[model][host-event]") {
  Event odd = test::odd_event();
  odd.host = "ws-0042";
  Event none;
  none.host = "ws-0042";
  for (const Event& e : {kept_logon(), odd, none}) {
    const HostEvent held(e);
    test::require_same_event(held.to_event("ws-0042"), e);
    CHECK(held.ref() == e.ref());
    CHECK(held.field_count() == e.fields.size());
  }
  // A copy is its own: the original may go.
  HostEvent copy;
  {
    const HostEvent held(kept_logon());
    copy = held;
  }
  test::require_same_event(copy.to_event("ws-0042"), kept_logon());
}

TEST_CASE("a host event's fields are looked up as an Event's: the first of a name, empty when absent", "[model][host-event]") {
  Event e = kept_logon();
  e.fields.push_back({"TargetUserName", "someone-else"});
  e.fields.push_back({"Empty", ""});
  const HostEvent held(e);
  CHECK(held.field("TargetUserName") == "jdoe");
  CHECK(held.field("LogonType") == "10");
  CHECK(held.has_field("Empty"));
  CHECK(held.field("Empty").empty());
  CHECK_FALSE(held.has_field("SubjectUserSid"));
  CHECK(held.field("SubjectUserSid").empty());
  CHECK(held.provider() == "Microsoft-Windows-Security-Auditing");
  CHECK(held.computer() == "WS-0042.corp.example");
  CHECK(held.channel_name() == "Security");
  CHECK(held.field_name(6) == "ElevatedToken");
  CHECK(held.field_value(7) == "someone-else");
  // Past the end: nothing, never a read outside the buffer.
  CHECK(held.field_name(100).empty());
  const HostEvent blank;
  CHECK(blank.field_count() == 0);
  CHECK(blank.provider().empty());
  CHECK_FALSE(blank.has_field(""));
}

TEST_CASE("a host event's texts are its channel, provider, computer and name-value pairs, nothing else", "[model][host-event]") {
  HostEvent e;
  const std::vector<std::string_view> two = {"Security", "provider"};
  CHECK_THROWS_AS(e.set_texts(two), Error);
  const std::vector<std::string_view> unpaired = {"Security", "provider", "computer", "LogonType"};
  CHECK_THROWS_AS(e.set_texts(unpaired), Error);
  const std::vector<std::string_view> paired = {"Security", "provider", "computer", "LogonType", "2"};
  e.set_texts(paired);
  CHECK(e.field("LogonType") == "2");
}

// The reconstruction holds every used event of the host being rebuilt, per thread (docs/scale.md):
// what an event costs there is what bounds that phase's memory.
TEST_CASE("a held logon costs about half of what it cost as an Event", "[model][host-event]") {
  const Event e = kept_logon();
  std::size_t text = e.channel_name.size() + e.provider.size() + e.computer.size();
  for (const EventField& f : e.fields) text += f.name.size() + f.value.size();
  const HostEvent held(e);
  // One heap block: the texts and a 4-byte end per text (3 + 2 per field), and the count.
  const std::size_t texts = 3 + 2 * e.fields.size();
  CHECK(held.heap_bytes() <= text + 4 * (texts + 1) + 1);
  const std::size_t host_event = sizeof(HostEvent) + held.heap_bytes();
  // As an Event: the struct, two strings per field, and the heap blocks of the strings longer than
  // a short string holds (provider, computer, a SID, two field names): at least these.
  std::size_t event = sizeof(Event) + e.fields.size() * sizeof(EventField);
  for (const std::string* s : {&e.provider, &e.computer}) event += s->size() + 1;
  INFO("HostEvent " << host_event << " bytes, Event at least " << event << " bytes");
  CHECK(2 * host_event <= event + 64);
}
