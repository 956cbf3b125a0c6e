// Input files and exact references into them: the backbone of every evidence link.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flexrecon {

enum class SourceKind { Metering, Events, Inventory, Identities, Rules };
std::string_view source_kind_name(SourceKind k);  // "metering", "events", "inventory", "identities", "rules"

struct SourceFile {
  std::string name;    // as given on the command line; archive members as `archive.zip!member/path.xml`
  SourceKind kind = SourceKind::Events;
  std::string format;  // e.g. "wevtutil-xml", "eventviewer-xml", "powershell-xml", "evtx", "token-flex-csv", "archive"
  std::string sha256;  // of the bytes read (the decompressed member for archive members)
  std::uint64_t size = 0;
  // Why the file gave no records, or not all of them (an archive's own trouble, a file rejected as
  // unrecognised or empty, one that could not be read): the chain of custody lists every file given
  // or found, used or not. `sha256` is empty when the file could not be read to its end.
  std::string error;
};

// Index into SourceTable::files.
using SourceId = std::uint32_t;

class SourceTable {
 public:
  SourceId add(SourceFile file) {
    files_.push_back(std::move(file));
    return static_cast<SourceId>(files_.size() - 1);
  }
  const SourceFile& at(SourceId id) const { return files_.at(id); }
  SourceFile& at(SourceId id) { return files_.at(id); }
  const std::vector<SourceFile>& all() const { return files_; }

 private:
  std::vector<SourceFile> files_;
};

// "file#EventRecordID" for events, "file:line" for rows.
// The flag sits beside the 4-byte source, so a reference is 16 bytes, not 24 (a source, then an
// 8-byte position, then the flag would pad 4 + 7 bytes): sessions, idle spans and findings hold one
// per event they rest on, for every host until the pack is written. Built and compared as
// (source, position, is_line), the order the fields were declared in before.
struct EvidenceRef {
  SourceId source = 0;
  bool is_line = false;
  std::uint64_t position = 0;  // EventRecordID or line number

  constexpr EvidenceRef() = default;
  constexpr EvidenceRef(SourceId source_, std::uint64_t position_, bool is_line_ = false)
      : source(source_), is_line(is_line_), position(position_) {}
  bool operator==(const EvidenceRef&) const = default;
  auto operator<=>(const EvidenceRef& o) const {
    if (const auto c = source <=> o.source; c != 0) return c;
    if (const auto c = position <=> o.position; c != 0) return c;
    return is_line <=> o.is_line;
  }
};
static_assert(sizeof(EvidenceRef) == 16);

std::string format_ref(const SourceTable& sources, const EvidenceRef& ref);

}  // namespace flexrecon
