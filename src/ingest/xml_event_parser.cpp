#include "ingest/xml_event_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <pugixml.hpp>

#include "model/event_fields.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

bool is_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// What one pass over the event's bytes found: the repairs below are needed only then, and most
// events (plain ASCII from wevtutil) need neither.
struct ByteClasses {
  bool control = false;    // a character XML 1.0 cannot carry (is_control)
  bool non_ascii = false;  // a byte >= 0x80: UTF-8 must be checked
  // Any byte below 0x20, tab and line ends included: only then have pugixml's end-of-line and
  // attribute whitespace conversions anything to convert.
  bool below_space = false;
};

ByteClasses classify_bytes(std::string_view text) {
  ByteClasses found;
  const auto look_at = [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    found.control |= is_control(c);
    found.non_ascii |= c >= 0x80;
    found.below_space |= c < 0x20;
  };
  // Sixteen bytes at a time: a block with no byte below 0x20 and none at or above 0x80 needs no
  // closer look. Read as signed bytes, both are the bytes below 0x20: one compare per block (a
  // compiler vector), where most events hold no such byte at all.
  typedef signed char Lanes __attribute__((vector_size(16)));
  std::size_t i = 0;
  for (; i + 16 <= text.size(); i += 16) {
    Lanes block;
    std::memcpy(&block, text.data() + i, 16);
    const Lanes odd = block < 0x20;  // -1 in each lane that needs a look
    std::uint64_t halves[2];
    std::memcpy(halves, &odd, 16);
    if ((halves[0] | halves[1]) == 0) continue;
    for (std::size_t k = i; k < i + 16; ++k) look_at(text[k]);
    if (found.control && found.non_ascii) return found;
  }
  for (; i < text.size(); ++i) look_at(text[i]);
  return found;
}

// wevtutil is known to write raw control characters (0x01, 0x02, 0x0F...) into event text; XML 1.0
// cannot carry them, and they carry no meaning we use. We repair rather than reject: the bytes are
// dropped and the rest of the event is kept, so a logon with a stray 0x0F in an unrelated field is
// still evidence.
void drop_control_characters(std::string& text) {
  std::erase_if(text, [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

// Every `<` of the text: at least as many as its tags.
std::size_t count_markup_starts(std::string_view text) {
  std::size_t n = 0;
  const char* const end = text.data() + text.size();
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)))); ++p)
    ++n;
  return n;
}

// No DTD processing ever (SPEC 6): a DOCTYPE or entity declaration, or a reference to anything but
// the five predefined entities and numeric character references, rejects the event. `references`
// says whether the text holds any `&` at all (then pugixml has references to expand).
bool check_entities(std::string_view text, std::string& why, bool& references) {
  // Every `<!` found by its `!`, which event XML rarely holds, rather than by its `<`, which opens
  // every tag.
  for (auto bang = text.find('!', 1); bang != std::string_view::npos; bang = text.find('!', bang + 1)) {
    if (text[bang - 1] != '<') continue;
    const auto rest = text.substr(bang - 1);
    if (!rest.starts_with("<!--") && !rest.starts_with("<![CDATA[")) {
      why = "DTD or entity declaration not allowed";
      return false;
    }
  }
  auto amp = text.find('&');
  references = amp != std::string_view::npos;
  for (; amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
    const auto semi = text.find(';', amp);
    const auto ref = text.substr(amp + 1, semi == std::string_view::npos ? std::string_view::npos : semi - amp - 1);
    bool ok = semi != std::string_view::npos &&
              (ref == "lt" || ref == "gt" || ref == "amp" || ref == "quot" || ref == "apos");
    if (!ok && semi != std::string_view::npos && ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const auto digits = ref.substr(hex ? 2 : 1);
      ok = !digits.empty();
      for (const char c : digits) ok &= hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '9');
    }
    if (!ok) {
      // Shown cut on a character boundary: the reason must stay valid UTF-8.
      why = "entity reference '&" + truncate_utf8(ref, semi == std::string_view::npos ? 16 : 32) +
            (semi == std::string_view::npos ? "" : ";") + "' not allowed";
      return false;
    }
  }
  return true;
}

int depth_of(const pugi::xml_node& root, int limit) {
  // Iterative (a walk down and back up the tree), so a hostile nesting cannot exhaust the stack.
  int depth = 1;
  int deepest = 1;
  pugi::xml_node node = root.first_child();
  while (node && node != root) {
    if (node.type() == pugi::node_element) {
      ++depth;
      deepest = std::max(deepest, depth);
      if (deepest > limit) return deepest;
      if (node.first_child()) {
        node = node.first_child();
        continue;
      }
      --depth;
    }
    while (!node.next_sibling()) {
      node = node.parent();
      if (node == root) return deepest;
      --depth;
    }
    node = node.next_sibling();
  }
  return deepest;
}

// Whether the NUL-terminated `name` is `wanted`: compared in line, byte by byte, stopping at the
// first difference (so never reading past the name's end). The C library's strcmp is a call per
// compare, and names are compared a dozen times in every event.
template <std::size_t N>
bool name_is(const char* name, const char (&wanted)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (name[i] != wanted[i]) return false;
  return true;
}

// The part of `name` after its first colon, or nullptr when it has none.
const char* after_first_colon(const char* name) {
  for (; *name; ++name)
    if (*name == ':') return name + 1;
  return nullptr;
}

// `name` without the prefix up to its first colon, as the System header's children are matched.
std::string_view local_name(const char* name) {
  // One walk over the (short) name finds both its end and its first colon.
  const char* local = name;
  const char* p = name;
  for (; *p; ++p)
    if (*p == ':' && local == name) local = p + 1;
  return {local, static_cast<std::size_t>(p - local)};
}

pugi::xml_node child_named(const pugi::xml_node& parent, std::string_view name) {
  for (auto child = parent.first_child(); child; child = child.next_sibling())
    if (child.type() == pugi::node_element && local_name(child.name()) == name) return child;
  return {};
}

// The System header's elements that become Event members: the first of each name, found in one walk
// over the header instead of one walk per name (every call into pugixml is a call into its library).
struct SystemHeader {
  pugi::xml_node event_id, time_created, computer, record_id, channel, provider;

  // Where a child named `name` goes, or nullptr. `prefix:EventID` counts as EventID (the part after
  // the first colon, as local_name() reads it), but the whole name is tried first: a name is walked
  // for a colon only when it is none of these (every header has a dozen children, of every event).
  pugi::xml_node* slot_of(const char* name) {
    if (pugi::xml_node* slot = slot_of_local(name)) return slot;
    const char* local = after_first_colon(name);
    return local ? slot_of_local(local) : nullptr;
  }
  pugi::xml_node* slot_of_local(const char* name) {
    switch (name[0]) {
      case 'E': return name_is(name, "EventID") ? &event_id : name_is(name, "EventRecordID") ? &record_id : nullptr;
      case 'C': return name_is(name, "Computer") ? &computer : name_is(name, "Channel") ? &channel : nullptr;
      case 'T': return name_is(name, "TimeCreated") ? &time_created : nullptr;
      case 'P': return name_is(name, "Provider") ? &provider : nullptr;
      default: return nullptr;
    }
  }

  explicit SystemHeader(const pugi::xml_node& system) {
    for (auto child = system.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      if (pugi::xml_node* slot = slot_of(child.name()); slot && !*slot) *slot = child;
    }
  }
};

std::string text_of(const pugi::xml_node& node) { return std::string(trim(node.child_value())); }

template <typename T>
bool parse_integer(std::string_view s, T& out) {
  s = trim(s);
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return !s.empty() && ec == std::errc() && ptr == end;
}

// pugixml's tree as collect_event_fields (model/event_fields.h) reads it.
struct PugiTree {
  template <typename F>
  static void for_each_child(const pugi::xml_node& node, F&& f) {
    for (auto child = node.first_child(); child; child = child.next_sibling())
      if (child.type() == pugi::node_element) f(child);
  }
  static std::string_view name(const pugi::xml_node& node) { return node.name(); }
  // The first attribute called Name, as xml_node::attribute("Name") finds it, without its strcmp
  // per attribute (a Data element has one attribute, and every event a dozen Data elements).
  static std::string_view name_attribute(const pugi::xml_node& node) {
    for (auto a = node.first_attribute(); a; a = a.next_attribute())
      if (name_is(a.name(), "Name")) return a.value();
    return {};
  }
  // child_value() is text().get() in one call (used for every text here): the element's own text
  // (parse_embed_pcdata), else its first text child.
  static void assign_text(const pugi::xml_node& node, std::string& out) { overwrite(out, trim(node.child_value())); }
};

}  // namespace

XmlEventParser::XmlEventParser(const EventReadOptions& options)
    : options_(options), doc_(std::make_unique<pugi::xml_document>()) {}

XmlEventParser::~XmlEventParser() = default;

bool XmlEventParser::parse(std::string& text, Event& out, std::string& why, std::size_t markup_starts) {
  const ByteClasses bytes = classify_bytes(text);
  if (bytes.control) drop_control_characters(text);
  // An export that is not UTF-8 where it claims to be: keep the event, mark the bad bytes (U+FFFD)
  // so every file of the pack stays UTF-8. Pure ASCII needs no check.
  if (bytes.non_ascii && !is_valid_utf8(text)) text = repair_utf8(text);
  bool references = false;
  if (!check_entities(text, why, references)) return false;
  if (markup_starts == kUncounted) markup_starts = count_markup_starts(text);

  // parse_default expands only the predefined entities and character references; DOCTYPE parsing is
  // off, and the checks above already refused anything else. parse_embed_pcdata keeps an element's
  // leading text in the element itself instead of a node of its own: fewer nodes to build, and
  // text() reads the same value either way.
  // parse_default's conversions are asked for only when the event has bytes for them to convert:
  // without an `&` there is no reference to expand, without a byte below 0x20 no line end to
  // normalise and no tab or line end in an attribute value to turn into a space. Leaving a
  // conversion out then changes nothing pugixml builds or reports, and spares its per-character
  // checks (most wevtutil events have neither).
  unsigned options = pugi::parse_cdata | pugi::parse_embed_pcdata;
  if (references) options |= pugi::parse_escapes;
  if (bytes.below_space) options |= pugi::parse_eol | pugi::parse_wconv_attribute;
  const auto result = doc_->load_buffer_inplace(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!result) {
    why = std::string("malformed XML: ") + result.description() + " at byte " + std::to_string(result.offset);
    return false;
  }
  const auto event = doc_->document_element();
  // A parsed document nested d deep has at least 2d - 1 tags (every enclosing element has its end
  // tag: pugixml refuses unclosed ones), so an event with at most 2 * max_depth `<` cannot be too
  // deep and needs no walk.
  const bool may_be_too_deep = markup_starts > 2 * static_cast<std::size_t>(std::max(options_.max_depth, 0));
  if (may_be_too_deep && depth_of(event, options_.max_depth) > options_.max_depth) {
    why = "nesting deeper than " + std::to_string(options_.max_depth) + " elements";
    return false;
  }

  const SystemHeader system(child_named(event, "System"));
  if (!system.event_id) {
    why = "missing EventID";
    return false;
  }
  if (!parse_integer(system.event_id.child_value(), out.event_id)) {
    why = "unparsable EventID '" + text_of(system.event_id) + "'";
    return false;
  }
  const auto created = system.time_created.attribute("SystemTime");
  if (!created) {
    why = "missing TimeCreated/@SystemTime";
    return false;
  }
  std::string time_why;
  const auto time = parse_timestamp(trim(created.value()), &time_why);
  if (!time) {
    why = "unparsable SystemTime '" + std::string(created.value()) + "'" + (time_why.empty() ? "" : ": " + time_why);
    return false;
  }
  out.time = *time;
  // Events of a file nearly always name one computer: its normalised name is worked out once, not
  // for every event (`out` is the reader's Event, reused from event to event).
  const std::string_view computer = trim(system.computer.child_value());
  if (computer.empty()) {
    why = "missing Computer";
    return false;
  }
  if (computer != out.computer || out.host.empty()) {
    out.computer.assign(computer);
    out.host = normalize_host(out.computer);
  }
  out.record_id = 0;
  if (system.record_id) {
    if (!parse_integer(system.record_id.child_value(), out.record_id)) {
      why = "unparsable EventRecordID '" + text_of(system.record_id) + "'";
      return false;
    }
  }
  const std::string_view channel = trim(system.channel.child_value());
  if (channel != out.channel_name || out.channel_name.empty()) {
    out.channel_name.assign(channel);
    out.channel = channel_from_name(out.channel_name);
  }
  overwrite(out.provider, system.provider.attribute("Name").value());
  if (!options_.content_fingerprints && !is_relevant_event(out)) {
    out.fields.clear();  // the whole event was parsed (and checked); only its fields are not walked
    return true;
  }
  collect_event_fields<PugiTree>(event, out.fields);
  return true;
}

}  // namespace flexrecon
