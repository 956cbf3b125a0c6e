#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

#include "flexrecon/error.h"
#include "flexrecon/event_store.h"
#include "flexrecon/packed_events.h"
#include "support/temp_dir.h"

#include "same_event.h"

using namespace flexrecon;

namespace {

// A logon as the reconstruction keeps it: the header and the read fields of a 4624.
Event logon(std::uint64_t record_id) {
  Event e;
  e.source = 7;
  e.record_id = record_id;
  e.channel_name = "Security";
  e.channel = Channel::Security;
  e.provider = "Microsoft-Windows-Security-Auditing";
  e.computer = "WS-0042.corp.example";
  e.host = "ws-0042";
  e.event_id = 4624;
  e.time = 1'740'000'000'000'000 + static_cast<Instant>(record_id) * kSecond;
  e.fields = {{"SubjectUserSid", "S-1-5-18"},
              {"SubjectUserName", "WS-0042$"},
              {"SubjectDomainName", "CORP"},
              {"SubjectLogonId", "0x3e7"},
              {"TargetUserSid", "S-1-5-21-3623811015-3361044348-30300820-5016"},
              {"TargetUserName", "jdoe"},
              {"TargetDomainName", "CORP"},
              {"TargetLogonId", "0x1376d3c"},
              {"LogonType", "10"},
              {"TargetLinkedLogonId", "0x0"},
              {"ElevatedToken", "%%1842"}};
  return e;
}

// `e` as one of `host`'s events: a host's list gives every event its name (HostEvents::host).
Event on_host(Event e, const std::string& host) {
  e.host = host;
  return e;
}

}  // namespace

TEST_CASE("a packed event reads back equal in every member, in the order added", "[model][packed]") {
  Event odd = test::odd_event();
  PackedEvents packed;
  packed.add(logon(1));
  packed.add(odd);
  packed.add(Event{});
  REQUIRE(packed.size() == 3);
  test::require_same_event(packed.at(0), logon(1));
  test::require_same_event(packed.at(1), odd);
  test::require_same_event(packed.at(2), Event{});
  CHECK_THROWS(packed.at(3));
}

TEST_CASE("an event read into one reused for another takes every member of the new one, fields included",
          "[model][packed]") {
  // The pack decodes thousands of events into one Event in a row: nothing of the previous one
  // (a longer field list, longer strings, a line reference) may survive into the next.
  Event many = logon(7);
  many.ref_by_line = true;
  many.line = 99;
  many.fields.push_back({"Extra", std::string(500, 'x')});
  many.fields.push_back({"More", "y"});
  Event few = logon(2);
  few.fields.resize(1);
  few.host = "h";
  const auto file_test = [&](PackedEvents& packed, const std::vector<Event>& added) {
    Event into;
    packed.at(0, into);
    test::require_same_event(into, added[0]);
    packed.at(1, into);
    test::require_same_event(into, added[1]);
    packed.at(2, into);
    test::require_same_event(into, added[2]);
    packed.at(0, into);
    test::require_same_event(into, added[0]);
    CHECK_THROWS(packed.at(3, into));
  };
  PackedEvents in_memory;
  for (const Event& e : {many, few, Event{}}) in_memory.add(e);
  file_test(in_memory, {many, few, Event{}});
  test::TempDir dir;
  HostEvents host;
  host.host = "ws-0042";
  host.events = {many, few, Event{}};
  pack_events(host, std::make_shared<PackedEventFile>(dir.path().string()));
  file_test(host.packed, {many, on_host(few, "ws-0042"), on_host(Event{}, "ws-0042")});
}

TEST_CASE("a host's packed events hold a bounded number of bytes each, far below the events themselves",
          "[model][packed]") {
  HostEvents host;
  host.host = "ws-0042";
  for (std::uint64_t i = 0; i < 10'000; ++i) host.events.push_back(logon(i));
  pack_events(host);
  CHECK(host.events.empty());
  CHECK(host.events.capacity() == 0);
  REQUIRE(host.packed.size() == 10'000);
  test::require_same_event(host.packed.at(9'999), logon(9'999));
  // Packed, an event is its text plus its lengths, numbers and offset (a few dozen bytes); as an
  // Event it is the struct, two strings per field and the heap blocks of the long strings.
  const Event e = logon(0);
  std::size_t text = e.channel_name.size() + e.provider.size() + e.computer.size() + e.host.size();
  for (const EventField& f : e.fields) text += f.name.size() + f.value.size();
  const std::size_t per_event = host.packed.memory_bytes() / host.packed.size();
  INFO("text " << text << " bytes, packed " << per_event << " bytes per event, sizeof(Event) " << sizeof(Event));
  CHECK(per_event <= text + 64);
  CHECK(2 * per_event < sizeof(Event) + e.fields.size() * sizeof(EventField));
}

TEST_CASE("hosts moved to the cited-events file keep one offset per event in memory, whatever the events hold",
          "[model][packed]") {
  // A run packs each host as its timeline is done: memory must not grow with the events' text, only
  // with their number (what the pack will look up), while the file takes the bytes.
  test::TempDir dir;
  const auto file = std::make_shared<PackedEventFile>(dir.path().string());
  std::vector<HostEvents> done;
  std::size_t events = 0;
  std::size_t text = 0;
  for (int h = 0; h < 200; ++h) {
    HostEvents host;
    host.host = "ws-" + std::to_string(h);
    for (std::uint64_t i = 0; i < 50; ++i) {
      Event e = on_host(logon(static_cast<std::uint64_t>(h) * 1000 + i), host.host);
      e.fields.push_back({"Binary", std::string(2000, 'b')});  // large read fields do not stay in memory
      text += 2000;
      host.events.push_back(std::move(e));
    }
    events += host.events.size();
    pack_events(host, file);
    CHECK(host.packed.on_file());
    done.push_back(std::move(host));
    std::size_t held = 0;
    for (const HostEvents& d : done) held += d.packed.memory_bytes();
    // One offset per event and the fixed part per host: the bound the run's peak relies on.
    REQUIRE(held <= events * sizeof(std::size_t) + done.size() * sizeof(PackedEvents));
  }
  CHECK(file->size() > text);
  // Every host reads back its own events, from the file, in order.
  Event back = on_host(logon(199'049), "ws-199");
  back.fields.push_back({"Binary", std::string(2000, 'b')});
  test::require_same_event(done.back().packed.at(49), back);
  back = on_host(logon(0), "ws-0");
  back.fields.push_back({"Binary", std::string(2000, 'b')});
  test::require_same_event(done.front().packed.at(0), back);
  CHECK_THROWS(done.front().packed.at(50));
  // Hosts asked for out of order and back again: each answer is its own host's event (the file
  // keeps the last host's bytes read whole, and must switch when asked for another).
  for (std::size_t h = done.size(); h-- > 0;) {
    const std::size_t i = h % 50;
    REQUIRE(done[h].packed.at(i).record_id == h * 1000 + i);
    REQUIRE(done[0].packed.at(i).record_id == i);
  }
}

TEST_CASE("an event of any shape reads back equal from the cited-events file", "[model][packed]") {
  test::TempDir dir;
  const auto file = std::make_shared<PackedEventFile>(dir.path().string());
  Event odd;
  odd.ref_by_line = true;
  odd.line = 77;
  odd.time = kMinInstant;
  odd.fields = {{"", ""}, {"Binary", std::string("\0\xff\x80 x", 5)}, {"User", std::string(100'000, 'u')}};
  HostEvents empty;  // a host whose timeline cites nothing still takes its (empty) place
  pack_events(empty, file);
  HostEvents host;
  host.host = "ws-0042";
  host.events = {logon(1), odd, Event{}};
  pack_events(host, file);
  REQUIRE(host.packed.size() == 3);
  CHECK(empty.packed.empty());
  test::require_same_event(host.packed.at(0), logon(1));
  test::require_same_event(host.packed.at(1), on_host(odd, "ws-0042"));
  test::require_same_event(host.packed.at(2), on_host(Event{}, "ws-0042"));
  CHECK_THROWS_AS(host.packed.move_to(file), Error);  // once only: the offsets are the file's now
  CHECK_THROWS_AS(host.packed.add(odd), Error);
}

TEST_CASE("the cited-events file leaves nothing behind, and a folder that cannot hold it stops the run",
          "[model][packed]") {
  test::TempDir dir;
  {
    PackedEventFile file(dir.path().string());
    file.append("bytes the pack will read back");
    // Unlinked as soon as made: even a run killed outright leaves no file to delete by hand.
    CHECK(std::filesystem::is_empty(dir.path()));
    std::string back;
    file.read(6, 3, back);
    CHECK(back == "the");
  }
  CHECK(std::filesystem::is_empty(dir.path()));
  try {
    PackedEventFile file("/nonexistent-flexrecon-folder/sub");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("/nonexistent-flexrecon-folder/sub") != std::string::npos);
    CHECK(std::string(e.what()).find("--spill-dir") != std::string::npos);
  }
}
