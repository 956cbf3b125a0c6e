// Decoder for the Binary XML of EVTX event records into a small element tree. Template instances are
// expanded with their substitution values, so the tree is the event as XML tools show it
// (Event/System/..., Event/EventData/Data...). Format: libyal's libevtx documentation.
//
// Built for throughput (issue 9: archives of millions of records): the tree lives in flat arrays
// reused from record to record, so after the first records of a file decoding allocates nothing;
// element and attribute names are decoded from UTF-16 once per chunk and shared by every record of
// the chunk that names them (Windows writes each name once per chunk and refers to it by offset).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "evtx/byte_view.h"

namespace flexrecon::evtx {

// One decoded record. Nodes are numbered; node 0 is a nameless root whose children are the
// document's top-level elements (normally one Event). Names point into the ChunkDecoder that
// decoded the record: valid until it starts the next chunk.
class XmlTree {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  struct Node {
    std::string_view name;
    std::string text;  // concatenated character data directly inside this element
    std::uint32_t first_child = kNone;
    std::uint32_t last_child = kNone;
    std::uint32_t next_sibling = kNone;
    std::uint32_t first_attribute = kNone;  // index into the attributes, linked by `next`
    std::uint32_t last_attribute = kNone;
  };
  struct Attribute {
    std::string_view name;
    std::uint32_t value_node;  // a detached node whose text is the value
    std::uint32_t next = kNone;
  };

  static constexpr std::uint32_t root() { return 0; }
  const Node& node(std::uint32_t index) const { return nodes_[index]; }
  Node& node(std::uint32_t index) { return nodes_[index]; }

  // First child element of `parent` called `name`, or kNone.
  std::uint32_t child(std::uint32_t parent, std::string_view name) const;
  // Value of attribute `name` of `index`, or empty.
  std::string_view attribute(std::uint32_t index, std::string_view name) const;
  template <typename F>
  void for_each_child(std::uint32_t parent, F&& f) const {
    for (std::uint32_t c = nodes_[parent].first_child; c != kNone; c = nodes_[c].next_sibling) f(c);
  }

  // Building. clear() keeps the nodes and text buffers a typical record needs, so a reused tree
  // stops allocating; what an outsized record made it grow beyond that is released, so a crafted
  // file cannot ratchet it up record after record (at most kKeptNodes nodes of kKeptTextBytes).
  static constexpr std::size_t kKeptNodes = 1024;
  static constexpr std::size_t kKeptTextBytes = 4096;
  void clear();
  // Heap bytes held between records (nodes, attributes, text buffers), for the bound above.
  std::size_t retained_bytes() const;
  // A new element, appended to `parent`'s children (kNone: detached, e.g. an attribute value holder).
  std::uint32_t add_node(std::uint32_t parent, std::string_view name);
  void add_attribute(std::uint32_t element, std::string_view name, std::uint32_t value_node);

 private:
  std::vector<Node> nodes_;
  std::size_t used_ = 0;
  std::vector<Attribute> attributes_;
};

// Bounds on the work one record may cause, so a crafted record (self-referencing templates, deep
// nesting) is rejected instead of exhausting time or memory.
struct DecodeLimits {
  int max_element_depth = 64;               // elements nested in elements (SPEC 6: deeper is rejected)
  int max_depth = 256;                      // recursion: elements, templates and nested values together
  std::size_t max_text_bytes = 4u << 20;   // rendered names and text of the record
  std::size_t max_steps = 200'000;         // Binary XML tokens processed (a real record needs < 2,000)
};

// Decodes the records of one 64 KiB chunk, one at a time, keeping what records of the same chunk
// share (decoded names). Call start_chunk for every new chunk before its first record.
class ChunkDecoder {
 public:
  void start_chunk(const ByteView& chunk);

  // Decodes the record's Binary XML at chunk offsets [begin, end) into `out` (cleared first).
  // Names, template definitions and nested values are found through offsets relative to the start
  // of the chunk. Throws DecodeError on malformed content or when a limit is passed; `out` is then
  // unspecified. `steps_used`, when given, receives the tokens processed (also on failure), so a
  // caller can bound the work of a whole chunk.
  void decode_record(std::size_t begin, std::size_t end, const DecodeLimits& limits, XmlTree& out,
                     std::size_t* steps_used = nullptr);

  // The name stored at chunk offset `offset` (its UTF-16 characters at offset + 8), decoded once
  // per chunk. Valid until the chunk ends, or until the next record starts for a name decoded past
  // the cache's bound.
  const std::string& name_at(std::size_t offset);

  // A real chunk's names take a few KiB. A crafted chunk can point records at thousands of
  // overlapping "names" of up to 32 K characters each; past this many bytes, names are kept only
  // for the record that reads them (which charges each against its 4 MiB text limit).
  static constexpr std::size_t kCachedNameBytes = 256 * 1024;
  std::size_t cached_name_bytes() const { return cached_name_bytes_; }

  // One substitution value of a template instance: type and where its bytes lie in the chunk.
  struct Value {
    std::uint8_t type = 0;
    std::size_t pos = 0;
    std::size_t size = 0;
  };

 private:
  ByteView chunk_{nullptr, 0};
  // The values of the template instances being expanded, nested ones above their parents.
  std::vector<Value> value_stack_;
  // Keyed by chunk offset; node-based, so references handed out stay valid as it grows.
  std::unordered_map<std::uint32_t, std::string> names_;
  std::size_t cached_name_bytes_ = 0;
  std::deque<std::string> record_names_;  // names decoded past the bound, for the current record
};

}  // namespace flexrecon::evtx
