// For the model's tests of the forms an event is kept in (packed, held by a host's reconstruction):
// an event of every odd shape, and one check that two events are equal in every member.
#pragma once

#include <catch2/catch.hpp>

#include "flexrecon/event.h"

namespace flexrecon::test {

// What a SIEM export and a hostile file can give: a line reference, the longest channel name, a
// negative id, the largest record id, the earliest time, empty and binary text, a 100 KB value.
inline Event odd_event() {
  Event odd;
  odd.source = 4'000'000'000u;
  odd.line = 123'456'789'012ull;
  odd.ref_by_line = true;
  odd.channel_name = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  odd.channel = Channel::LocalSessionManager;
  odd.event_id = -1;
  odd.record_id = UINT64_MAX;
  odd.time = kMinInstant;
  odd.fields = {{"", ""}, {"Binary", std::string("\0\xff\x80 x", 5)}, {"User", std::string(100'000, 'u')}};
  return odd;
}

inline void require_same_event(const Event& a, const Event& b) {
  CHECK(a.source == b.source);
  CHECK(a.line == b.line);
  CHECK(a.ref_by_line == b.ref_by_line);
  CHECK(a.channel_name == b.channel_name);
  CHECK(a.channel == b.channel);
  CHECK(a.provider == b.provider);
  CHECK(a.computer == b.computer);
  CHECK(a.host == b.host);
  CHECK(a.event_id == b.event_id);
  CHECK(a.record_id == b.record_id);
  CHECK(a.time == b.time);
  REQUIRE(a.fields.size() == b.fields.size());
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    CHECK(a.fields[i].name == b.fields[i].name);
    CHECK(a.fields[i].value == b.fields[i].value);
  }
}

}  // namespace flexrecon::test
