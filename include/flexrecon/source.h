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
// Packed to 4-byte alignment: 16 bytes instead of 24 (a 4-byte source before an 8-byte position
// would leave 4 bytes of padding, the flag after it 7 more). Sessions, idle spans and findings hold
// one per event they rest on, for every host until the pack is written: a third less of that.
#pragma pack(push, 4)
struct EvidenceRef {
  SourceId source = 0;
  std::uint64_t position = 0;  // EventRecordID or line number
  bool is_line = false;
  bool operator==(const EvidenceRef&) const = default;
  auto operator<=>(const EvidenceRef&) const = default;
};
#pragma pack(pop)
static_assert(sizeof(EvidenceRef) == 16);

std::string format_ref(const SourceTable& sources, const EvidenceRef& ref);

}  // namespace flexrecon
