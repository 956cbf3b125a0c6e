// Decoder for the Binary XML of one EVTX event record into a small element tree. Template
// instances are expanded with their substitution values, so the tree is the event as XML tools show
// it (Event/System/..., Event/EventData/Data...). Format: libyal's libevtx documentation.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "evtx/byte_view.h"

namespace flexrecon::evtx {

struct XmlNode {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlNode> children;
  std::string text;  // concatenated character data directly inside this element

  // First child element called `child_name`, or nullptr.
  const XmlNode* child(const std::string& child_name) const;
  // Value of attribute `attr`, or empty.
  std::string attribute(const std::string& attr) const;
};

// Bounds on the work one record may cause, so a crafted record (self-referencing templates, deep
// nesting) is rejected instead of exhausting time or memory.
struct DecodeLimits {
  int max_element_depth = 64;               // elements nested in elements (SPEC 6: deeper is rejected)
  int max_depth = 256;                      // recursion: elements, templates and nested values together
  std::size_t max_text_bytes = 4u << 20;   // rendered names and text of the record
  std::size_t max_steps = 200'000;         // Binary XML tokens processed (a real record needs < 2,000)
};

// Decodes the record's Binary XML at chunk offsets [begin, end). Names, template definitions and
// nested values are found through offsets relative to the start of `chunk` (the whole 64 KiB chunk).
// Returns a nameless root whose children are the document's top-level elements (normally one
// Event). Throws DecodeError on malformed content or when a limit is passed.
// `steps_used`, when given, receives the tokens processed (also on failure), so a caller can bound
// the work of a whole chunk.
XmlNode decode_record_xml(const ByteView& chunk, std::size_t begin, std::size_t end,
                          const DecodeLimits& limits = {}, std::size_t* steps_used = nullptr);

}  // namespace flexrecon::evtx
