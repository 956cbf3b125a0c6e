#include "ingest/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <vector>

#include "ingest/byte_sources.h"

namespace flexrecon {

namespace {

constexpr std::size_t kBlock = 1 << 16;
// Compressed bytes below which the expansion ratio is taken against this floor instead (see read()).
constexpr std::uint64_t kRatioFloor = 4096;

// libarchive is C: an exception must not cross it. The callback parks it here, and whoever sees
// libarchive fail rethrows it (an outer member's ArchiveDataError must reach the outer archive).
struct Client {
  ByteSource* in = nullptr;
  std::vector<char> block = std::vector<char>(kBlock);
  std::exception_ptr error;
};

la_ssize_t read_callback(struct archive* a, void* data, const void** out) {
  auto* client = static_cast<Client*>(data);
  try {
    const std::size_t got = client->in->read(client->block.data(), client->block.size());
    *out = client->block.data();
    return static_cast<la_ssize_t>(got);
  } catch (...) {
    client->error = std::current_exception();
    archive_set_error(a, EIO, "read failed");
    return -1;
  }
}

struct ArchiveCloser {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveCloser>;

// libarchive's message on one line (some end in a newline), fit for a rejects.csv cell.
std::string error_text(struct archive* a) {
  const char* s = archive_error_string(a);
  std::string text = s ? s : "unknown error";
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Null when libarchive gives up on the first bytes; with `raw` enabled that only happens when a
// compression filter recognised them and then failed, so `why` then describes a corrupt archive.
ArchivePtr open_archive(Client& client, std::string& why) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  // `raw` lets a bare compressed stream (`x.xml.gz`) through as one member; it matches anything,
  // so an uncompressed "raw" stream is treated below as "not an archive".
  archive_read_support_format_raw(a.get());
  if (archive_read_open(a.get(), &client, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
    if (client.error) std::rethrow_exception(client.error);
    why = error_text(a.get());
    return nullptr;
  }
  return a;
}

bool is_plain_stream(struct archive* a) {
  return archive_format(a) == ARCHIVE_FORMAT_RAW && archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE;
}

// `logs/x.xml.gz` -> `x.xml`: the name a bare compressed file's one member stands for.
std::string raw_member_name(const std::string& archive_name) {
  std::string base = archive_name.substr(archive_name.find_last_of("/!") + 1);
  for (const std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z"}) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) return base.substr(0, base.size() - suffix.size());
  }
  return "data";
}

// One member's bytes, with the expansion bounds checked as they are produced.
class MemberSource : public ByteSource {
 public:
  MemberSource(struct archive* a, Client& client, const EventReadOptions& options)
      : a_(a), client_(client), options_(options), raw_start_(archive_filter_bytes(a, -1)) {}

  std::size_t read(char* buf, std::size_t n) override {
    const la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) {
      if (client_.error) std::rethrow_exception(client_.error);
      throw ArchiveDataError("corrupt archive member: " + error_text(a_), false);
    }
    produced_ += static_cast<std::uint64_t>(got);
    if (produced_ > options_.max_member_bytes)
      throw ArchiveDataError("member expands beyond " + std::to_string(options_.max_member_bytes) + " bytes", true);
    // The ratio is of output to the compressed bytes the decompressor has used so far, so it fires
    // as soon as a bomb starts (a 1 MB .gz expanding 1000:1 is refused after a few MB, not after
    // it has expanded whole). The floor lets any member expand to ratio x kRatioFloor (4 MB at
    // 1,000:1) first: a tiny, well-compressed member is not refused for its header's overhead.
    const auto consumed = static_cast<std::uint64_t>(archive_filter_bytes(a_, -1) - raw_start_);
    if (produced_ > options_.max_expansion_ratio * std::max(consumed, kRatioFloor))
      throw ArchiveDataError("member expands more than " + std::to_string(options_.max_expansion_ratio) + ":1 (" +
                                 std::to_string(produced_) + " bytes from " + std::to_string(consumed) + " compressed)",
                             true);
    return static_cast<std::size_t>(got);
  }

 private:
  struct archive* a_;
  Client& client_;
  const EventReadOptions& options_;
  la_int64_t raw_start_;
  std::uint64_t produced_ = 0;
};

}  // namespace

bool looks_like_archive(std::string_view head) {
  MemorySource memory(head);
  Client client;
  client.in = &memory;
  std::string why;
  auto a = open_archive(client, why);
  if (!a) return true;
  struct archive_entry* entry = nullptr;
  const int r = archive_read_next_header(a.get(), &entry);
  if (r < ARCHIVE_WARN) return false;
  return !is_plain_stream(a.get());
}

bool read_archive(ByteSource& in, const std::string& archive_name, const EventReadOptions& options,
                  const std::function<void(const std::string&, ByteSource&)>& on_member,
                  const std::function<void(const std::string&, const std::string&)>& on_reject) {
  Client client;
  client.in = &in;
  std::string why;
  auto a = open_archive(client, why);
  if (!a) {
    on_reject(archive_name, "corrupt archive: " + why);
    return true;
  }
  bool first = true;
  std::size_t files = 0;  // members that were regular files (read or rejected)
  while (true) {
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (client.error) std::rethrow_exception(client.error);
    if (r < ARCHIVE_WARN) {
      // Nothing recognisable at all is "not an archive"; a compressed stream or a known container
      // that breaks before its first member is a corrupt archive.
      const bool recognised = archive_filter_code(a.get(), 0) != ARCHIVE_FILTER_NONE ||
                              (archive_format(a.get()) != 0 && archive_format(a.get()) != ARCHIVE_FORMAT_RAW);
      if (first && !recognised) return false;
      on_reject(archive_name, "corrupt archive: " + error_text(a.get()));
      break;
    }
    if (first && is_plain_stream(a.get())) return false;
    first = false;

    const bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    const char* path = archive_entry_pathname_utf8(entry);
    if (!path) path = archive_entry_pathname(entry);
    const std::string name = archive_name + "!" + (raw ? raw_member_name(archive_name) : std::string(path ? path : ""));
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) continue;
    if (type != AE_IFREG && !raw) {
      ++files;
      on_reject(name, "not a regular file in the archive");
      continue;
    }
    ++files;
    MemberSource member(a.get(), client, options);
    try {
      on_member(name, member);
    } catch (const ArchiveDataError& e) {
      if (client.error) throw;  // the enclosing archive's member failed, not this one
      on_reject(name, e.what());
      if (e.over_expansion()) {
        on_reject(archive_name, "archive not read beyond over-expanding member " + name);
        break;
      }
      // A damaged member need not cost the rest (zip members stand alone); if the damage broke the
      // stream, the next header says so and ends the loop.
    }
  }
  // An archive without a single member (an empty tar, or a block of zeros that reads as one) would
  // otherwise vanish from the run without a trace.
  if (files == 0) on_reject(archive_name, "archive holds no files");
  return true;
}

}  // namespace flexrecon
