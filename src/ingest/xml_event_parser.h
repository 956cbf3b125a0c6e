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

  // Parses `text` (modified in place: it becomes the parse buffer). Fills everything of `out` but
  // source and line. On failure returns false and sets `why` to the reject reason.
  bool parse(std::string& text, Event& out, std::string& why);

 private:
  const EventReadOptions& options_;
  std::unique_ptr<pugi::xml_document> doc_;
};

}  // namespace flexrecon
