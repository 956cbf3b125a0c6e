#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "ingest/event_fingerprint.h"

using namespace flexrecon;

namespace {

Event logon(std::vector<EventField> fields, int id = 4624) {
  Event e;
  e.event_id = id;
  e.time = 1'700'000'000 * kSecond;
  e.provider = "Microsoft-Windows-Security-Auditing";
  e.fields = std::move(fields);
  return e;
}

// 4624's fields in the order Windows writes them: not alphabetical.
std::vector<EventField> windows_order() {
  return {{"SubjectUserSid", "S-1-5-18"}, {"SubjectUserName", "WS-1$"}, {"TargetUserName", "jdoe"},
          {"TargetLogonId", "0x3e7"},     {"LogonType", "2"},           {"IpAddress", "-"}};
}

}  // namespace

TEST_CASE("a fingerprint does not depend on the order the fields come in") {
  Fingerprinter fingerprinter;
  const Fingerprint windows = fingerprinter.of(logon(windows_order()));
  std::vector<EventField> reversed = windows_order();
  std::reverse(reversed.begin(), reversed.end());
  CHECK(fingerprinter.of(logon(reversed)) == windows);
  // Asked again in Windows's order after another order was seen for the same id.
  CHECK(fingerprinter.of(logon(windows_order())) == windows);
  // A fresh fingerprinter (another reader thread) agrees.
  Fingerprinter other;
  CHECK(other.of(logon(reversed)) == windows);
}

TEST_CASE("a fingerprint changes with any value, name or id, and with a field more") {
  Fingerprinter fingerprinter;
  const Fingerprint base = fingerprinter.of(logon(windows_order()));
  std::vector<EventField> changed_value = windows_order();
  changed_value[2].value = "jdoe2";
  CHECK(fingerprinter.of(logon(changed_value)) != base);
  std::vector<EventField> changed_name = windows_order();
  changed_name[4].name = "LogonTypeX";
  CHECK(fingerprinter.of(logon(changed_name)) != base);
  CHECK(fingerprinter.of(logon(windows_order(), 4625)) != base);
  std::vector<EventField> more = windows_order();
  more.push_back({"ElevatedToken", "%%1842"});
  CHECK(fingerprinter.of(logon(more)) != base);
  // Back to the first form: the remembered order of another shape must not leak into it.
  CHECK(fingerprinter.of(logon(windows_order())) == base);
}

TEST_CASE("which value goes with which name counts, though each list of names is hashed once") {
  Fingerprinter fingerprinter;
  const Fingerprint a = fingerprinter.of(logon({{"A", "1"}, {"B", "2"}}));
  CHECK(fingerprinter.of(logon({{"A", "2"}, {"B", "1"}})) != a);
  CHECK(fingerprinter.of(logon({{"A", "12"}, {"B", "-"}})) != fingerprinter.of(logon({{"A", "1"}, {"B", "2-"}})));
  // Names (and so their digest) changed, values not.
  CHECK(fingerprinter.of(logon({{"A", "1"}, {"C", "2"}})) != a);
  // A name twice is hashed the other way, (name, value) pairs: never the same bytes as a list's.
  CHECK(fingerprinter.of(logon({{"A", "1"}, {"B", "2"}, {"B", "2"}})) != a);
  CHECK(fingerprinter.of(logon({{"A", "1"}, {"B", "2"}})) == a);
}

TEST_CASE("fields that share a name are ordered by their values, so their order does not count either") {
  Fingerprinter fingerprinter;
  const Fingerprint a = fingerprinter.of(logon({{"Binary", "0A"}, {"Data", "x"}, {"Data", "y"}}));
  CHECK(fingerprinter.of(logon({{"Data", "y"}, {"Binary", "0A"}, {"Data", "x"}})) == a);
  CHECK(fingerprinter.of(logon({{"Data", "y"}, {"Binary", "0A"}, {"Data", "z"}})) != a);
}

TEST_CASE("values count in the form every export tool agrees on") {
  Fingerprinter fingerprinter;
  const auto with = [&](std::string logon_id, std::string guid) {
    return fingerprinter.of(logon({{"TargetLogonId", std::move(logon_id)}, {"LogonGuid", std::move(guid)}, {"Empty", ""}}));
  };
  const Fingerprint base = with("0x3e7", "{ABCDEF01-0000-0000-0000-000000000000}");
  CHECK(with("0x00000000000003e7", "{abcdef01-0000-0000-0000-000000000000}") == base);
  CHECK(with("0x3E7", "{ABCDEF01-0000-0000-0000-000000000000}\r") == base);
  CHECK(fingerprinter.of(logon({{"TargetLogonId", "0x3e7"}, {"LogonGuid", "{ABCDEF01-0000-0000-0000-000000000000}"}})) == base);
  CHECK(with("0x3e8", "{ABCDEF01-0000-0000-0000-000000000000}") != base);
}

TEST_CASE("values fold ASCII capitals and drop carriage returns at any length and position, and nothing else") {
  // Canonical values are written eight bytes at a time where that gives the same bytes: every kind of
  // byte is tried at every position of values longer than one word, and in the provider too.
  Fingerprinter fingerprinter;
  const auto of = [&](std::string value, std::string provider = "P") {
    Event e = logon({{"Value", std::move(value)}});
    e.provider = std::move(provider);
    return fingerprinter.of(e);
  };
  const std::string tail = "abcdefghijklmnopq";
  for (std::size_t at = 0; at < 17; ++at) {
    CAPTURE(at);
    const auto with = [&](std::string_view piece) {
      std::string v = tail.substr(0, at);
      v += piece;
      v += tail.substr(at);
      return v;
    };
    const Fingerprint plain = of(with("x"));
    CHECK(of(with("X")) == plain);                  // a capital folds
    CHECK(of(with("x\r")) == plain);                // a carriage return is dropped
    CHECK(of(with("\rX\r")) == plain);
    CHECK(of(with("A")) != plain);                  // 'a' is not 'x'
    CHECK(of(with("A")) == of(with("a")));
    CHECK(of(with("Z")) == of(with("z")));
    CHECK(of(with("@")) != of(with("`")));          // the bytes around the capitals keep their case
    CHECK(of(with("[")) != of(with("{")));
    CHECK(of(with("\xC3\x89")) != of(with("\xC3\xA9")));  // É is not é: only ASCII folds
    CHECK(of(with("\xC3\x89X")) == of(with("\xC3\x89x")));
    CHECK(of(with("\n")) != plain);                 // a line feed counts
    CHECK(of("x", with("X")) == of("x", with("x")));  // the provider folds too, and keeps its \r
    CHECK(of("x", with("\r")) != of("x", with("")));
  }
}
