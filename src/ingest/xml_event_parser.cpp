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

// `want` is the element's name without its namespace prefix. Cheaper than local_element_name(): element
// names are compared by the thousand per event.
bool has_local_name(const char* name, const char* want) {
  const char* colon = std::strchr(name, ':');
  return std::strcmp(colon ? colon + 1 : name, want) == 0;
}

bool is_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// wevtutil is known to write raw control characters (0x01, 0x02, 0x0F...) into event text; XML 1.0
// cannot carry them, and they carry no meaning we use. We repair rather than reject: the bytes are
// dropped and the rest of the event is kept, so a logon with a stray 0x0F in an unrelated field is
// still evidence.
void drop_control_characters(std::string& text) {
  bool any = false;
  for (const char c : text) any |= is_control(static_cast<unsigned char>(c));
  if (!any) return;
  std::erase_if(text, [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

// No DTD processing ever (SPEC 6): a DOCTYPE or entity declaration, or a reference to anything but
// the five predefined entities and numeric character references, rejects the event.
bool check_entities(std::string_view text, std::string& why) {
  for (auto at = text.find("<!"); at != std::string_view::npos; at = text.find("<!", at + 2)) {
    const auto rest = text.substr(at);
    if (!rest.starts_with("<!--") && !rest.starts_with("<![CDATA[")) {
      why = "DTD or entity declaration not allowed";
      return false;
    }
  }
  for (auto amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
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

pugi::xml_node child_named(const pugi::xml_node& parent, const char* name) {
  for (auto child = parent.first_child(); child; child = child.next_sibling())
    if (child.type() == pugi::node_element && has_local_name(child.name(), name)) return child;
  return {};
}

std::string text_of(const pugi::xml_node& node) { return std::string(trim(node.text().get())); }

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
  static std::string_view name_attribute(const pugi::xml_node& node) { return node.attribute("Name").value(); }
  static std::string text(const pugi::xml_node& node) { return text_of(node); }
};

}  // namespace

XmlEventParser::XmlEventParser(const EventReadOptions& options)
    : options_(options), doc_(std::make_unique<pugi::xml_document>()) {}

XmlEventParser::~XmlEventParser() = default;

bool XmlEventParser::parse(std::string& text, Event& out, std::string& why) {
  drop_control_characters(text);
  // An export that is not UTF-8 where it claims to be: keep the event, mark the bad bytes (U+FFFD)
  // so every file of the pack stays UTF-8.
  if (!is_valid_utf8(text)) text = repair_utf8(text);
  if (!check_entities(text, why)) return false;

  // parse_default expands only the predefined entities and character references; DOCTYPE parsing is
  // off, and the checks above already refused anything else.
  const auto result = doc_->load_buffer_inplace(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    why = std::string("malformed XML: ") + result.description() + " at byte " + std::to_string(result.offset);
    return false;
  }
  const auto event = doc_->document_element();
  if (depth_of(event, options_.max_depth) > options_.max_depth) {
    why = "nesting deeper than " + std::to_string(options_.max_depth) + " elements";
    return false;
  }

  const auto system = child_named(event, "System");
  const auto id = child_named(system, "EventID");
  if (!id) {
    why = "missing EventID";
    return false;
  }
  if (!parse_integer(id.text().get(), out.event_id)) {
    why = "unparsable EventID '" + text_of(id) + "'";
    return false;
  }
  const auto created = child_named(system, "TimeCreated").attribute("SystemTime");
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
  out.computer = text_of(child_named(system, "Computer"));
  if (out.computer.empty()) {
    why = "missing Computer";
    return false;
  }
  out.host = normalize_host(out.computer);
  out.record_id = 0;
  if (const auto record = child_named(system, "EventRecordID")) {
    if (!parse_integer(record.text().get(), out.record_id)) {
      why = "unparsable EventRecordID '" + text_of(record) + "'";
      return false;
    }
  }
  out.channel_name = text_of(child_named(system, "Channel"));
  out.channel = channel_from_name(out.channel_name);
  out.provider = child_named(system, "Provider").attribute("Name").value();
  out.fields.clear();
  out.fields.reserve(16);
  collect_event_fields<PugiTree>(event, out.fields);
  return true;
}

}  // namespace flexrecon
