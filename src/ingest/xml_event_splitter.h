// Cuts a UTF-8 stream of event XML into one text per <Event> element, without ever holding more than
// one event (plus a few read chunks) in memory. The wrappers around events (<Events>, <root>, the XML
// declaration) and anything else between events are skipped, which is what lets one splitter serve
// every XML export form of SPEC 1.2.
//
// Memory is bounded whatever the input (SPEC 6, "XML"): every scan inside an event (its start tag,
// attribute values, comments, CDATA, text, the end tag) stops once the event passes max_event_bytes.
// The event is then reported broken and the splitter skips forward to the next `<Event` start,
// discarding bytes as it goes, so the buffer never exceeds buffer_limit().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flexrecon/event_store.h"

namespace flexrecon {

struct RawEvent {
  std::string text;        // `<Event ...>` ... `</Event>`, as in the stream
  std::uint64_t line = 0;  // line (1-based) where `<Event` starts
  std::string broken;      // non-empty when the event could not be cut out whole: the reject reason
  // Every `<` the splitter met in the event, its own start tag included, outside comments, CDATA and
  // quoted values of the start tag: at least as many as the event has tags, which bounds how deep
  // it can nest (XmlEventParser::parse).
  std::size_t markup_starts = 0;
};

class XmlEventSplitter {
 public:
  // Bytes asked of the source per read.
  static constexpr std::size_t kReadChunk = 1 << 18;

  XmlEventSplitter(ByteSource& in, std::uint64_t max_event_bytes);
  // The next event (possibly broken); false at the end of the stream.
  bool next(RawEvent& out);

  // The most the buffer may ever hold: one event at the bound, plus the consumed prefix kept until
  // it is worth compacting, plus one read chunk. A hard ceiling: fill() never grows past it.
  std::size_t buffer_limit() const { return buffer_limit_; }
  // The largest buffer allocation so far (capacity, not size), for tests and measurements.
  std::size_t peak_buffer_capacity() const { return peak_capacity_; }

 private:
  enum class Tag { EventStart, EventEnd, Other, Incomplete };
  enum class Scan { Found, EndOfStream, TooLong };

  bool fill();
  bool ensure(std::size_t index);
  Scan find_in_event(std::string_view needle, std::size_t from, std::size_t event_start, std::size_t& at);
  Scan find_start_tag_end(std::size_t from, std::size_t event_start, std::size_t& gt, std::size_t& open_quote);
  Tag classify(std::size_t lt, std::size_t& name_end);
  static Tag classify_buffered(const char* buf, std::size_t lt, std::size_t& name_end);
  // The hot loop of splitting: steps from `scan` over the tags inside an event that need no more
  // than a look at their name, and returns where next() must look again.
  std::size_t skip_plain_tags(std::size_t scan, std::size_t event_start, std::size_t& markup_starts) const;
  std::uint64_t line_at(std::size_t index);
  void compact();
  void skip_to_next_event(std::size_t scan);
  std::string not_closed(std::string_view what, std::uint64_t line) const;

  // The bytes read and not yet consumed. Not a std::string: making room in one for a read zero-fills
  // that room first, a pass over every byte of every file that the read then overwrites.
  class ReadBuffer {
   public:
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    const char* data() const { return bytes_.get(); }
    char operator[](std::size_t i) const { return bytes_[i]; }
    std::string_view view() const { return {bytes_.get(), size_}; }
    std::size_t find(char c, std::size_t from) const { return view().find(c, from); }
    std::size_t find(std::string_view s, std::size_t from) const { return view().find(s, from); }
    // Moves the bytes into an allocation of `capacity` (at least size()); the new room is left as is.
    void reallocate(std::size_t capacity);
    // Where the next read goes (capacity() - size() bytes of room), and how many bytes it put there.
    char* room() { return bytes_.get() + size_; }
    void appended(std::size_t n) { size_ += n; }
    void drop_front(std::size_t n);

   private:
    std::unique_ptr<char[]> bytes_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
  };

  ByteSource& in_;
  std::uint64_t max_event_bytes_;
  std::size_t buffer_limit_;
  std::size_t peak_capacity_ = 0;
  ReadBuffer buf_;
  std::size_t pos_ = 0;       // everything before pos_ is consumed
  std::size_t line_pos_ = 0;  // newlines are counted up to here
  std::uint64_t line_ = 1;    // line number at line_pos_
  bool eof_ = false;
};

}  // namespace flexrecon
