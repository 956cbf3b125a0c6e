#include "ingest/xml_event_splitter.h"

#include <algorithm>
#include <cstring>

namespace flexrecon {

namespace {

constexpr std::size_t kChunk = 1 << 18;
constexpr std::size_t kMaxNameLength = 256;

bool is_name_end(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

// `Event` or `prefix:Event`, not `Events` or `EventData`.
bool is_event_name(std::string_view name) {
  const auto colon = name.rfind(':');
  if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name == "Event";
}

}  // namespace

bool XmlEventSplitter::fill() {
  if (eof_) return false;
  const std::size_t old = buf_.size();
  buf_.resize(old + kChunk);
  const std::size_t got = in_.read(buf_.data() + old, kChunk);
  buf_.resize(old + got);
  if (got == 0) eof_ = true;
  return got > 0;
}

bool XmlEventSplitter::ensure(std::size_t index) {
  while (index >= buf_.size())
    if (!fill()) return false;
  return true;
}

std::size_t XmlEventSplitter::find_from(std::string_view needle, std::size_t from) {
  while (true) {
    const auto at = buf_.find(needle, from);
    if (at != std::string::npos) return at;
    // Keep the last needle-1 bytes in the search window: the needle may straddle the chunk border.
    from = std::max(from, buf_.size() >= needle.size() ? buf_.size() - needle.size() + 1 : 0);
    if (!fill()) return std::string::npos;
  }
}

XmlEventSplitter::Tag XmlEventSplitter::classify(std::size_t lt, std::size_t& name_end) {
  if (!ensure(lt + 1)) return Tag::Incomplete;
  const bool closing = buf_[lt + 1] == '/';
  const std::size_t start = lt + 1 + (closing ? 1 : 0);
  std::size_t j = start;
  if (start + kMaxNameLength + 2 < buf_.size()) {
    // Fast path, the usual case: the whole name is already buffered.
    const char* p = buf_.data();
    while (!is_name_end(p[j]) && j - start <= kMaxNameLength) ++j;
  } else {
    while (true) {
      if (!ensure(j)) return Tag::Incomplete;
      if (is_name_end(buf_[j]) || j - start > kMaxNameLength) break;
      ++j;
    }
  }
  name_end = j;
  if (!is_event_name(std::string_view(buf_).substr(start, j - start))) return Tag::Other;
  return closing ? Tag::EventEnd : Tag::EventStart;
}

void XmlEventSplitter::count_lines_to(std::size_t index) {
  if (index <= line_pos_) return;
  line_ += static_cast<std::uint64_t>(std::count(buf_.begin() + static_cast<std::ptrdiff_t>(line_pos_),
                                                 buf_.begin() + static_cast<std::ptrdiff_t>(index), '\n'));
  line_pos_ = index;
}

void XmlEventSplitter::compact() {
  count_lines_to(pos_);
  buf_.erase(0, pos_);
  line_pos_ -= pos_;
  pos_ = 0;
}

void XmlEventSplitter::skip_oversize(std::size_t scan) {
  // The event is already rejected; only find where it ends, discarding bytes as we go.
  while (true) {
    const auto lt = buf_.find('<', scan);
    if (lt == std::string::npos) {
      pos_ = buf_.size();
      compact();
      scan = 0;
      if (!fill()) return;
      continue;
    }
    std::size_t name_end = 0;
    const Tag tag = classify(lt, name_end);
    if (tag == Tag::Incomplete) {
      pos_ = buf_.size();
      return;
    }
    if (tag == Tag::EventEnd) {
      const auto gt = find_from(">", name_end);
      pos_ = gt == std::string::npos ? buf_.size() : gt + 1;
      return;
    }
    if (tag == Tag::EventStart) {
      pos_ = lt;
      return;
    }
    scan = lt + 1;
    if (lt > kChunk) {
      pos_ = lt;
      compact();
      scan = 1;
    }
  }
}

bool XmlEventSplitter::next(RawEvent& out) {
  out.text.clear();
  out.broken.clear();
  if (pos_ > kChunk) compact();

  // Find the next `<Event` start tag; everything else outside events is wrapper or noise.
  std::size_t s = 0;
  std::size_t name_end = 0;
  while (true) {
    const auto lt = buf_.find('<', pos_);
    if (lt == std::string::npos) {
      pos_ = buf_.size();
      compact();
      if (!fill()) return false;
      continue;
    }
    pos_ = lt;
    const Tag tag = classify(lt, name_end);
    if (tag == Tag::Incomplete) {
      pos_ = buf_.size();
      return false;
    }
    if (tag == Tag::EventStart) {
      s = lt;
      break;
    }
    pos_ = lt + 1;
  }
  count_lines_to(s);
  out.line = line_;

  // The end of the start tag; `>` may legally appear inside a quoted attribute value.
  std::size_t j = name_end;
  char quote = 0;
  while (true) {
    if (!ensure(j)) {
      out.broken = "truncated event at end of file";
      pos_ = buf_.size();
      return true;
    }
    const char c = buf_[j];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
    ++j;
  }
  if (buf_[j - 1] == '/') {  // `<Event/>`: empty, the parser rejects it for what it lacks
    out.text.assign(buf_, s, j + 1 - s);
    pos_ = j + 1;
    return true;
  }

  std::size_t scan = j + 1;
  while (true) {
    auto lt = buf_.find('<', scan);
    const std::size_t reach = lt == std::string::npos ? buf_.size() : lt;
    if (reach - s > max_event_bytes_) {
      out.broken = "event larger than " + std::to_string(max_event_bytes_) + " bytes";
      skip_oversize(reach);
      return true;
    }
    if (lt == std::string::npos) {
      scan = buf_.size();
      if (!fill()) {
        out.broken = "truncated event at end of file";
        pos_ = buf_.size();
        return true;
      }
      continue;
    }
    // Comments and CDATA may hold anything, including `</Event>`: step over them whole.
    ensure(lt + 9);
    const std::string_view at = std::string_view(buf_).substr(lt);
    if (at.starts_with("<!--") || at.starts_with("<![CDATA[")) {
      const std::string_view closer = at.starts_with("<!--") ? "-->" : "]]>";
      const auto close = find_from(closer, lt + 4);
      if (close == std::string::npos) {
        out.broken = "truncated event at end of file";
        pos_ = buf_.size();
        return true;
      }
      scan = close + closer.size();
      continue;
    }
    const Tag tag = classify(lt, name_end);
    if (tag == Tag::Incomplete) {
      out.broken = "truncated event at end of file";
      pos_ = buf_.size();
      return true;
    }
    if (tag == Tag::EventStart) {
      out.broken = "truncated event: a new <Event> starts before </Event>";
      pos_ = lt;
      return true;
    }
    if (tag == Tag::EventEnd) {
      const auto gt = find_from(">", name_end);
      if (gt == std::string::npos) {
        out.broken = "truncated event at end of file";
        pos_ = buf_.size();
        return true;
      }
      out.text.assign(buf_, s, gt + 1 - s);
      pos_ = gt + 1;
      return true;
    }
    scan = lt + 1;
  }
}

}  // namespace flexrecon
