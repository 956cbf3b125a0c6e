// libFuzzer harness: the record blobs of a case store (`record_blobs.data`, docs/evidence-store.md),
// which `reconcile --store` decodes from a file anyone may hand it. The input is one blob: every
// record's header is decoded and renumbered into a run (host and channel ids checked against name
// tables of 64 entries, as a store of up to 64 hosts and channels has), each used record's content decoded from where the header pass located it,
// and every prefix length a window over the blob could stop at is sized. A damaged blob must be
// refused with an Error of the store's kind (input unusable); anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/error.h"
#include "ingest/record_spill.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using flexrecon::RecordSpill;
  const std::string_view blob(reinterpret_cast<const char*>(data), size);
  const std::string what = "the fuzzed blob";
  static const auto table = [](bool reversed) {
    std::vector<std::uint32_t> ids(64);
    for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = reversed ? 63 - i : i;
    return ids;
  };
  static const std::vector<std::uint32_t> hosts = table(true);
  static const std::vector<std::uint32_t> channels = table(false);
  RecordSpill::Renumbering renumber;
  renumber.seq_base = 1000;
  renumber.source_base = 7;
  renumber.hosts = &hosts;
  renumber.channels = &channels;
  std::vector<flexrecon::SpilledRecord> records;
  std::vector<RecordSpill::ContentRef> contents;
  try {
    RecordSpill::decode_headers(blob, 0, 0, what, flexrecon::ErrorKind::InputUnusable, &renumber, records, contents);
    for (const flexrecon::SpilledRecord& r : records) {
      if (r.event == flexrecon::SpilledRecord::kNoEvent) continue;
      const RecordSpill::ContentRef& ref = contents.at(r.event);
      if (ref.offset + ref.size > blob.size()) __builtin_trap();  // the header pass located it inside
      (void)RecordSpill::decode_content(blob.substr(ref.offset, ref.size), r, {}, what, flexrecon::ErrorKind::InputUnusable);
    }
  } catch (const flexrecon::Error& e) {
    if (e.kind() != flexrecon::ErrorKind::InputUnusable) throw;
  }
  // The window's view: a record's size from any prefix is 0 or the record, never past the prefix.
  std::size_t at = 0;
  try {
    while (at < blob.size()) {
      const std::size_t n = RecordSpill::record_size(blob.substr(at), what);
      if (n > blob.size() - at) __builtin_trap();
      if (n == 0) break;
      at += n;
    }
  } catch (const flexrecon::Error&) {
  }
  return 0;
}
