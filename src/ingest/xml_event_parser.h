// Turns the text of one <Event> element into an Event, or says exactly why it cannot.
#pragma once

#include <memory>
#include <string>

#include "flexrecon/event.h"
#include "flexrecon/event_store.h"

namespace pugi {
class xml_document;
}

namespace flexrecon {

class XmlEventParser {
 public:
  explicit XmlEventParser(const EventReadOptions& options);
  ~XmlEventParser();
  XmlEventParser(const XmlEventParser&) = delete;
  XmlEventParser& operator=(const XmlEventParser&) = delete;

  // What parse() does not know about `text` until it counts.
  static constexpr std::size_t kUncounted = static_cast<std::size_t>(-1);

  // Parses `text` (modified in place: it becomes the parse buffer). Fills everything of `out` but
  // source and line. On failure returns false and sets `why` to the reject reason.
  // `markup_starts`, when the caller has counted it (RawEvent::markup_starts), is at least the
  // number of tags in `text`; it spares parse() a pass over the text.
  bool parse(std::string& text, Event& out, std::string& why, std::size_t markup_starts = kUncounted);

 private:
  const EventReadOptions& options_;
  std::unique_ptr<pugi::xml_document> doc_;
};

}  // namespace flexrecon
