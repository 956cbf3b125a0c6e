#include "ingest/xml_event_splitter.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace flexrecon {

namespace {

constexpr std::size_t kMaxNameLength = 256;
// Room for what classify() and the comment/CDATA check read past a found `<` (a name, `<![CDATA[`).
constexpr std::size_t kLookahead = kMaxNameLength + 16;
// How far skip_plain_tags() looks at a time: a few events of wevtutil's.
constexpr std::size_t kSkipWindow = 1 << 12;

// The bytes that end an element name, as a table: names are read for every tag of every event.
constexpr std::array<bool, 256> kNameEnd = [] {
  std::array<bool, 256> table{};
  for (const char c : {' ', '\t', '\r', '\n', '>', '/', '<'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_name_end(char c) { return kNameEnd[static_cast<unsigned char>(c)]; }

// `Event` or `prefix:Event`, not `Events` or `EventData`: the part after the last colon is `Event`.
bool is_event_name(std::string_view name) {
  return name.ends_with("Event") && (name.size() == 5 || name[name.size() - 6] == ':');
}

// How many bytes of [p, end) are `c`: sixteen at a time (a compiler vector: one compare and one
// subtract each), where std::count went byte by byte. Every byte inside every event is counted.
std::size_t count_byte(const char* p, const char* end, char c) {
  typedef unsigned char Lanes __attribute__((vector_size(16)));
  std::size_t n = 0;
  while (end - p >= 16) {
    Lanes counts = {};  // per lane: at most 255 blocks a round
    const char* const round_end = p + 16 * std::min<std::ptrdiff_t>(255, (end - p) / 16);
    for (; p < round_end; p += 16) {
      Lanes bytes;
      std::memcpy(&bytes, p, 16);
      counts -= reinterpret_cast<Lanes>(bytes == static_cast<unsigned char>(c));  // a match is -1
    }
    for (int i = 0; i < 16; ++i) n += counts[i];
  }
  for (; p < end; ++p) n += *p == c;
  return n;
}

// The first `"`, `'` or `>` at or after `from`, or npos: a plain loop, where string_view's
// find_first_of looks each byte up in the set with a call of its own (the start tag of every event
// is scanned, and wevtutil's carry a 70-byte namespace attribute).
std::size_t find_quote_or_gt(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] == '>' || s[i] == '"' || s[i] == '\'') return i;
  return std::string_view::npos;
}

// "4 MiB" for the default bound, exact bytes for any other.
std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = 1 << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

XmlEventSplitter::XmlEventSplitter(ByteSource& in, std::uint64_t max_event_bytes)
    : in_(in),
      max_event_bytes_(std::min<std::uint64_t>(max_event_bytes, std::uint64_t{1} << 40)),
      // An event starts at most one chunk into the buffer (compaction point), may reach the bound,
      // and the last read that crossed it adds one chunk plus the lookahead after a `<`.
      buffer_limit_(static_cast<std::size_t>(max_event_bytes_) + 3 * kReadChunk + kLookahead) {}

void XmlEventSplitter::ReadBuffer::reallocate(std::size_t capacity) {
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(bigger.get(), bytes_.get(), size_);
  bytes_ = std::move(bigger);
  capacity_ = capacity;
}

void XmlEventSplitter::ReadBuffer::drop_front(std::size_t n) {
  if (n == 0) return;  // also before the first read, when there is no allocation to move within
  std::memmove(bytes_.get(), bytes_.get() + n, size_ - n);
  size_ -= n;
}

bool XmlEventSplitter::fill() {
  if (eof_) return false;
  const std::size_t old = buf_.size();
  if (old + kReadChunk > buffer_limit_)
    // The scans below stop at the event bound before this can happen; refusing beats growing.
    throw std::logic_error("XML splitter buffer would pass its bound of " + std::to_string(buffer_limit_) + " bytes");
  if (old + kReadChunk > buf_.capacity()) {
    // Grow by doubling, but never past the limit.
    buf_.reallocate(std::max(old + kReadChunk, std::min(2 * buf_.capacity(), buffer_limit_)));
    peak_capacity_ = std::max(peak_capacity_, buf_.capacity());
  }
  const std::size_t got = in_.read(buf_.room(), kReadChunk);
  buf_.appended(got);
  if (got == 0) eof_ = true;
  return got > 0;
}

bool XmlEventSplitter::ensure(std::size_t index) {
  while (index >= buf_.size())
    if (!fill()) return false;
  return true;
}

XmlEventSplitter::Scan XmlEventSplitter::find_in_event(std::string_view needle, std::size_t from,
                                                       std::size_t event_start, std::size_t& at) {
  while (true) {
    // One character (the `<` of every tag) is a plain memchr, the hot path of splitting.
    at = needle.size() == 1 ? buf_.find(needle[0], from) : buf_.find(needle, from);
    if (at != std::string::npos) return Scan::Found;
    if (buf_.size() - event_start > max_event_bytes_) return Scan::TooLong;
    // Keep the last needle-1 bytes in the search window: the needle may straddle the chunk border.
    from = std::max(from, buf_.size() >= needle.size() ? buf_.size() - needle.size() + 1 : 0);
    if (!fill()) return Scan::EndOfStream;
  }
}

XmlEventSplitter::Scan XmlEventSplitter::find_start_tag_end(std::size_t from, std::size_t event_start,
                                                            std::size_t& gt, std::size_t& open_quote) {
  // `>` may legally appear inside a quoted attribute value; open_quote is npos outside one.
  open_quote = std::string::npos;
  std::size_t j = from;
  while (true) {
    if (open_quote == std::string::npos) {
      const auto k = find_quote_or_gt(buf_.view(), j);
      if (k != std::string::npos && buf_[k] == '>') {
        gt = k;
        return Scan::Found;
      }
      if (k != std::string::npos) {
        open_quote = k;
        j = k + 1;
        continue;
      }
    } else {
      const auto close = buf_.find(buf_[open_quote], j);
      if (close != std::string::npos) {
        open_quote = std::string::npos;
        j = close + 1;
        continue;
      }
    }
    j = buf_.size();
    if (buf_.size() - event_start > max_event_bytes_) return Scan::TooLong;
    if (!fill()) return Scan::EndOfStream;
  }
}

XmlEventSplitter::Tag XmlEventSplitter::classify(std::size_t lt, std::size_t& name_end) {
  if (lt + kLookahead < buf_.size()) return classify_buffered(buf_.data(), lt, name_end);
  if (!ensure(lt + 1)) return Tag::Incomplete;
  const bool closing = buf_[lt + 1] == '/';
  const std::size_t start = lt + 1 + (closing ? 1 : 0);
  std::size_t j = start;
  while (true) {
    if (!ensure(j)) return Tag::Incomplete;
    if (is_name_end(buf_[j]) || j - start > kMaxNameLength) break;
    ++j;
  }
  name_end = j;
  if (!is_event_name(buf_.view().substr(start, j - start))) return Tag::Other;
  return closing ? Tag::EventEnd : Tag::EventStart;
}

XmlEventSplitter::Tag XmlEventSplitter::classify_buffered(const char* buf, std::size_t lt, std::size_t& name_end) {
  // The caller saw kLookahead bytes buffered after `<`: the longest name read here fits, so no
  // refill can be needed and the bytes are read directly (this runs for every tag of every event).
  const bool closing = buf[lt + 1] == '/';
  const std::size_t start = lt + 1 + (closing ? 1 : 0);
  std::size_t j = start;
  while (!is_name_end(buf[j]) && j - start <= kMaxNameLength) ++j;
  name_end = j;
  if (!is_event_name(std::string_view(buf + start, j - start))) return Tag::Other;
  return closing ? Tag::EventEnd : Tag::EventStart;
}

std::size_t XmlEventSplitter::skip_plain_tags(std::size_t scan, std::size_t event_start,
                                              std::size_t& markup_starts) const {
  // Only what the loop in next() would step over without a second look: a `<` inside the event's
  // bound, not `<!` (comment, CDATA), naming anything but Event, with its longest possible name
  // buffered. The first `<` that is none of that is left to next(), as is the buffer's tail.
  //
  // Found without reading the name of every tag: in a window of the buffer, the first tag named
  // Event (by the word `Event`, a few times in an event), the first `<!` (by its `!`, rare in
  // events) and the first `<` past the bound are each looked for with the C library's searches; the
  // earliest is where next() takes over, and the `<` before it are only counted. Window by window,
  // so that no call reads further than a window past where it stops, however often next() calls.
  const char* const buf = buf_.data();
  const std::size_t limit = buf_.size() > kLookahead ? buf_.size() - kLookahead : 0;
  const std::size_t past_bound = event_start + static_cast<std::size_t>(max_event_bytes_) + 1;
  while (scan < limit) {
    const std::size_t to = std::min(limit, scan + kSkipWindow);
    std::size_t stop = to;  // every `<` in [scan, stop) is plain

    // A tag named Event or prefix:Event, start or end: classify_buffered()'s verdict on the `<`
    // before the word, worked out from the word. Its name runs back from the word to the `<` (or
    // `</`) over name bytes only, and ends right after it (a name byte there, or a name longer than
    // the scan's cap, would end elsewhere). Every name starting before `to` is inside the lookahead.
    const std::string_view names(buf, std::min(buf_.size(), to + kLookahead));
    for (std::size_t word = names.find("Event", scan + 1); word != std::string_view::npos; word = names.find("Event", word + 1)) {
      std::size_t name = word;
      while (name > scan && word - name <= kMaxNameLength && !is_name_end(buf[name - 1])) --name;
      if (name == 0 || word - name > kMaxNameLength) continue;
      std::size_t lt = name - 1;
      if (buf[lt] == '/' && lt > 0 && buf[lt - 1] == '<') --lt;
      if (lt >= stop) break;  // words further on belong to later tags still
      if (buf[lt] != '<' || lt < scan) continue;  // not in a tag name, or in one judged already
      const std::size_t length = word + 5 - name;  // of the name up to the word's end
      if (length > kMaxNameLength + 1) continue;   // the scan stops reading the name before the word ends
      // (Read only now: with the name this short, buf[word + 5] is inside the lookahead.)
      const bool ends_at_word = length == kMaxNameLength + 1 || is_name_end(buf[word + 5]);
      if (ends_at_word && (word == name || buf[word - 1] == ':')) {
        stop = lt;
        break;
      }
    }

    // `<!`: a comment, CDATA, or anything else next() must look at.
    for (std::size_t bang = scan + 1; bang <= stop;) {
      const void* hit = std::memchr(buf + bang, '!', stop + 1 - bang);
      if (!hit) break;
      bang = static_cast<std::size_t>(static_cast<const char*>(hit) - buf);
      if (buf[bang - 1] == '<') {
        stop = bang - 1;
        break;
      }
      ++bang;
    }

    // A `<` more than max_event_bytes_ past the event's start (scan never precedes the start).
    const std::size_t from = std::max(scan, past_bound);
    if (const void* hit = from < stop ? std::memchr(buf + from, '<', stop - from) : nullptr)
      stop = static_cast<std::size_t>(static_cast<const char*>(hit) - buf);

    markup_starts += count_byte(buf + scan, buf + stop, '<');
    if (stop < to) return stop;
    scan = to;
  }
  return scan;
}

std::uint64_t XmlEventSplitter::line_at(std::size_t index) {
  if (index > line_pos_) {
    // memchr from newline to newline: wevtutil runs its events together on one line, so this is
    // mostly one call, where a byte-by-byte count would touch every byte of the file.
    const char* p = buf_.data() + line_pos_;
    const char* const end = buf_.data() + index;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
      ++line_;
      ++p;
    }
    line_pos_ = index;
  }
  return line_;
}

void XmlEventSplitter::compact() {
  line_at(pos_);
  buf_.drop_front(pos_);
  line_pos_ -= pos_;
  pos_ = 0;
}

void XmlEventSplitter::skip_to_next_event(std::size_t scan) {
  // The event is already rejected: find the next `<Event`, discarding everything before it.
  pos_ = std::min(scan, buf_.size());
  compact();
  scan = 0;
  while (true) {
    const auto lt = buf_.find('<', scan);
    if (lt == std::string::npos) {
      pos_ = buf_.size();
      compact();
      scan = 0;
      if (!fill()) return;
      continue;
    }
    if (lt > kReadChunk) {
      pos_ = lt;
      compact();
      scan = 0;
      continue;
    }
    std::size_t name_end = 0;
    const Tag tag = classify(lt, name_end);
    if (tag == Tag::Incomplete) {
      pos_ = buf_.size();
      return;
    }
    if (tag == Tag::EventStart) {
      pos_ = lt;
      return;
    }
    scan = lt + 1;
  }
}

std::string XmlEventSplitter::not_closed(std::string_view what, std::uint64_t line) const {
  return "unterminated " + std::string(what) + " at line " + std::to_string(line) + " (event passes the " +
         size_text(max_event_bytes_) + " bound)";
}

bool XmlEventSplitter::next(RawEvent& out) {
  out.text.clear();
  out.broken.clear();
  out.markup_starts = 1;  // the event's own start tag

  // Find the next `<Event` start tag; everything else outside events is wrapper or noise.
  std::size_t s = 0;
  std::size_t name_end = 0;
  while (true) {
    if (pos_ > kReadChunk) compact();
    const auto lt = buf_.find('<', pos_);
    if (lt == std::string::npos) {
      pos_ = buf_.size();
      compact();
      if (!fill()) return false;
      continue;
    }
    pos_ = lt;
    if (lt > kReadChunk) continue;  // compact first, so the event starts early in the buffer
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
  out.line = line_at(s);

  // Every way the event can break leaves the same way: report it, then resume the search for the
  // next `<Event` at `resume` (just inside the construct that broke, so events it swallowed are found).
  const auto broken = [&](std::string_view reason, std::size_t resume) {
    out.broken.assign(reason);
    skip_to_next_event(resume);
    return true;
  };
  constexpr std::string_view truncated = "truncated event at end of file";  // no allocation per event

  std::size_t gt = 0;
  std::size_t open_quote = 0;
  switch (find_start_tag_end(name_end, s, gt, open_quote)) {
    case Scan::Found:
      break;
    case Scan::EndOfStream:
      return broken(truncated, buf_.size());
    case Scan::TooLong:
      if (open_quote != std::string::npos) return broken(not_closed("attribute value", line_at(open_quote)), open_quote + 1);
      return broken(not_closed("start tag", out.line), name_end);
  }
  if (buf_[gt - 1] == '/') {  // `<Event/>`: empty, the parser rejects it for what it lacks
    out.text.assign(buf_.data() + s, gt + 1 - s);
    pos_ = gt + 1;
    return true;
  }

  std::size_t scan = gt + 1;
  while (true) {
    scan = skip_plain_tags(scan, s, out.markup_starts);
    std::size_t lt = 0;
    const Scan found = find_in_event("<", scan, s, lt);
    ++out.markup_starts;
    if (found == Scan::EndOfStream) return broken(truncated, buf_.size());
    if (found == Scan::TooLong || lt - s > max_event_bytes_) {
      const std::size_t resume = found == Scan::TooLong ? buf_.size() : lt;
      return broken("event larger than " + std::to_string(max_event_bytes_) + " bytes", resume);
    }
    // Comments and CDATA may hold anything, including `</Event>`: step over them whole.
    ensure(lt + 9);
    const std::string_view at = buf_.view().substr(lt);
    if (at.starts_with("<!--") || at.starts_with("<![CDATA[")) {
      const bool comment = at.starts_with("<!--");
      const std::string_view closer = comment ? "-->" : "]]>";
      std::size_t close = 0;
      switch (find_in_event(closer, lt + (comment ? 4 : 9), s, close)) {
        case Scan::Found:
          scan = close + closer.size();
          continue;
        case Scan::EndOfStream:
          return broken(truncated, lt + 1);
        case Scan::TooLong:
          return broken(not_closed(comment ? "comment" : "CDATA section", line_at(lt)), lt + 1);
      }
    }
    const Tag tag = classify(lt, name_end);
    if (tag == Tag::Incomplete) return broken(truncated, buf_.size());
    if (tag == Tag::EventStart) {
      out.broken = "truncated event: a new <Event> starts before </Event>";
      pos_ = lt;
      return true;
    }
    if (tag == Tag::EventEnd) {
      std::size_t end = 0;
      switch (find_in_event(">", name_end, s, end)) {
        case Scan::Found:
          out.text.assign(buf_.data() + s, end + 1 - s);
          pos_ = end + 1;
          return true;
        case Scan::EndOfStream:
          return broken(truncated, name_end);
        case Scan::TooLong:
          return broken(not_closed("end tag", line_at(lt)), name_end);
      }
    }
    scan = lt + 1;
  }
}

}  // namespace flexrecon
