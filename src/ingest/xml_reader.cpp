#include "ingest/xml_reader.h"

#include "ingest/xml_event_parser.h"
#include "ingest/xml_event_splitter.h"

namespace flexrecon {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Names longer than this are not event names; capping the scan keeps sniffing linear.
constexpr std::size_t kMaxNameLength = 256;

// The element name after the `<` at s[0], without its prefix. The scan stops at the next `<` too:
// in `<a<<<<...` every `<` would otherwise rescan the rest of the head (quadratic sniffing).
std::string_view element_name_at(std::string_view s) {
  std::size_t end = 1;
  while (end < s.size() && end <= kMaxNameLength && !is_space(s[end]) && s[end] != '>' && s[end] != '/' && s[end] != '<')
    ++end;
  auto name = s.substr(1, end - 1);
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

// The first `<Event` start tag (not `<Events`) at or after `from`, or npos.
std::size_t find_event_start(std::string_view s, std::size_t from) {
  for (auto lt = s.find('<', from); lt != std::string_view::npos; lt = s.find('<', lt + 1))
    if (lt + 1 < s.size() && s[lt + 1] != '/' && element_name_at(s.substr(lt)) == "Event") return lt;
  return std::string_view::npos;
}

}  // namespace

std::string sniff_xml_format(std::string_view head) {
  std::size_t p = 0;
  while (true) {
    while (p < head.size() && is_space(head[p])) ++p;
    if (p >= head.size() || head[p] != '<') return "";
    const auto rest = head.substr(p);
    if (rest.starts_with("<?") || rest.starts_with("<!--")) {
      const std::string_view closer = rest.starts_with("<?") ? "?>" : "-->";
      const auto close = head.find(closer, p);
      if (close == std::string_view::npos) return "";
      p = close + closer.size();
      continue;
    }
    if (rest.starts_with("<!DOCTYPE")) {
      // Stepped over, never processed: events that use its entities are rejected one by one.
      // '[' is only looked for before the first '>': searching the whole head for it on every
      // DOCTYPE would make a head of many DOCTYPEs quadratic.
      const auto gt = head.find('>', p);
      const auto bracket = head.substr(0, gt).find('[', p);
      const auto close = bracket < gt ? head.find("]>", bracket) : gt;
      if (close == std::string_view::npos) return "";
      p = close + (bracket < gt ? 2 : 1);
      continue;
    }
    if (rest.starts_with("<!")) return "";
    break;
  }
  const auto root = element_name_at(head.substr(p));
  if (root == "Event") {
    // Both wevtutil and ToXml() render through the same Windows API (single-quoted attributes);
    // what tells them apart is the layout: PowerShell writes one event per line, wevtutil runs them
    // together. The label is informational only: both forms are read by the same code.
    const auto gt = head.find('>', p);
    const auto tag = head.substr(p, gt == std::string_view::npos ? std::string_view::npos : gt - p);
    const auto end = head.find("</Event>", p);
    const bool one_per_line = end != std::string_view::npos && end + 8 < head.size() &&
                              (head[end + 8] == '\n' || head[end + 8] == '\r');
    return tag.find("='") != std::string_view::npos && one_per_line ? "powershell-xml" : "wevtutil-xml";
  }
  if (root == "Events") return "eventviewer-xml";
  // Any other wrapper counts when events follow it (wevtutil's /e:NAME picks the root's name).
  if (root.empty() || find_event_start(head, p + 1) == std::string_view::npos) return "";
  return "root-xml";
}

void read_xml_events(ByteSource& utf8, const std::string& source_name, SourceId source,
                     const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                     Rejects& rejects) {
  XmlEventSplitter splitter(utf8, options.max_event_bytes);
  XmlEventParser parser(options);
  RawEvent raw;
  std::string why;
  bool yielded = false;  // an event, or a reject naming why there is none
  // One Event for the whole file: parse() sets every member it reads, so its field list keeps its
  // capacity from event to event instead of an allocation each.
  Event event;
  while (splitter.next(raw)) {
    yielded = true;
    // Spelled out only for a reject, not for each of the millions of accepted events.
    const auto location = [&] { return "line " + std::to_string(raw.line); };
    if (!raw.broken.empty()) {
      rejects.push_back({source_name, location(), raw.broken});
      continue;
    }
    if (!parser.parse(raw.text, event, why, raw.markup_starts)) {
      rejects.push_back({source_name, location(), why});
      continue;
    }
    event.source = source;
    event.line = raw.line;
    event.ref_by_line = false;  // parse() does not set it; a consumer may have moved from the event
    deliver(std::move(event));
  }
  // The head looked like event XML, yet not one event start followed (an <Events> root holding only
  // an unterminated comment, or garbage): say so, so no file silently contributes nothing.
  if (!yielded) rejects.push_back({source_name, "file", "no <Event> element in the file"});
}

}  // namespace flexrecon
