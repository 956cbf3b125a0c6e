#include <catch2/catch.hpp>

#include <filesystem>

#include "ingest/byte_sources.h"
#include "ingest/event_stream.h"
#include "ingest/utf8_decoder.h"
#include "ingest/xml_reader.h"
#include "ingest_test_support.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

const std::string kT1 = "2025-03-03T08:01:02.1234567Z";
const std::string kT2 = "2025-03-03T08:05:00.0000000Z";
const std::string kT3 = "2025-03-03T09:00:00.5Z";

std::string event_viewer_file(const std::string& events) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Events>" + events + "</Events>";
}

}  // namespace

TEST_CASE("wevtutil output (bare events run together, no root) is read in full") {
  Rejects rejects;
  std::string format;
  const auto events = read_all(logon_4624(1001, kT1) + process_4688(1002, kT2) + "\r\n", rejects, &format);
  CHECK(format == "wevtutil-xml");
  CHECK(rejects.empty());
  REQUIRE(events.size() == 2);
  const Event& e = events[0];
  CHECK(e.event_id == 4624);
  CHECK(e.record_id == 1001);
  CHECK(e.channel == Channel::Security);
  CHECK(e.channel_name == "Security");
  CHECK(e.provider == "Microsoft-Windows-Security-Auditing");
  CHECK(e.computer == "WS-0042.corp.example");
  CHECK(e.host == "ws-0042");
  CHECK(e.source == 7);
  CHECK(e.line == 1);
  CHECK(e.time == *parse_timestamp("2025-03-03T08:01:02.123456Z"));
  CHECK(e.field("TargetUserName") == "jdoe");
  CHECK(e.field("LogonType") == "2");
  CHECK(events[1].event_id == 4688);
}

TEST_CASE("wevtutil /e:root output (a <root> wrapper) is read in full") {
  Rejects rejects;
  std::string format;
  const auto events = read_all("<root>" + logon_4624(1, kT1) + "\n" + logon_4624(2, kT2) + "</root>", rejects, &format);
  CHECK(format == "root-xml");
  CHECK(rejects.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[1].line == 2);
}

TEST_CASE("Event Viewer 'Save As XML' (declaration and <Events> root, double quotes) is read in full") {
  const std::string ev =
      "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider "
      "Name=\"EventLog\"/><EventID Qualifiers=\"32768\">6008</EventID><Level>2</Level><Task>0</Task>"
      "<Keywords>0x80000000000000</Keywords><TimeCreated SystemTime=\"2025-03-01T07:59:58.000000000Z\"/>"
      "<EventRecordID>88</EventRecordID><Channel>System</Channel><Computer>ws-0042.corp.example</Computer>"
      "<Security/></System><EventData><Data>08:12:44</Data><Data>28/02/2025</Data><Data></Data>"
      "<Binary>E9070200050019000C002C000000000000000000</Binary></EventData>"
      "<RenderingInfo Culture=\"en-US\"><Message>The previous system shutdown was unexpected.</Message></RenderingInfo>"
      "</Event>";
  Rejects rejects;
  std::string format;
  const auto events = read_all(event_viewer_file(ev), rejects, &format);
  CHECK(format == "eventviewer-xml");
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  const Event& e = events[0];
  CHECK(e.event_id == 6008);
  CHECK(e.channel == Channel::System);
  CHECK(e.line == 2);
  // Unnamed Data are numbered in order; Binary keeps its own name.
  CHECK(e.field("Data1") == "08:12:44");
  CHECK(e.field("Data2") == "28/02/2025");
  CHECK(e.has_field("Data3"));
  CHECK(e.field("Binary") == "E9070200050019000C002C000000000000000000");
}

TEST_CASE("PowerShell ToXml() output (one event per line, single quotes) is read in full") {
  Rejects rejects;
  std::string format;
  const auto events = read_all(logon_4624(5, kT1) + "\r\n" + lsm_21(6, kT2) + "\r\n", rejects, &format);
  CHECK(format == "powershell-xml");
  CHECK(rejects.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[1].line == 2);
  CHECK(events[1].channel == Channel::LocalSessionManager);
  // UserData/<EventXML>/<field>: the element name is the field name.
  CHECK(events[1].field("User") == "CORP\\jdoe");
  CHECK(events[1].field("SessionID") == "2");
  CHECK(events[1].field("Address") == "LOCAL");
}

TEST_CASE("python-evtx output (XML 1.1 declaration, space-separated SystemTime) is read in full") {
  const std::string ev =
      "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider "
      "Name=\"Microsoft-Windows-Eventlog\" Guid=\"{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}\"></Provider>\n"
      "<EventID Qualifiers=\"\">1102</EventID>\n<TimeCreated SystemTime=\"2021-10-20 13:39:12.731903\"></TimeCreated>\n"
      "<EventRecordID>67099</EventRecordID>\n<Channel>Security</Channel>\n<Computer>FS03.offsec.lan</Computer>\n"
      "</System>\n<UserData><LogFileCleared xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\">"
      "<SubjectUserName>admmig</SubjectUserName>\n<SubjectLogonId>0x0000000001f4c65f</SubjectLogonId>\n"
      "</LogFileCleared>\n</UserData>\n</Event>\n";
  Rejects rejects;
  std::string format;
  const auto events =
      read_all("<?xml version=\"1.1\" encoding=\"utf-8\" standalone=\"yes\" ?>\n\n<Events>\n" + ev + "\n</Events>", rejects, &format);
  CHECK(format == "eventviewer-xml");
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  CHECK(events[0].line == 4);
  CHECK(events[0].time == *parse_timestamp("2021-10-20T13:39:12.731903Z"));
  CHECK(events[0].host == "fs03");
  CHECK(parse_logon_id(events[0].field("SubjectLogonId")) == 0x1f4c65f);
}

TEST_CASE("SystemTime with 0 to 9 fraction digits, T or space, with or without Z, all parse") {
  for (const std::string t : {"2025-03-03T08:01:02Z", "2025-03-03T08:01:02.1Z", "2025-03-03 08:01:02.123456",
                              "2025-03-03T08:01:02.123456789Z", "2025-03-03T08:01:02"}) {
    Rejects rejects;
    const auto events = read_all(logon_4624(1, t), rejects);
    INFO(t);
    CHECK(rejects.empty());
    REQUIRE(events.size() == 1);
    CHECK(events[0].time / kSecond == *parse_timestamp("2025-03-03T08:01:02Z") / kSecond);
  }
}

TEST_CASE("UTF-16LE and UTF-16BE files with a BOM read like their UTF-8 form") {
  const std::string text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>\r\n" + logon_4624(1, kT1) + "\r\n" +
                           lsm_21(2, kT2) + "\r\n</Events>\r\n";
  Rejects utf8_rejects;
  const auto expected = read_all(text, utf8_rejects);
  REQUIRE(expected.size() == 2);
  for (const bool le : {true, false}) {
    INFO((le ? "UTF-16LE" : "UTF-16BE"));
    Rejects rejects;
    std::string format;
    const auto events = read_all(utf16(text, le), rejects, &format);
    CHECK(format == "eventviewer-xml");
    CHECK(rejects.empty());
    REQUIRE(events.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(events[i].line == expected[i].line);
      CHECK(events[i].record_id == expected[i].record_id);
      CHECK(events[i].fields.size() == expected[i].fields.size());
      CHECK(events[i].field("User") == expected[i].field("User"));
    }
  }
}

TEST_CASE("a UTF-8 BOM is skipped and non-ASCII text survives UTF-16 decoding, surrogate pairs included") {
  Rejects rejects;
  const auto events = read_all("\xEF\xBB\xBF" + logon_4624(1, kT1, "WS-0042", "jdoe"), rejects);
  REQUIRE(events.size() == 1);
  // "Jürgen 😀" in UTF-16LE with a BOM, decoded to UTF-8.
  const std::string le("\xFF\xFEJ\0\xFC\0r\0g\0e\0n\0 \0\x3D\xD8\x00\xDE", 20);
  MemorySource in(le);
  Utf8Decoder decoder(in);
  CHECK(read_head(decoder, 100) == "J\xC3\xBCrgen \xF0\x9F\x98\x80");
  CHECK(decoder.encoding() == Utf8Decoder::Encoding::Utf16LE);
}

TEST_CASE("a broken event in the middle is rejected alone and the events after it are read") {
  std::string broken = logon_4624(2, kT2);
  broken.replace(broken.find("</EventData>"), 12, "</EvntData>");
  Rejects rejects;
  const auto events = read_all("<Events>\n" + logon_4624(1, kT1) + "\n" + broken + "\n" + logon_4624(3, kT3) + "\n</Events>", rejects);
  REQUIRE(events.size() == 2);
  CHECK(events[0].record_id == 1);
  CHECK(events[1].record_id == 3);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].source == "test.xml");
  CHECK(rejects[0].location == "line 3");
  CHECK(rejects[0].reason.starts_with("malformed XML: "));
}

TEST_CASE("an event cut off where the next one starts is rejected alone, the next one is read") {
  std::string cut = logon_4624(2, kT2);
  cut.resize(cut.find("<EventData>"));
  Rejects rejects;
  const auto events = read_all(logon_4624(1, kT1) + "\n" + cut + "\n" + logon_4624(3, kT3) + "\n", rejects);
  REQUIRE(events.size() == 2);
  CHECK(events[1].record_id == 3);
  CHECK(events[1].line == 3);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 2");
  CHECK(rejects[0].reason == "truncated event: a new <Event> starts before </Event>");
}

TEST_CASE("a file whose last event is truncated keeps every complete event before it") {
  std::string cut = logon_4624(2, kT2);
  cut.resize(cut.size() / 2);
  Rejects rejects;
  const auto events = read_all("<Events>\n" + logon_4624(1, kT1) + "\n" + cut, rejects);
  REQUIRE(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 3");
  CHECK(rejects[0].reason == "truncated event at end of file");
}

TEST_CASE("an event without EventID, TimeCreated or Computer is rejected with what it lacks") {
  const std::string good = logon_4624(1, kT1);
  auto without = [&](const std::string& what, const std::string& replacement = "") {
    std::string e = good;
    const auto at = e.find(what);
    REQUIRE(at != std::string::npos);
    return e.replace(at, what.size(), replacement);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {without("<EventID>4624</EventID>"), "missing EventID"},
      {without("<EventID>4624</EventID>", "<EventID>46x4</EventID>"), "unparsable EventID '46x4'"},
      {without("<TimeCreated SystemTime='" + kT1 + "'/>"), "missing TimeCreated/@SystemTime"},
      {without("<Computer>WS-0042.corp.example</Computer>"), "missing Computer"},
      {without(kT1, "2025-02-30T08:00:00Z"), "unparsable SystemTime '2025-02-30T08:00:00Z'"},
  };
  for (const auto& [text, reason] : cases) {
    Rejects rejects;
    const auto events = read_all(text + "\n" + logon_4624(9, kT2), rejects);
    INFO(reason);
    CHECK(events.size() == 1);
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].location == "line 1");
    CHECK(rejects[0].reason.starts_with(reason));
  }
}

TEST_CASE("a reference to an undeclared entity rejects the event, nothing is expanded") {
  Rejects rejects;
  const auto events = read_all(logon_4624(1, kT1, "WS-0042", "&xxe;") + "\n" + logon_4624(3, kT2), rejects);
  REQUIRE(events.size() == 1);
  CHECK(events[0].record_id == 3);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 1");
  CHECK(rejects[0].reason == "entity reference '&xxe;' not allowed");
}

TEST_CASE("a file-level DTD is never processed: events using its entities are rejected, the others read") {
  const std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Events [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n<Events>\n" +
                           logon_4624(1, kT1, "WS-0042", "&xxe;") + "\n" + logon_4624(2, kT2) + "\n</Events>\n";
  Rejects rejects;
  std::string format;
  const auto events = read_all(text, rejects, &format);
  CHECK(format == "eventviewer-xml");
  REQUIRE(events.size() == 1);
  CHECK(events[0].record_id == 2);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 6");
  CHECK(rejects[0].reason == "entity reference '&xxe;' not allowed");
}

TEST_CASE("a DTD or entity declaration inside an event rejects that event") {
  std::string ev = logon_4624(1, kT1);
  ev.insert(ev.find("<System>"), "<!ENTITY a 'b'>");
  Rejects rejects;
  const auto events = read_all(ev + "\n" + logon_4624(2, kT2), rejects);
  CHECK(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].reason == "DTD or entity declaration not allowed");
}

TEST_CASE("an entity reference or declaration is found wherever it sits in the event, also behind a control character") {
  // The event's bytes are looked at sixteen at a time and the tail one by one: every position.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    INFO(pad);
    Rejects rejects;
    const auto events = read_all(logon_4624(1, kT1, "WS-0042", std::string(pad, 'x') + "&xxe;"), rejects);
    CHECK(events.empty());
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].reason == "entity reference '&xxe;' not allowed");
  }
  // `<\x01!ENTITY`: the control character is dropped first, and what is left is a declaration.
  std::string ev = logon_4624(1, kT1);
  ev.insert(ev.find("<System>"), "<\x01!ENTITY a 'b'>");
  Rejects rejects;
  CHECK(read_all(ev, rejects).empty());
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].reason == "DTD or entity declaration not allowed");
}

TEST_CASE("predefined entities and numeric character references are decoded, not rejected") {
  Rejects rejects;
  const auto events = read_all(logon_4624(1, kT1, "WS-0042", "a&amp;b&lt;&#174;&#x41;"), rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  CHECK(events[0].field("TargetUserName") == "a&b<\xC2\xAE" "A");
}

TEST_CASE("raw control characters wevtutil emits are dropped and the event is kept") {
  Rejects rejects;
  const auto events = read_all(logon_4624(1, kT1, "WS-0042", std::string("jd\x01o\x02" "e\x0F")), rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  CHECK(events[0].field("TargetUserName") == "jdoe");
}

TEST_CASE("an event over the size limit is rejected alone and reading resumes after it") {
  EventReadOptions options;
  options.max_event_bytes = 4096;
  const std::string big = logon_4624(2, kT2, "WS-0042", std::string(10000, 'x'));
  Rejects rejects;
  const auto events = read_all(logon_4624(1, kT1) + "\n" + big + "\n" + logon_4624(3, kT3), rejects, nullptr, options);
  REQUIRE(events.size() == 2);
  CHECK(events[1].record_id == 3);
  CHECK(events[1].line == 3);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 2");
  CHECK(rejects[0].reason == "event larger than 4096 bytes");
}

TEST_CASE("the default size limit is 4 MiB: a 5 MiB event is rejected without stopping the file") {
  const std::string big = logon_4624(2, kT2, "WS-0042", std::string(5 << 20, 'x'));
  Rejects rejects;
  const auto events = read_all(big + "\n" + logon_4624(3, kT3), rejects);
  REQUIRE(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].reason == "event larger than 4194304 bytes");
}

TEST_CASE("an event nested deeper than 64 elements is rejected") {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "<a>";
  for (int i = 0; i < 70; ++i) deep += "</a>";
  std::string ev = logon_4624(1, kT1);
  ev.insert(ev.find("</EventData>"), deep);
  Rejects rejects;
  const auto events = read_all(ev + logon_4624(2, kT2), rejects);
  CHECK(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].reason == "nesting deeper than 64 elements");
}

TEST_CASE("nesting exactly at the depth bound is read and one level more is rejected, for any bound") {
  // The reader skips its depth walk when an event has too few tags to be that deep; the boundary
  // cases are the events with the fewest tags for their depth (an empty or self-closed innermost).
  for (const int bound : {1, 2, 3, 8, 64}) {
    for (const bool self_closed : {false, true}) {
      CAPTURE(bound, self_closed);
      const auto nested = [&](int depth) {  // <Event> counts as depth 1
        std::string inner;
        for (int i = 1; i < depth; ++i) inner += "<a>";
        if (self_closed && depth > 1) inner.replace(inner.size() - 3, 3, "<a/>");
        for (int i = 1; i < depth - (self_closed ? 1 : 0); ++i) inner += "</a>";
        return "<Event>" + inner + "</Event>";
      };
      EventReadOptions options;
      options.max_depth = bound;
      Rejects rejects;
      read_all(nested(bound) + "\n" + nested(bound + 1), rejects, nullptr, options);
      REQUIRE(rejects.size() == 2);
      CHECK(rejects[0].reason == "missing EventID");  // within the bound: judged on what it lacks
      CHECK(rejects[1].reason == "nesting deeper than " + std::to_string(bound) + " elements");
    }
  }
}

TEST_CASE("control characters and bytes that are not UTF-8 are repaired wherever they fall in the event") {
  // The reader looks at eight bytes at a time; the odd byte must be found at every offset.
  std::string file;
  for (int pad = 0; pad < 16; ++pad) {
    file += logon_4624(static_cast<std::uint64_t>(100 + pad), kT1, "WS-0042", std::string(static_cast<std::size_t>(pad), 'p') + "\x0F");
    file += logon_4624(static_cast<std::uint64_t>(200 + pad), kT1, "WS-0042", std::string(static_cast<std::size_t>(pad), 'p') + "\xFC");
    file += logon_4624(static_cast<std::uint64_t>(300 + pad), kT1, "WS-0042", "\x01" + std::string(static_cast<std::size_t>(pad), 'p') + "\xC3\xA9");
  }
  Rejects rejects;
  const auto events = read_all(file, rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 48);
  for (int pad = 0; pad < 16; ++pad) {
    CAPTURE(pad);
    const std::string p(static_cast<std::size_t>(pad), 'p');
    CHECK(events[static_cast<std::size_t>(3 * pad)].field("TargetUserName") == p);
    CHECK(events[static_cast<std::size_t>(3 * pad + 1)].field("TargetUserName") == p + "\xEF\xBF\xBD");
    CHECK(events[static_cast<std::size_t>(3 * pad + 2)].field("TargetUserName") == p + "\xC3\xA9");
  }
}

namespace {

// One 4624 per case, each with the element `element(case's input)` added to its EventData; the events
// read back, all accepted, in order.
template <typename MakeElement>
std::vector<Event> read_events_each_with(const std::vector<std::pair<std::string, std::string>>& cases, MakeElement element) {
  std::string file;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string ev = logon_4624(i + 1, kT1);
    ev.insert(ev.find("</EventData>"), element(cases[i].first));
    file += ev;
  }
  Rejects rejects;
  auto events = read_all(file, rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == cases.size());
  return events;
}

}  // namespace

TEST_CASE("a field's value is the element's first text, whatever comes before it") {
  // What a reader of the element's text gets; the parser's layout of text must not change it.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<!--note-->text", "text"},        {"<![CDATA[cd]]>after", "cd"}, {"before<![CDATA[cd]]>", "before"},
      {"x<b/>y", "x"},                    {"<b/>x", "x"},                {"  <b/>x", "x"},
      {"   ", ""},                        {"a&amp;b&#x41;&#66;", "a&bAB"}, {"<![CDATA[]]>tail", ""},  // an empty CDATA section is the first text
      {"<?pi x?>tail", "tail"},           {" x\r\ny ", "x\ny"}};
  const auto events = read_events_each_with(cases, [](const std::string& text) { return "<Data Name='probe'>" + text + "</Data>"; });
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(cases[i].first);
    CHECK(events[i].field("probe") == cases[i].second);
  }
}

TEST_CASE("a Data element's Name reads as XML defines it: references expanded, tabs and line ends as spaces") {
  // The parser asks pugixml for these conversions only in events that hold an `&` or a byte below
  // 0x20: each case sits in an event of its own, with nothing else to convert.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a&amp;b", "a&b"},  {"x&#x41;&#66;", "xAB"}, {"a\tb", "a b"},     {"a\r\nb", "a b"},
      {"a\nb", "a b"},    {"a\rb", "a b"},        {"plain", "plain"}, {"t&lt;\t", "t< "}};
  const auto events = read_events_each_with(cases, [](const std::string& name) { return "<Data Name='" + name + "'>v</Data>"; });
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(cases[i].first);
    CHECK(events[i].field(cases[i].second) == "v");
  }
}

TEST_CASE("namespace-prefixed events are split and read like plain ones") {
  const std::string ev =
      "<e:Event xmlns:e='http://schemas.microsoft.com/win/2004/08/events/event'><e:System><e:Provider Name='EventLog'/>"
      "<e:EventID>6005</e:EventID><e:TimeCreated SystemTime='" + kT1 + "'/><e:EventRecordID>4</e:EventRecordID>"
      "<e:Channel>System</e:Channel><e:Computer>WS-7</e:Computer></e:System><e:EventData><e:Data Name='x'>1</e:Data>"
      "</e:EventData></e:Event>";
  Rejects rejects;
  const auto events = read_all("<Events>" + ev + "</Events>", rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  CHECK(events[0].event_id == 6005);
  CHECK(events[0].field("x") == "1");
}

TEST_CASE("content that is not event XML is reported as unrecognised") {
  for (const std::string text : {"", "hello world", "<html><body>no events</body></html>", "{\"json\": true}"}) {
    Rejects rejects;
    std::string format = "unset";
    const auto events = read_all(text, rejects, &format);
    INFO(text);
    CHECK(format.empty());
    CHECK(events.empty());
  }
}

TEST_CASE("an event split across read chunks is reassembled (a stream that trickles one byte at a time)") {
  struct Trickle : ByteSource {
    std::string data;
    std::size_t pos = 0;
    std::size_t read(char* buf, std::size_t n) override {
      if (pos >= data.size() || n == 0) return 0;
      buf[0] = data[pos++];
      return 1;
    }
  } in;
  in.data = event_viewer_file("\n" + logon_4624(1, kT1) + "\n<!-- </Event> -->\n" + lsm_21(2, kT2) + "\n");
  Rejects rejects;
  std::vector<Event> events;
  read_event_stream(in, "t.xml", 0, {}, [&](Event&& e) { events.push_back(std::move(e)); }, rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[0].line == 3);
  CHECK(events[1].line == 5);
}

TEST_CASE("an event with bytes that are not UTF-8 is kept, the bad bytes marked, so the pack stays UTF-8") {
  Rejects rejects;
  std::string xml = logon_4624(7, "2026-11-02T08:50:00Z", "WS-0042.corp.example", "M\xFCller");
  const auto events = read_all(xml, rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 1);
  CHECK(events[0].field("TargetUserName") == "M\xEF\xBF\xBDller");
}

TEST_CASE("fields come from every UserData wrapper and from any EventData element, names without prefixes") {
  // SPEC 1.2: EventData/Data[@Name] or UserData/*/* — the same mapping the EVTX reader applies.
  Rejects rejects;
  const std::string xml =
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-TerminalServices-LocalSessionManager'/><EventID>24</EventID>"
      "<TimeCreated SystemTime='2026-11-02T10:00:00.000Z'/><EventRecordID>7</EventRecordID>"
      "<Channel>Microsoft-Windows-TerminalServices-LocalSessionManager/Operational</Channel>"
      "<Computer>\\\\WS-0042.corp.example</Computer></System>"
      "<UserData><EventXML xmlns='Event_NS'><User>CORP\\jdoe</User></EventXML>"
      "<ns:Extra xmlns:ns='x'><ns:SessionID>2</ns:SessionID></ns:Extra></UserData></Event>"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='EventLog'/><EventID>6008</EventID><TimeCreated SystemTime='2026-11-02T10:00:01Z'/>"
      "<EventRecordID>8</EventRecordID><Channel>System</Channel><Computer>WS-0042</Computer></System>"
      "<EventData><Data>10:00</Data><Data Name=''>x</Data><Binary>00FF</Binary><Extra>e</Extra></EventData></Event>";
  const auto events = read_all(xml, rejects);
  REQUIRE(rejects.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[0].host == "ws-0042");
  CHECK(events[0].field("User") == "CORP\\jdoe");
  CHECK(events[0].field("SessionID") == "2");
  REQUIRE(events[1].fields.size() == 4);
  CHECK(events[1].fields[0].name == "Data1");
  CHECK(events[1].fields[1].name == "Data2");  // an empty Name cannot be looked up: numbered like no Name
  CHECK(events[1].fields[2].name == "Binary");
  CHECK(events[1].fields[3].name == "Extra");
}

TEST_CASE("an export holding only an unterminated comment, or nothing but blanks after its root, is reported") {
  for (const std::string text : {"<?xml version=\"1.0\"?>\n<Events>\n<!-- cut off", "<Events>\n   \n", "<Events></Events>"}) {
    INFO(text);
    Rejects rejects;
    std::string format;
    const auto events = read_all(text, rejects, &format);
    CHECK(format == "eventviewer-xml");
    CHECK(events.empty());
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].source == "test.xml");
    CHECK(rejects[0].location == "file");
    CHECK(rejects[0].reason == "no <Event> element in the file");
  }
}

TEST_CASE("an event whose comment is cut off by the end of the file is rejected as truncated, with its line") {
  Rejects rejects;
  const auto events = read_all("<Events>\n" + logon_4624(1, kT1) + "\n<Event><!-- never closed", rejects);
  REQUIRE(events.size() == 1);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].location == "line 3");
  CHECK(rejects[0].reason == "truncated event at end of file");
}

TEST_CASE("sniffing is linear: heads built to make a rescanning sniffer quadratic are named in one pass") {
  // Each of these is 16 MiB, 256 times the real sniff window: a sniffer that rescans names or
  // searches the rest of the head per `<` would need ~10^14 steps and hit the test timeout.
  const std::size_t n = 16u << 20;
  CHECK(sniff_xml_format("<a" + std::string(n, '<')).empty());
  CHECK(sniff_xml_format("<a>" + std::string(n, '<') + "x").empty());
  std::string doctypes;
  while (doctypes.size() < n) doctypes += "<!DOCTYPE a>";
  CHECK(sniff_xml_format(doctypes + "<Events>") == "eventviewer-xml");
  std::string names;
  while (names.size() < n) names += "<" + std::string(300, 'n');
  CHECK(sniff_xml_format(names).empty());
  CHECK(sniff_xml_format("<root>" + std::string(n, '<') + "<Event>") == "root-xml");
}

TEST_CASE("the quadratic-sniff reproducer from fuzzing is read and found not to be event XML") {
  const std::filesystem::path path = std::string(FLEXRECON_SHARED_DATA) + "/fuzz-repro/sniff_quadratic.xml";
  REQUIRE(std::filesystem::exists(path));
  FileSource file(path.string());
  const std::string bytes = read_head(file, 1 << 20);
  REQUIRE(bytes.size() == 65532);
  CHECK(sniff_event_format(bytes).empty());
}

TEST_CASE("events are cited by their own line whatever the event before them holds: names ended by line ends, lone CRs") {
  // Evidence references to XML exports are file and line: an event written over many lines (tags
  // broken after their names, as pretty-printers do) must not shift the lines of the events after
  // it, and a lone CR, which XML reads as a line end inside a value, ends no line of the file.
  const std::string multi_line =
      "<Event\nxmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n<System>\n"
      "<Provider\nName='Microsoft-Windows-Security-Auditing'/>\n<EventID>4624</EventID>\n"
      "<TimeCreated\nSystemTime='" + kT1 + "'/>\n<EventRecordID>7</EventRecordID>\n<Channel>Security</Channel>\n"
      "<Computer>WS-0042.corp.example</Computer>\n</System>\n<EventData>\n"
      "<Data\nName='TargetUserName'>jdoe\r</Data>\n<Data Name='LogonType'>a\rb\rc</Data>\n</EventData>\n</Event>";
  Rejects rejects;
  // Lines: the first event on 1-18, the second on 19 and the third on 20 (a lone CR ends no line).
  const auto events = read_all(multi_line + "\n" + logon_4624(8, kT2) + "\n" + logon_4624(9, kT3) + "\n", rejects);
  CHECK(rejects.empty());
  REQUIRE(events.size() == 3);
  CHECK(events[0].line == 1);
  CHECK(events[0].field("TargetUserName") == "jdoe");
  CHECK(events[1].line == 19);
  CHECK(events[2].line == 20);
  CHECK(events[2].record_id == 9);
}
