#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "ingest/byte_sources.h"
#include "ingest/xml_event_splitter.h"
#include "ingest_test_support.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

const std::string kT1 = "2025-03-03T08:01:02Z";
const std::string kT2 = "2025-03-03T08:05:00Z";

// A stream generated while it is read: `head`, then `filler` repeated up to `filler_bytes`, then
// `tail`. Hundreds of MB can stream through the splitter without being written anywhere or held.
class GeneratedSource : public ByteSource {
 public:
  GeneratedSource(std::string head, char filler, std::uint64_t filler_bytes, std::string tail)
      : head_(std::move(head)), filler_(filler), filler_bytes_(filler_bytes), tail_(std::move(tail)) {}

  std::size_t read(char* buf, std::size_t n) override {
    std::size_t done = 0;
    while (done < n) {
      if (head_pos_ < head_.size()) {
        const std::size_t k = std::min(n - done, head_.size() - head_pos_);
        std::memcpy(buf + done, head_.data() + head_pos_, k);
        head_pos_ += k;
        done += k;
      } else if (filled_ < filler_bytes_) {
        const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, filler_bytes_ - filled_));
        std::memset(buf + done, filler_, k);
        filled_ += k;
        done += k;
      } else if (tail_pos_ < tail_.size()) {
        const std::size_t k = std::min(n - done, tail_.size() - tail_pos_);
        std::memcpy(buf + done, tail_.data() + tail_pos_, k);
        tail_pos_ += k;
        done += k;
      } else {
        break;
      }
    }
    streamed_ += done;
    return done;
  }
  std::uint64_t streamed() const { return streamed_; }

 private:
  std::string head_;
  char filler_;
  std::uint64_t filler_bytes_;
  std::string tail_;
  std::size_t head_pos_ = 0;
  std::uint64_t filled_ = 0;
  std::size_t tail_pos_ = 0;
  std::uint64_t streamed_ = 0;
};

struct Split {
  std::vector<RawEvent> events;
  std::size_t peak = 0;
  std::size_t limit = 0;
};

// Splits `in`, checking the buffer against its bound after every event (as the bytes stream).
Split split_all(ByteSource& in, std::uint64_t max_event_bytes = 4u << 20) {
  XmlEventSplitter splitter(in, max_event_bytes);
  Split out;
  out.limit = splitter.buffer_limit();
  RawEvent raw;
  while (splitter.next(raw)) {
    REQUIRE(splitter.peak_buffer_capacity() <= splitter.buffer_limit());
    out.events.push_back(raw);
  }
  out.peak = splitter.peak_buffer_capacity();
  return out;
}

const std::uint64_t k4MiB = 4u << 20;
// What "O(4 MiB + read buffer)" means in numbers: the event bound plus three read chunks and a
// name's lookahead, well under 5 MiB.
const std::size_t kCeiling = (4u << 20) + 3 * XmlEventSplitter::kReadChunk + 512;

}  // namespace

TEST_CASE("a 300 MB unterminated attribute streams through in bounded memory: one reject, then the next event") {
  GeneratedSource in("<Events>\n<Event a=\"", 'A', 300ull << 20, "\">\n" + logon_4624(5, kT1) + "\n</Events>\n");
  const Split s = split_all(in);
  CHECK(in.streamed() > (300ull << 20));
  CHECK(s.peak <= kCeiling);
  CHECK(s.limit <= kCeiling);
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[0].line == 2);
  CHECK(s.events[0].broken == "unterminated attribute value at line 2 (event passes the 4 MiB bound)");
  CHECK(s.events[0].text.empty());
  // Reading resumed: the event after the garbage is cut out whole, its line counted through it.
  CHECK(s.events[1].broken.empty());
  CHECK(s.events[1].line == 3);
  CHECK(s.events[1].text == logon_4624(5, kT1));
}

TEST_CASE("an unterminated comment or CDATA section inside an event is rejected at the bound, memory stays bounded") {
  for (const std::string opener : {"<!--", "<![CDATA["}) {
    INFO(opener);
    GeneratedSource in("<Events>\n" + logon_4624(1, kT1) + "\n<Event>\n" + opener, 'x', 64ull << 20,
                       "\n" + logon_4624(2, kT2) + "\n</Events>");
    const Split s = split_all(in);
    CHECK(s.peak <= kCeiling);
    REQUIRE(s.events.size() == 3);
    CHECK(s.events[0].broken.empty());
    const std::string what = opener == "<!--" ? "comment" : "CDATA section";
    CHECK(s.events[1].line == 3);
    CHECK(s.events[1].broken == "unterminated " + what + " at line 4 (event passes the 4 MiB bound)");
    CHECK(s.events[2].broken.empty());
    CHECK(s.events[2].line == 5);
  }
}

TEST_CASE("a start tag that never ends (no quote, no >) is rejected at the bound") {
  GeneratedSource in("<Event ", 'b', 32ull << 20, "");
  const Split s = split_all(in);
  CHECK(s.peak <= kCeiling);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].broken == "unterminated start tag at line 1 (event passes the 4 MiB bound)");
}

TEST_CASE("an </Event end tag that never reaches > is rejected at the bound") {
  GeneratedSource in("<Event>\n</Event ", ' ', 32ull << 20, logon_4624(3, kT1));
  const Split s = split_all(in);
  CHECK(s.peak <= kCeiling);
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[0].broken == "unterminated end tag at line 2 (event passes the 4 MiB bound)");
  CHECK(s.events[1].text == logon_4624(3, kT1));
}

TEST_CASE("event text that runs past the bound without an end is rejected once and reading resumes at the next event") {
  GeneratedSource in("<Event><Data>", 'z', 100ull << 20, "</Data></Event>\n" + logon_4624(4, kT1));
  const Split s = split_all(in);
  CHECK(s.peak <= kCeiling);
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[0].broken == "event larger than 4194304 bytes");
  CHECK(s.events[1].line == 2);
  CHECK(s.events[1].text == logon_4624(4, kT1));
}

TEST_CASE("the bound follows max_event_bytes: a smaller bound gives a smaller buffer") {
  GeneratedSource in("<Event a='", 'q', 8ull << 20, "'/>");
  const Split s = split_all(in, 64 << 10);
  CHECK(s.peak <= (64u << 10) + 3 * XmlEventSplitter::kReadChunk + 512);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].broken == "unterminated attribute value at line 1 (event passes the 65536 bytes bound)");
}

TEST_CASE("32 MiB of < between events (no event start) is scanned in bounded memory") {
  GeneratedSource in("<Events>", '<', 32ull << 20, logon_4624(9, kT1) + "</Events>");
  const Split s = split_all(in);
  CHECK(s.peak <= kCeiling);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].text == logon_4624(9, kT1));
}

TEST_CASE("a comment or quote that does close within the bound is stepped over, not rejected") {
  const std::string ev = "<Event a='x>y'><!-- </Event> --><![CDATA[</Event>]]><EventID>1</EventID></Event>";
  const std::string file = "<Events>" + ev + "</Events>";
  MemorySource in(file);
  const Split s = split_all(in);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].broken.empty());
  CHECK(s.events[0].text == ev);
}

TEST_CASE("events are cut the same whether the stream comes in whole chunks or in small odd-sized reads") {
  // Tags are read directly from the buffer while a whole name fits before its end, and with refills
  // near the end; both ways must cut the same events, at every place a read can end.
  struct SmallReads : ByteSource {
    std::string_view data;
    std::size_t pos = 0;
    std::size_t read(char* buf, std::size_t n) override {
      const std::size_t k = std::min({n, data.size() - pos, std::size_t{4093}});
      std::memcpy(buf, data.data() + pos, k);
      pos += k;
      return k;
    }
  };
  std::string file = "<?xml version='1.0'?>\n<Events>\n";
  for (std::uint64_t i = 0; file.size() < 3 * XmlEventSplitter::kReadChunk; ++i) {
    switch (i % 4) {
      case 0: file += logon_4624(i, kT1) + "\n"; break;
      case 1: file += "<!-- </Event> -->" + lsm_21(i, kT2); break;
      case 2: file += "<e:Event xmlns:e='x'><e:System><e:EventID>1</e:EventID></e:System><![CDATA[</Event>]]></e:Event >\n"; break;
      default: file += "<Event><EventData><Data Name='" + std::string(i % 300, 'n') + "'>v</Data></EventData></Event>"; break;
    }
  }
  file += "</Events>\n";
  MemorySource whole(file);
  SmallReads small;
  small.data = file;
  const Split a = split_all(whole);
  const Split b = split_all(small);
  REQUIRE(a.events.size() > 1500);
  REQUIRE(a.events.size() == b.events.size());
  std::size_t at = 0;
  std::size_t counted_to = 0;
  std::uint64_t line = 1;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CAPTURE(i);
    CHECK(a.events[i].broken.empty());
    CHECK(a.events[i].text == b.events[i].text);
    CHECK(a.events[i].line == b.events[i].line);
    CHECK(a.events[i].markup_starts == b.events[i].markup_starts);
    // Each event is the next stretch of the file, starting on the line its newlines say.
    at = file.find(a.events[i].text, at);
    REQUIRE(at != std::string::npos);
    line += static_cast<std::uint64_t>(std::count(file.begin() + static_cast<std::ptrdiff_t>(counted_to),
                                                  file.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    counted_to = at;
    CHECK(a.events[i].line == line);
    at += a.events[i].text.size();
  }
}

TEST_CASE("the splitter counts every tag of an event, the bound the parser's depth check relies on") {
  // Each `<` outside comments and CDATA; one inside them may be counted or not, never a tag missed.
  const std::string plain = logon_4624(1, kT1);
  const std::string commented = "<Event><!-- <a><b> --><x><![CDATA[<c>]]></x><y a='<'/></Event>";
  const std::string file = plain + "\n" + commented + "\n<Event/>";
  MemorySource in(file);
  const Split s = split_all(in);
  REQUIRE(s.events.size() == 3);
  CHECK(s.events[0].markup_starts == static_cast<std::size_t>(std::count(plain.begin(), plain.end(), '<')));
  CHECK(s.events[1].markup_starts >= 5);  // <Event> <x> </x> <y/> </Event>; the comment's own `<` may count too
  CHECK(s.events[2].markup_starts == 1);
}

TEST_CASE("only a tag whose whole name is Event or prefix:Event starts or ends an event, whatever else says Event") {
  // The word Event in text, values and longer names (EventData, xEvent, Event.x, a:Event:b) is
  // stepped over; a prefixed end tag ends the event, a nested start tag truncates it. Names are read
  // to 257 bytes: one that is Event within them counts, one that only becomes Event later does not.
  const std::string lookalikes =
      "<Event><EventData><Data Name='Event'>Event EventEvent</Data><xEvent/><Eventx/><Event.x/><a:Event:b/>"
      "<EventEvent/></EventData></Event>";
  const std::string prefixed_end = "<Event><System/></e:Event >";
  const std::string capped = "<Event><" + std::string(251, 'n') + ":Event/>";  // a 257-byte name ending :Event
  const std::string too_long = "<Event><" + std::string(252, 'n') + ":Event/></Event>";  // 258 bytes: read as n...:Even
  const std::string nested = "<Event><System><x:Event>";
  const std::string file = lookalikes + "\n" + prefixed_end + capped + too_long + nested + "</Event>";
  MemorySource in(file);
  const Split s = split_all(in);
  REQUIRE(s.events.size() == 7);
  CHECK(s.events[0].text == lookalikes);
  CHECK(s.events[0].broken.empty());
  CHECK(s.events[0].markup_starts == static_cast<std::size_t>(std::count(lookalikes.begin(), lookalikes.end(), '<')));
  CHECK(s.events[1].text == prefixed_end);
  CHECK(s.events[1].line == 2);
  CHECK(s.events[2].broken == "truncated event: a new <Event> starts before </Event>");
  CHECK(s.events[3].text == capped.substr(7));  // the 257-byte name's own (empty) event
  CHECK(s.events[4].text == too_long);
  CHECK(s.events[5].broken == "truncated event: a new <Event> starts before </Event>");
  CHECK(s.events[6].text == "<x:Event></Event>");
}
