#include "evtx/binxml.h"

#include "evtx/binxml_value.h"

namespace flexrecon::evtx {

std::uint32_t XmlTree::child(std::uint32_t parent, std::string_view name) const {
  for (std::uint32_t c = nodes_[parent].first_child; c != kNone; c = nodes_[c].next_sibling)
    if (nodes_[c].name == name) return c;
  return kNone;
}

std::string_view XmlTree::attribute(std::uint32_t index, std::string_view name) const {
  for (std::uint32_t a = nodes_[index].first_attribute; a != kNone; a = attributes_[a].next)
    if (attributes_[a].name == name) return nodes_[attributes_[a].value_node].text;
  return {};
}

void XmlTree::clear() {
  // Only the nodes the last record used can have grown since the last clear().
  for (std::size_t k = 0; k < used_; ++k)
    if (nodes_[k].text.capacity() > kKeptTextBytes) std::string().swap(nodes_[k].text);
  if (nodes_.size() > kKeptNodes) {
    nodes_.resize(kKeptNodes);
    nodes_.shrink_to_fit();
  }
  if (attributes_.capacity() > kKeptNodes) std::vector<Attribute>().swap(attributes_);
  used_ = 0;
  attributes_.clear();
  add_node(kNone, {});
}

std::size_t XmlTree::retained_bytes() const {
  std::size_t bytes = nodes_.capacity() * sizeof(Node) + attributes_.capacity() * sizeof(Attribute);
  for (const Node& n : nodes_) bytes += n.text.capacity();
  return bytes;
}

std::uint32_t XmlTree::add_node(std::uint32_t parent, std::string_view name) {
  const auto index = static_cast<std::uint32_t>(used_++);
  if (index == nodes_.size()) nodes_.emplace_back();
  Node& n = nodes_[index];
  n.name = name;
  n.text.clear();
  n.first_child = n.last_child = n.next_sibling = kNone;
  n.first_attribute = n.last_attribute = kNone;
  if (parent != kNone) {
    Node& p = nodes_[parent];
    if (p.last_child == kNone) p.first_child = index;
    else nodes_[p.last_child].next_sibling = index;
    p.last_child = index;
  }
  return index;
}

void XmlTree::add_attribute(std::uint32_t element, std::string_view name, std::uint32_t value_node) {
  const auto index = static_cast<std::uint32_t>(attributes_.size());
  attributes_.push_back(Attribute{name, value_node});
  Node& n = nodes_[element];
  if (n.last_attribute == kNone) n.first_attribute = index;
  else attributes_[n.last_attribute].next = index;
  n.last_attribute = index;
}

void ChunkDecoder::start_chunk(const ByteView& chunk) {
  chunk_ = chunk;
  names_.clear();
  cached_name_bytes_ = 0;
  record_names_.clear();
}

const std::string& ChunkDecoder::name_at(std::size_t offset) {
  const auto key = static_cast<std::uint32_t>(offset);
  if (auto it = names_.find(key); it != names_.end()) return it->second;
  const std::size_t chars = chunk_.u16(offset + 6);
  std::string s = utf16le_to_utf8(chunk_, offset + 8, chars);
  if (cached_name_bytes_ + s.size() > kCachedNameBytes) return record_names_.emplace_back(std::move(s));
  cached_name_bytes_ += s.size();
  return names_.emplace(key, std::move(s)).first->second;
}

namespace {

// Binary XML tokens; 0x40 on some of them means "more data follows" and is masked off.
enum Token : std::uint8_t {
  kEof = 0x00,
  kOpenStart = 0x01,
  kCloseStart = 0x02,
  kCloseEmpty = 0x03,
  kEndElement = 0x04,
  kValue = 0x05,
  kAttribute = 0x06,
  kCData = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPITarget = 0x0a,
  kPIData = 0x0b,
  kTemplateInstance = 0x0c,
  kNormalSubst = 0x0d,
  kOptionalSubst = 0x0e,
  kFragmentHeader = 0x0f,
};

using Value = ChunkDecoder::Value;

// The values of one template instance: a slice of the value stack, by index, since nested
// instances push onto the same stack and may move it.
struct Values {
  const std::vector<Value>& stack;
  std::size_t base;
  std::size_t size;
  const Value& operator[](std::size_t id) const { return stack[base + id]; }
};

// A read position inside [pos, end) of the chunk.
struct Cursor {
  std::size_t pos;
  std::size_t end;
};

std::string hex_byte(unsigned v) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[(v >> 4) & 15] + digits[v & 15];
}

[[noreturn, gnu::cold, gnu::noinline]] void throw_truncated(std::size_t pos) {
  throw DecodeError("truncated Binary XML at offset " + std::to_string(pos));
}

// Decodes one record. Per-record state (limits used, element depth) lives here; what the chunk's
// records share lives in the ChunkDecoder; the values of nested template instances share one stack.
class Decoder {
 public:
  Decoder(ChunkDecoder& names, const ByteView& chunk, const DecodeLimits& limits, XmlTree& tree,
          std::vector<Value>& value_stack)
      : names_(names), chunk_(chunk), limits_(limits), tree_(tree), value_stack_(value_stack) {}

  // A sequence of fragments / elements / template instances until EOF or the end of the range.
  void fragment(Cursor& c, std::uint32_t parent, const Values* values, int depth) {
    enter(depth);
    while (c.pos < c.end) {
      const std::uint8_t t = peek(c);
      switch (t & 0x1f) {
        case kEof:
          ++c.pos;
          return;
        case kFragmentHeader:
          skip(c, 4);
          break;
        case kTemplateInstance:
          template_instance(c, parent, depth + 1);
          break;
        case kOpenStart:
          element(c, parent, values, depth + 1);
          break;
        case kPITarget:
          ++c.pos;
          name(c, u32(c));
          break;
        case kPIData:
          ++c.pos;
          scratch_.clear();
          text(c, scratch_);
          break;
        default:
          throw DecodeError("unexpected token " + hex_byte(t) + " at offset " + std::to_string(c.pos));
      }
    }
  }

  std::size_t steps() const { return steps_; }

 private:
  void enter(int depth) {
    if (depth > limits_.max_depth) throw DecodeError("nesting deeper than " + std::to_string(limits_.max_depth));
  }
  void step() {
    if (++steps_ > limits_.max_steps) throw DecodeError("record needs too much work to decode");
  }
  void charge(std::size_t bytes) {
    text_bytes_ += bytes;
    if (text_bytes_ > limits_.max_text_bytes) throw DecodeError("record expands past the event size limit");
  }

  // Every cursor lies inside the chunk (decode_record checks the record's range; template bodies
  // and values are checked before a cursor is made over them), so the cursor's end is the bound.
  void need(const Cursor& c, std::size_t n) const {
    if (c.pos > c.end || n > c.end - c.pos) [[unlikely]] throw_truncated(c.pos);
  }
  std::uint8_t peek(const Cursor& c) const {
    need(c, 1);
    return chunk_.data()[c.pos];
  }
  std::uint8_t u8(Cursor& c) {
    need(c, 1);
    return chunk_.data()[c.pos++];
  }
  std::uint16_t u16(Cursor& c) {
    need(c, 2);
    const auto v = chunk_.u16(c.pos);
    c.pos += 2;
    return v;
  }
  std::uint32_t u32(Cursor& c) {
    need(c, 4);
    const auto v = chunk_.u32(c.pos);
    c.pos += 4;
    return v;
  }
  void skip(Cursor& c, std::size_t n) {
    need(c, n);
    c.pos += n;
  }

  // Length-prefixed UTF-16 text (value text, CDATA, PI data), appended to `out`.
  void text(Cursor& c, std::string& out) {
    const std::size_t chars = u16(c);
    need(c, chars * 2);
    const std::size_t before = out.size();
    append_utf16le_as_utf8(out, chunk_, c.pos, chars);
    c.pos += chars * 2;
    charge(out.size() - before);
  }

  // A name: stored inline when its offset is the current position, else elsewhere in the chunk.
  std::string_view name(Cursor& c, std::uint32_t offset) {
    if (offset == c.pos) {
      skip(c, 6);  // next-name offset, hash
      const std::size_t chars = u16(c);
      need(c, chars * 2 + 2);
      c.pos += chars * 2 + 2;  // characters and end-of-string
    }
    const std::string& s = names_.name_at(offset);
    charge(s.size());
    return s;
  }

  void element(Cursor& c, std::uint32_t parent, const Values* values, int depth) {
    enter(depth);
    step();
    // Element depth is counted apart from recursion depth: templates and nested values add levels
    // of decoding but not of XML. Restored on every exit, exceptions included.
    struct Level {
      int& d;
      explicit Level(int& v) : d(v) { ++d; }
      ~Level() { --d; }
    } level(element_depth_);
    if (element_depth_ > limits_.max_element_depth) {
      throw DecodeError("elements nested deeper than " + std::to_string(limits_.max_element_depth));
    }
    const std::uint8_t tok = u8(c);
    skip(c, 2);  // dependency identifier
    skip(c, 4);  // data size
    const std::string_view element_name = name(c, u32(c));
    // Linked to its parent now rather than when complete: the order of siblings is the same, and a
    // record that fails part-way is discarded whole.
    const std::uint32_t node = tree_.add_node(parent, element_name);
    if (tok & 0x40) {
      skip(c, 4);  // attribute list size
      while ((peek(c) & 0x1f) == kAttribute) {
        step();
        ++c.pos;
        const std::string_view attr_name = name(c, u32(c));
        const std::uint32_t holder = tree_.add_node(XmlTree::kNone, {});
        if (attribute_value(c, values, depth, holder)) tree_.add_attribute(node, attr_name, holder);
      }
    }
    const std::uint8_t close = u8(c);
    if (close == kCloseStart) {
      content(c, node, values, depth);
    } else if (close != kCloseEmpty) {
      throw DecodeError("bad element close token " + hex_byte(close) + " at offset " + std::to_string(c.pos - 1));
    }
  }

  // The data of one attribute: value text, substitutions and references up to the next token that
  // is none of those, gathered in `holder`. False when it is only an optional substitution of a
  // NULL value.
  bool attribute_value(Cursor& c, const Values* values, int depth, std::uint32_t holder) {
    bool present = false;
    for (;;) {
      const std::uint8_t t = peek(c) & 0x1f;
      if (t == kValue || t == kCharRef || t == kEntityRef || t == kCData) {
        character_data(c, holder);
        present = true;
      } else if (t == kNormalSubst || t == kOptionalSubst) {
        present |= substitution(c, holder, values, depth);
      } else {
        break;
      }
    }
    return present;
  }

  void character_data(Cursor& c, std::uint32_t node) {
    step();
    const std::uint8_t t = u8(c) & 0x1f;
    if (t == kValue) {
      const std::uint8_t type = u8(c);
      if (type != kStringType) throw DecodeError("value text of type " + hex_byte(type));
      text(c, tree_.node(node).text);
    } else if (t == kCData) {
      text(c, tree_.node(node).text);
    } else if (t == kCharRef) {
      const std::uint16_t ch = u16(c);
      const std::uint8_t le[2] = {static_cast<std::uint8_t>(ch & 0xff), static_cast<std::uint8_t>(ch >> 8)};
      append_utf16le_as_utf8(tree_.node(node).text, ByteView(le, 2), 0, 1);
    } else {  // entity reference
      const std::string_view entity = name(c, u32(c));
      std::string& out = tree_.node(node).text;
      if (entity == "lt") out += '<';
      else if (entity == "gt") out += '>';
      else if (entity == "amp") out += '&';
      else if (entity == "quot") out += '"';
      else if (entity == "apos") out += '\'';
      else {
        out += '&';
        out += entity;
        out += ';';
      }
    }
  }

  // Applies substitution `id` to `node`; false when the value is NULL (nothing is added).
  bool substitution(Cursor& c, std::uint32_t node, const Values* values, int depth) {
    step();
    ++c.pos;  // token
    const std::uint16_t id = u16(c);
    skip(c, 1);  // the declared type; the instance value's own type is what is rendered
    if (values == nullptr) throw DecodeError("substitution outside a template");
    if (id >= values->size) return false;  // more substitutions than values: nothing to insert
    const Value v = (*values)[id];
    if (v.type == kNullType) return false;
    if (v.type == kBinXmlType) {
      Cursor nested{v.pos, v.pos + v.size};
      fragment(nested, node, nullptr, depth + 1);
      return true;
    }
    std::string& out = tree_.node(node).text;
    const std::size_t before = out.size();
    append_value(out, v.type, chunk_.sub(v.pos, v.size));
    charge(out.size() - before);
    return true;
  }

  void content(Cursor& c, std::uint32_t node, const Values* values, int depth) {
    for (;;) {
      const std::uint8_t t = peek(c);
      switch (t & 0x1f) {
        case kOpenStart:
          element(c, node, values, depth + 1);
          break;
        case kEndElement:
          ++c.pos;
          return;
        case kValue:
        case kCData:
        case kCharRef:
        case kEntityRef:
          character_data(c, node);
          break;
        case kNormalSubst:
        case kOptionalSubst:
          substitution(c, node, values, depth);
          break;
        case kTemplateInstance:
          template_instance(c, node, depth + 1);
          break;
        case kFragmentHeader:
          skip(c, 4);
          break;
        case kPITarget:
          ++c.pos;
          name(c, u32(c));
          break;
        case kPIData:
          ++c.pos;
          scratch_.clear();
          text(c, scratch_);
          break;
        default:
          throw DecodeError("unexpected token " + hex_byte(t) + " in element content at offset " +
                            std::to_string(c.pos));
      }
    }
  }

  void template_instance(Cursor& c, std::uint32_t parent, int depth) {
    enter(depth);
    step();
    skip(c, 2);             // token, unknown
    skip(c, 4);             // template identifier
    const std::uint32_t def = u32(c);
    std::size_t body_begin, body_end;
    if (def == c.pos) {
      // Definition stored here, the first time this chunk uses the template.
      skip(c, 4 + 16);  // next definition offset, GUID
      const std::uint32_t size = u32(c);
      need(c, size);
      body_begin = c.pos;
      body_end = c.pos + size;
      c.pos += size;
    } else {
      // Defined earlier in the chunk.
      const std::size_t header = def;
      const std::size_t size = chunk_.u32(header + 20);
      body_begin = header + 24;
      chunk_.require(body_begin, size);
      body_end = body_begin + size;
    }
    // Instance data: value descriptors, then the values back to back. They go on the shared stack
    // (popped on return) rather than a vector of their own: no allocation per instance.
    const std::uint32_t count = u32(c);
    if (count > (c.end - c.pos) / 4) throw DecodeError("template value count " + std::to_string(count) + " too large");
    const std::size_t base = value_stack_.size();
    struct Pop {
      std::vector<Value>& stack;
      std::size_t size;
      ~Pop() { stack.resize(size); }
    } pop{value_stack_, base};
    value_stack_.resize(base + count);
    for (std::size_t k = base; k < base + count; ++k) {
      Value& v = value_stack_[k];
      v.size = u16(c);
      v.type = u8(c);
      skip(c, 1);
    }
    for (std::size_t k = base; k < base + count; ++k) {
      Value& v = value_stack_[k];
      need(c, v.size);
      v.pos = c.pos;
      c.pos += v.size;
    }
    Cursor body{body_begin, body_end};
    const Values values{value_stack_, base, count};
    fragment(body, parent, &values, depth + 1);
  }

  ChunkDecoder& names_;
  const ByteView& chunk_;
  const DecodeLimits& limits_;
  XmlTree& tree_;
  std::vector<Value>& value_stack_;
  std::string scratch_;  // processing-instruction data: read and checked, not kept
  std::size_t steps_ = 0;
  std::size_t text_bytes_ = 0;
  int element_depth_ = 0;
};

}  // namespace

void ChunkDecoder::decode_record(std::size_t begin, std::size_t end, const DecodeLimits& limits, XmlTree& out,
                                 std::size_t* steps_used) {
  if (begin > end || end > chunk_.size()) throw DecodeError("record data outside its chunk");
  out.clear();
  record_names_.clear();
  value_stack_.clear();
  Decoder decoder(*this, chunk_, limits, out, value_stack_);
  Cursor c{begin, end};
  try {
    decoder.fragment(c, XmlTree::root(), nullptr, 0);
  } catch (...) {
    if (steps_used) *steps_used = decoder.steps();
    throw;
  }
  if (steps_used) *steps_used = decoder.steps();
}

}  // namespace flexrecon::evtx
