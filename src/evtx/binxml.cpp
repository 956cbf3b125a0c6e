#include "evtx/binxml.h"

#include "evtx/binxml_value.h"

namespace flexrecon::evtx {

const XmlNode* XmlNode::child(const std::string& child_name) const {
  for (const auto& c : children)
    if (c.name == child_name) return &c;
  return nullptr;
}

std::string XmlNode::attribute(const std::string& attr) const {
  for (const auto& [k, v] : attributes)
    if (k == attr) return v;
  return {};
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

// One substitution value of a template instance: type and where its bytes lie in the chunk.
struct Value {
  std::uint8_t type = 0;
  std::size_t pos = 0;
  std::size_t size = 0;
};
using Values = std::vector<Value>;

// A read position inside [pos, end) of the chunk.
struct Cursor {
  std::size_t pos;
  std::size_t end;
};

std::string hex_byte(unsigned v) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[(v >> 4) & 15] + digits[v & 15];
}

class Decoder {
 public:
  Decoder(const ByteView& chunk, const DecodeLimits& limits) : chunk_(chunk), limits_(limits) {}

  // A sequence of fragments / elements / template instances until EOF or the end of the range.
  void fragment(Cursor& c, XmlNode& parent, const Values* values, int depth) {
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
          text(c);
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

  void need(const Cursor& c, std::size_t n) const {
    if (c.pos > c.end || n > c.end - c.pos) {
      throw DecodeError("truncated Binary XML at offset " + std::to_string(c.pos));
    }
    chunk_.require(c.pos, n);
  }
  std::uint8_t peek(const Cursor& c) const {
    need(c, 1);
    return chunk_.u8(c.pos);
  }
  std::uint8_t u8(Cursor& c) {
    need(c, 1);
    return chunk_.u8(c.pos++);
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

  // Length-prefixed UTF-16 text (value text, CDATA, PI data).
  std::string text(Cursor& c) {
    const std::size_t chars = u16(c);
    need(c, chars * 2);
    std::string s = utf16le_to_utf8(chunk_, c.pos, chars);
    c.pos += chars * 2;
    charge(s.size());
    return s;
  }

  // A name: stored inline when its offset is the current position, else elsewhere in the chunk.
  std::string name(Cursor& c, std::uint32_t offset) {
    if (offset == c.pos) {
      skip(c, 6);  // next-name offset, hash
      const std::size_t chars = u16(c);
      need(c, chars * 2 + 2);
      std::string s = utf16le_to_utf8(chunk_, c.pos, chars);
      c.pos += chars * 2 + 2;  // characters and end-of-string
      charge(s.size());
      return s;
    }
    const std::size_t chars = chunk_.u16(static_cast<std::size_t>(offset) + 6);
    std::string s = utf16le_to_utf8(chunk_, static_cast<std::size_t>(offset) + 8, chars);
    charge(s.size());
    return s;
  }

  void element(Cursor& c, XmlNode& parent, const Values* values, int depth) {
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
    XmlNode node;
    node.name = name(c, u32(c));
    if (tok & 0x40) {
      skip(c, 4);  // attribute list size
      while ((peek(c) & 0x1f) == kAttribute) {
        step();
        ++c.pos;
        std::string attr_name = name(c, u32(c));
        std::string value;
        bool present = attribute_value(c, values, depth, value);
        if (present) node.attributes.emplace_back(std::move(attr_name), std::move(value));
      }
    }
    const std::uint8_t close = u8(c);
    if (close == kCloseStart) {
      content(c, node, values, depth);
    } else if (close != kCloseEmpty) {
      throw DecodeError("bad element close token " + hex_byte(close) + " at offset " + std::to_string(c.pos - 1));
    }
    parent.children.push_back(std::move(node));
  }

  // The data of one attribute: value text, substitutions and references up to the next token that
  // is none of those. False when it is only an optional substitution of a NULL value.
  bool attribute_value(Cursor& c, const Values* values, int depth, std::string& out) {
    bool present = false;
    XmlNode holder;
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
    out = std::move(holder.text);
    return present;
  }

  void character_data(Cursor& c, XmlNode& node) {
    step();
    const std::uint8_t t = u8(c) & 0x1f;
    if (t == kValue) {
      const std::uint8_t type = u8(c);
      if (type != kStringType) throw DecodeError("value text of type " + hex_byte(type));
      node.text += text(c);
    } else if (t == kCData) {
      node.text += text(c);
    } else if (t == kCharRef) {
      const std::uint16_t ch = u16(c);
      const std::uint8_t le[2] = {static_cast<std::uint8_t>(ch & 0xff), static_cast<std::uint8_t>(ch >> 8)};
      node.text += utf16le_to_utf8(ByteView(le, 2), 0, 1);
    } else {  // entity reference
      const std::string entity = name(c, u32(c));
      if (entity == "lt") node.text += '<';
      else if (entity == "gt") node.text += '>';
      else if (entity == "amp") node.text += '&';
      else if (entity == "quot") node.text += '"';
      else if (entity == "apos") node.text += '\'';
      else node.text += "&" + entity + ";";
    }
  }

  // Applies substitution `id` to `node`; false when the value is NULL (nothing is added).
  bool substitution(Cursor& c, XmlNode& node, const Values* values, int depth) {
    step();
    ++c.pos;  // token
    const std::uint16_t id = u16(c);
    skip(c, 1);  // the declared type; the instance value's own type is what is rendered
    if (values == nullptr) throw DecodeError("substitution outside a template");
    if (id >= values->size()) return false;  // more substitutions than values: nothing to insert
    const Value& v = (*values)[id];
    if (v.type == kNullType) return false;
    if (v.type == kBinXmlType) {
      Cursor nested{v.pos, v.pos + v.size};
      fragment(nested, node, nullptr, depth + 1);
      return true;
    }
    std::string s = render_value(v.type, chunk_.sub(v.pos, v.size));
    charge(s.size());
    node.text += s;
    return true;
  }

  void content(Cursor& c, XmlNode& node, const Values* values, int depth) {
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
          text(c);
          break;
        default:
          throw DecodeError("unexpected token " + hex_byte(t) + " in element content at offset " +
                            std::to_string(c.pos));
      }
    }
  }

  void template_instance(Cursor& c, XmlNode& parent, int depth) {
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
    // Instance data: value descriptors, then the values back to back.
    const std::uint32_t count = u32(c);
    if (count > (c.end - c.pos) / 4) throw DecodeError("template value count " + std::to_string(count) + " too large");
    Values values(count);
    for (auto& v : values) {
      v.size = u16(c);
      v.type = u8(c);
      skip(c, 1);
    }
    for (auto& v : values) {
      need(c, v.size);
      v.pos = c.pos;
      c.pos += v.size;
    }
    Cursor body{body_begin, body_end};
    fragment(body, parent, &values, depth + 1);
  }

  const ByteView& chunk_;
  const DecodeLimits& limits_;
  std::size_t steps_ = 0;
  std::size_t text_bytes_ = 0;
  int element_depth_ = 0;
};

}  // namespace

XmlNode decode_record_xml(const ByteView& chunk, std::size_t begin, std::size_t end, const DecodeLimits& limits,
                          std::size_t* steps_used) {
  if (begin > end || end > chunk.size()) throw DecodeError("record data outside its chunk");
  XmlNode root;
  Decoder decoder(chunk, limits);
  Cursor c{begin, end};
  try {
    decoder.fragment(c, root, nullptr, 0);
  } catch (...) {
    if (steps_used) *steps_used = decoder.steps();
    throw;
  }
  if (steps_used) *steps_used = decoder.steps();
  return root;
}

}  // namespace flexrecon::evtx
