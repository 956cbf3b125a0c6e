// Cuts a UTF-8 stream of event XML into one text per <Event> element, without ever holding more than
// one event (plus a read chunk) in memory. The wrappers around events (<Events>, <root>, the XML
// declaration) and anything else between events are skipped, which is what lets one splitter serve
// every XML export form of SPEC 1.2.
#pragma once

#include <cstdint>
#include <string>

#include "flexrecon/event_store.h"

namespace flexrecon {

struct RawEvent {
  std::string text;        // `<Event ...>` ... `</Event>`, as in the stream
  std::uint64_t line = 0;  // line (1-based) where `<Event` starts
  std::string broken;      // non-empty when the event could not be cut out whole: the reject reason
};

class XmlEventSplitter {
 public:
  XmlEventSplitter(ByteSource& in, std::uint64_t max_event_bytes) : in_(in), max_event_bytes_(max_event_bytes) {}
  // The next event (possibly broken); false at the end of the stream.
  bool next(RawEvent& out);

 private:
  enum class Tag { EventStart, EventEnd, Other, Incomplete };

  bool fill();
  bool ensure(std::size_t index);
  std::size_t find_from(std::string_view needle, std::size_t from);
  Tag classify(std::size_t lt, std::size_t& name_end);
  void count_lines_to(std::size_t index);
  void compact();
  void skip_oversize(std::size_t scan);

  ByteSource& in_;
  std::uint64_t max_event_bytes_;
  std::string buf_;
  std::size_t pos_ = 0;       // everything before pos_ is consumed
  std::size_t line_pos_ = 0;  // newlines are counted up to here
  std::uint64_t line_ = 1;    // line number at line_pos_
  bool eof_ = false;
};

}  // namespace flexrecon
