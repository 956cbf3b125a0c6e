#include "evtx/evtx_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "evtx/binxml.h"
#include "evtx/byte_view.h"
#include "evtx/crc32.h"
#include "model/event_fields.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

using evtx::ByteView;
using evtx::DecodeError;
using evtx::XmlTree;

constexpr std::size_t kFileHeaderSize = 4096;
constexpr std::size_t kChunkSize = 65536;
constexpr std::size_t kChunkHeaderSize = 512;
constexpr std::size_t kRecordHeaderSize = 24;  // signature, size, record id, written time
constexpr std::uint32_t kRecordSignature = 0x00002a2a;
// Decoding work allowed for all records of one chunk together: a real chunk needs well under a
// million tokens; a crafted one (thousands of tiny records expanding the same templates) is cut
// off here, its remaining records rejected, instead of keeping the run busy for minutes.
constexpr std::size_t kChunkStepBudget = 4'000'000;

// Fills `buf` as far as the stream allows; a short count means end of stream.
std::size_t read_full(ByteSource& in, std::uint8_t* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const std::size_t r = in.read(reinterpret_cast<char*>(buf) + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

bool all_zero(const std::uint8_t* p, std::size_t n) {
  return std::all_of(p, p + n, [](std::uint8_t b) { return b == 0; });
}

std::string hex(std::size_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%zx", v);
  return buf;
}

template <typename T>
bool parse_uint(std::string_view text, T& out) {
  text = trim(text);
  if (text.empty()) return false;
  auto res = std::from_chars(text.data(), text.data() + text.size(), out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

// A field's text as an XML reader would hand it over: line ends normalised to LF (XML end-of-line
// handling), control characters that XML cannot carry dropped (Windows writes stray 0x02 / 0x0F
// bytes in some Security fields; python-evtx and a repairing XML reader drop them too), surrounding
// whitespace trimmed. So EVTX and XML inputs give equal values.
// Written into `out` (its capacity reused).
void assign_field_text(std::string_view raw, std::string& out) {
  // Nearly every value has no CR and no control character: then only the trim applies, and the
  // value is copied once.
  const bool plain = std::none_of(raw.begin(), raw.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
  });
  if (plain) {
    out.assign(trim(raw));
    return;
  }
  out.clear();
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
      continue;
    } else {
      out += static_cast<char>(c);
    }
  }
  const std::string_view trimmed = trim(out);
  const auto begin = static_cast<std::size_t>(trimmed.data() - out.data());
  const std::size_t size = trimmed.size();
  out.erase(begin + size);
  out.erase(0, begin);
}

// One element of a decoded record, as collect_event_fields (model/event_fields.h) walks it.
struct TreeNode {
  const XmlTree* tree;
  std::uint32_t index;
};

struct DecodedTree {
  template <typename F>
  static void for_each_child(const TreeNode& node, F&& f) {
    node.tree->for_each_child(node.index, [&](std::uint32_t child) { f(TreeNode{node.tree, child}); });
  }
  static std::string_view name(const TreeNode& node) { return node.tree->node(node.index).name; }
  static std::string_view name_attribute(const TreeNode& node) { return node.tree->attribute(node.index, "Name"); }
  static void assign_text(const TreeNode& node, std::string& out) { assign_field_text(node.tree->node(node.index).text, out); }
};

// Builds the Event from a decoded record; false (with `why`) when the System header is unusable.
bool to_event(const XmlTree& tree, Event& e, std::string& why) {
  constexpr std::uint32_t kNone = XmlTree::kNone;
  const std::uint32_t event = tree.child(XmlTree::root(), "Event");
  const std::uint32_t system = event != kNone ? tree.child(event, "System") : kNone;
  if (system == kNone) {
    why = "no Event/System element";
    return false;
  }
  const std::uint32_t id = tree.child(system, "EventID");
  if (id == kNone || !parse_uint(tree.node(id).text, e.event_id)) {
    why = "missing or bad EventID";
    return false;
  }
  const std::uint32_t rid = tree.child(system, "EventRecordID");
  if (rid == kNone || !parse_uint(tree.node(rid).text, e.record_id)) {
    why = "missing or bad EventRecordID";
    return false;
  }
  const std::uint32_t created = tree.child(system, "TimeCreated");
  std::string parse_why;
  std::optional<Instant> t;
  if (created != kNone) t = parse_timestamp(tree.attribute(created, "SystemTime"), &parse_why);
  if (!t) {
    why = "missing or bad TimeCreated/@SystemTime" + (parse_why.empty() ? "" : ": " + parse_why);
    return false;
  }
  e.time = *t;
  if (const std::uint32_t provider = tree.child(system, "Provider"); provider != kNone)
    e.provider = std::string(trim(tree.attribute(provider, "Name")));
  if (const std::uint32_t channel = tree.child(system, "Channel"); channel != kNone)
    e.channel_name = std::string(trim(tree.node(channel).text));
  if (const std::uint32_t computer = tree.child(system, "Computer"); computer != kNone)
    e.computer = std::string(trim(tree.node(computer).text));
  e.channel = channel_from_name(e.channel_name);
  e.host = normalize_host(e.computer);
  // Room for the usual case (EventData's items) up front instead of growing item by item.
  if (const std::uint32_t data = tree.child(event, "EventData"); data != kNone) {
    std::size_t items = 0;
    tree.for_each_child(data, [&](std::uint32_t) { ++items; });
    e.fields.reserve(items);
  }
  collect_event_fields<DecodedTree>(TreeNode{&tree, event}, e.fields);
  return true;
}

class ChunkReader {
 public:
  ChunkReader(const std::string& source_name, SourceId source, const EventReadOptions& options,
              const std::function<void(Event&&)>& deliver, Rejects& rejects)
      : source_name_(source_name), source_(source), deliver_(deliver), rejects_(rejects) {
    limits_.max_element_depth = options.max_depth;
    limits_.max_text_bytes = options.max_event_bytes;
  }

  void read(const std::uint8_t* chunk, std::uint64_t number) {
    const std::string where = "chunk " + std::to_string(number);  // once per chunk: cheap enough
    if (std::memcmp(chunk, "ElfChnk\0", 8) != 0) {
      // Preallocated chunks that were never written are all zero: nothing to read, nothing lost.
      if (!all_zero(chunk, kChunkSize)) reject(where, "bad chunk signature");
      return;
    }
    ByteView view(chunk, kChunkSize);
    std::uint32_t crc = evtx::crc32_update(0, chunk, 120);
    crc = evtx::crc32_update(crc, chunk + 128, kChunkHeaderSize - 128);
    if (crc != view.u32(124)) {
      reject(where, "bad chunk header checksum");
      return;
    }
    const std::size_t free_space = view.u32(48);
    if (free_space < kChunkHeaderSize || free_space > kChunkSize) {
      reject(where, "bad free space offset " + hex(free_space));
      return;
    }
    if (evtx::crc32_update(0, chunk + kChunkHeaderSize, free_space - kChunkHeaderSize) != view.u32(52)) {
      reject(where, "bad event records checksum");
      return;
    }
    chunk_steps_left_ = kChunkStepBudget;
    decoder_.start_chunk(view);
    std::size_t pos = kChunkHeaderSize;
    // A record's location, written only when something is rejected.
    auto at = [&] { return where + " offset " + hex(pos); };
    while (pos + kRecordHeaderSize <= free_space) {
      if (view.u32(pos) != kRecordSignature) {
        if (!all_zero(chunk + pos, free_space - pos)) reject(at(), "bad record signature; rest of chunk skipped");
        return;
      }
      const std::size_t size = view.u32(pos + 4);
      if (size < kRecordHeaderSize + 4 || size > free_space - pos) {
        reject(at(), "bad record size " + std::to_string(size) + "; rest of chunk skipped");
        return;
      }
      if (std::string why = record(view, pos, size); !why.empty()) {
        // The location is the record's place in the file, not its id: an undecodable record has no
        // readable EventRecordID, and the record header's own number differs from it in exported logs.
        reject(at(), why + " (record header number " + std::to_string(view.u64(pos + 8)) + ")");
      }
      pos += size;
    }
  }

 private:
  // Decodes and delivers one record; the reason it cannot be used, or empty when delivered.
  std::string record(const ByteView& chunk, std::size_t pos, std::size_t size) {
    if (chunk.u32(pos + size - 4) != size) return "record size copy differs";
    Event e;
    e.source = source_;
    std::string why;
    evtx::DecodeLimits limits = limits_;
    limits.max_steps = std::min(limits_.max_steps, chunk_steps_left_);
    std::size_t steps = 0;
    try {
      decoder_.decode_record(pos + kRecordHeaderSize, pos + size - 4, limits, tree_, &steps);
      chunk_steps_left_ -= std::min(steps, chunk_steps_left_);
      if (!to_event(tree_, e, why)) return why;
    } catch (const DecodeError& err) {
      chunk_steps_left_ -= std::min(steps, chunk_steps_left_);
      return std::string("corrupt Binary XML: ") + err.what();
    }
    deliver_(std::move(e));
    return {};
  }

  void reject(const std::string& location, const std::string& reason) {
    rejects_.push_back(Reject{source_name_, location, reason});
  }

  const std::string& source_name_;
  SourceId source_;
  const std::function<void(Event&&)>& deliver_;
  Rejects& rejects_;
  evtx::DecodeLimits limits_;
  std::size_t chunk_steps_left_ = 0;
  evtx::ChunkDecoder decoder_;  // what the records of the current chunk share (names)
  XmlTree tree_;                // the current record, reused from record to record
};

}  // namespace

bool looks_like_evtx(std::string_view head) {
  return head.size() >= 8 && std::memcmp(head.data(), "ElfFile\0", 8) == 0;
}

void read_evtx_stream(ByteSource& in, const std::string& source_name, SourceId source,
                      const EventReadOptions& options, const std::function<void(Event&&)>& deliver,
                      Rejects& rejects) {
  std::vector<std::uint8_t> buf(kChunkSize);
  const std::size_t head = read_full(in, buf.data(), kFileHeaderSize);
  if (!looks_like_evtx(std::string_view(reinterpret_cast<const char*>(buf.data()), head))) {
    rejects.push_back(Reject{source_name, "file", "not an EVTX file (no ElfFile signature)"});
    return;
  }
  if (head < kFileHeaderSize) {
    rejects.push_back(Reject{source_name, "file", "truncated EVTX file header"});
    return;
  }
  // The file header's chunk count and checksum are not trusted: a log copied while in use (dirty)
  // can have stale values, so every 64 KiB block after the header is examined on its own.
  ChunkReader chunks(source_name, source, options, deliver, rejects);
  std::uint64_t bytes = head;
  for (std::uint64_t number = 0;; ++number) {
    const std::size_t got = read_full(in, buf.data(), kChunkSize);
    if (got == 0) break;
    bytes += got;
    if (got < kChunkSize) {
      if (!all_zero(buf.data(), got)) {
        rejects.push_back(Reject{source_name, "chunk " + std::to_string(number),
                                 "truncated chunk (" + std::to_string(got) + " of 65536 bytes)"});
      }
      break;
    }
    chunks.read(buf.data(), number);
    if (options.on_progress) options.on_progress(source_name, bytes);
  }
}

}  // namespace flexrecon
