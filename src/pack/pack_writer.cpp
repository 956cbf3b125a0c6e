// write_pack: every file is written into a temporary folder beside the destination, which is
// renamed into place only once complete, so a reader never sees a partial pack.
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <filesystem>
#include <fstream>

#include "flexrecon/pack.h"
#include "pack/dossier.h"
#include "pack/dossier_page_names.h"
#include "pack/evidence_index.h"
#include "pack/evidence_store.h"
#include "pack/findings_csv.h"
#include "pack/findings_xlsx.h"
#include "pack/manifest.h"
#include "util/strings.h"

namespace flexrecon {

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error::internal("cannot write '" + path.string() + "': " + std::strerror(errno));
}

// Every text file of the pack is UTF-8 (SPEC 6): input-derived text that is not, such as a file name
// in another encoding, gets U+FFFD for its bad bytes, the same repair the evidence store applies.
void write_text(const fs::path& path, const std::string& content) {
  write_file(path, is_valid_utf8(content) ? content : repair_utf8(content));
}

// A fresh, uniquely named folder `.<name>.<tag>-XXXXXX` beside `out`.
fs::path make_sibling_dir(const fs::path& out, const std::string& tag) {
  std::string pattern = (out.parent_path() / ("." + out.filename().string() + "." + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data()))
    throw Error::internal("cannot create a temporary folder beside '" + out.string() + "': " + std::strerror(errno));
  return pattern;
}

// Removes the temporary folder unless the pack was committed; never throws from the destructor.
class TempFolder {
 public:
  explicit TempFolder(fs::path path) : path_(std::move(path)) {}
  ~TempFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

// Moves the finished folder to `out`. With an existing `out` (force), the two are exchanged in one
// atomic step where the kernel allows it, else the old one is moved aside first and restored if the
// second rename fails.
void commit(const fs::path& tmp, const fs::path& out, bool force) {
  std::error_code ec;
  const bool exists = fs::symlink_status(out, ec).type() != fs::file_type::not_found;
  if (!exists) {
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_NOREPLACE) == 0) return;
    if (errno == EEXIST) throw Error::usage("output folder '" + out.string() + "' already exists (use --force to replace it)");
    if (errno != EINVAL && errno != ENOSYS)
      throw Error::internal("cannot rename '" + tmp.string() + "' to '" + out.string() + "': " + std::strerror(errno));
#endif
    if (std::rename(tmp.c_str(), out.c_str()) != 0)
      throw Error::internal("cannot rename '" + tmp.string() + "' to '" + out.string() + "': " + std::strerror(errno));
    return;
  }
  if (!force) throw Error::usage("output folder '" + out.string() + "' already exists (use --force to replace it)");

#ifdef RENAME_EXCHANGE
  if (fs::is_directory(fs::symlink_status(out, ec)) &&
      renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(tmp, ec);  // now holds the old pack
    return;
  }
#endif
  const fs::path old = make_sibling_dir(out, "old");
  fs::remove(old, ec);
  if (std::rename(out.c_str(), old.c_str()) != 0)
    throw Error::internal("cannot move the existing '" + out.string() + "' aside: " + std::strerror(errno));
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    const int err = errno;
    std::rename(old.c_str(), out.c_str());
    throw Error::internal("cannot rename '" + tmp.string() + "' to '" + out.string() + "': " + std::strerror(err));
  }
  fs::remove_all(old, ec);
}

std::string templates_dir_or_default(const std::string& dir) {
  return dir.empty() ? std::string(FLEXRECON_SOURCE_DIR) + "/templates" : dir;
}

// The index of every reference of the result to what it lands on (EvidenceIndex): the evidence
// store and the dossier both need it, and it takes them both a pass over every cited event to
// build. Built once, by the first thread that asks; another asking meanwhile waits for it.
class SharedIndex {
 public:
  explicit SharedIndex(const ReconcileResult& result) : result_(result) {}
  const EvidenceIndex& get() {
    std::call_once(built_, [this] { index_.emplace(result_); });
    return *index_;
  }

 private:
  const ReconcileResult& result_;
  std::once_flag built_;
  std::optional<EvidenceIndex> index_;
};

// What writing a pack file reads.
struct PackInputs {
  const ReconcileResult& result;
  const PackOptions& options;
  SharedIndex& index;
};

// dossier.html, and beside it the exhibit and appendix pages it links to (pack/dossier.h), each
// written as soon as it is rendered.
void write_dossier(const PackInputs& in, const fs::path& index) {
  const fs::path pack = index.parent_path();
  const auto sink = [&](const std::string& path, const std::string& html) {
    const fs::path file = path == kDossierIndexName ? index : pack / path;
    fs::create_directories(file.parent_path());
    write_text(file, html);
  };
  DossierLimits limits;
  limits.inline_exhibits_bytes = in.options.inline_exhibits_bytes;
  render_dossier(in.result, templates_dir_or_default(in.options.templates_dir), sink, limits, &in.index.get());
}

// One file of the pack and how it is written into the (temporary) pack folder.
struct PackFile {
  const char* name;
  void (*write)(const PackInputs& in, const fs::path& file);
};

// The pack, in writing order. Adding a file to the pack is one line here; verify requires every
// name listed. The dossier's linked pages are not fixed (their number follows the case): the
// manifest lists each, and verify checks them through it. The manifest stays last: it hashes every
// file written before it.
const PackFile kPackFiles[] = {
    {"findings.csv", [](const PackInputs& in, const fs::path& f) { write_text(f, findings_csv(in.result)); }},
    {"findings.xlsx", [](const PackInputs& in, const fs::path& f) { write_findings_xlsx(in.result, f.string()); }},
    {"rejects.csv", [](const PackInputs& in, const fs::path& f) { write_text(f, rejects_csv(in.result)); }},
    {"summary.json", [](const PackInputs& in, const fs::path& f) { write_text(f, summary_json(in.result)); }},
    {"evidence.sqlite",
     [](const PackInputs& in, const fs::path& f) {
       write_evidence_store(in.result, f.string(), [&in]() -> const EvidenceIndex& { return in.index.get(); });
     }},
    {kDossierIndexName, [](const PackInputs& in, const fs::path& f) { write_dossier(in, f); }},
    {kManifestName,
     [](const PackInputs& in, const fs::path& f) { write_text(f, manifest_json(in.result, f.parent_path().string())); }},
};

// One piece of work on a thread of its own; what it throws is thrown again by finish(). The
// destructor waits for it, so an exception on the main thread never leaves it running.
class BesideThread {
 public:
  BesideThread() = default;
  BesideThread(const BesideThread&) = delete;
  BesideThread& operator=(const BesideThread&) = delete;
  ~BesideThread() {
    if (thread_.joinable()) thread_.join();
  }
  void start(std::function<void()> work) {
    thread_ = std::thread([this, work = std::move(work)] {
      try {
        work();
      } catch (...) {
        failure_ = std::current_exception();
      }
    });
  }
  void finish() {
    if (thread_.joinable()) thread_.join();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  std::thread thread_;
  std::exception_ptr failure_;
};

}  // namespace

std::vector<std::string> pack_file_names() {
  std::vector<std::string> names;
  for (const PackFile& file : kPackFiles) names.emplace_back(file.name);
  return names;
}

void refuse_existing_out(const std::string& out, bool force) {
  fs::path path = fs::path(out).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // `pack/` -> `pack`
  std::error_code ec;
  // symlink_status: a dangling link at `out` is still in the way of the final rename.
  if (!force && !path.empty() && fs::symlink_status(path, ec).type() != fs::file_type::not_found)
    throw Error::usage("output folder '" + out + "' already exists (use --force to replace it)");
}

void write_pack(const ReconcileResult& result, const PackOptions& options) {
  if (options.out.empty()) throw Error::usage("no output folder given (--out DIR)");
  fs::path out = fs::path(options.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // `pack/` -> `pack`
  if (out.parent_path().empty()) out = fs::path(".") / out;

  // The CLI refuses before reading any input; checked again here for callers of the library.
  refuse_existing_out(options.out, options.force);

  try {
    fs::create_directories(out.parent_path());
    TempFolder tmp(make_sibling_dir(out, "tmp"));
    fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    SharedIndex index(result);
    const PackInputs inputs{result, options, index};
    const auto write_one = [&](const PackFile& file) {
      file.write(inputs, tmp.path() / file.name);
      // Each file's scratch (the evidence store's index and page cache, the xlsx writer's tables) is
      // freed when it is written: give it back, so the next file does not stack on top of it.
      malloc_trim(0);
      if (options.on_file_written) options.on_file_written(file.name);
    };
    // The evidence store takes about as long as all the other files together: with a second core
    // it is written beside them. Every file reads the result only, and each has its own path.
    const PackFile* beside = nullptr;
    for (const PackFile& file : kPackFiles)
      if (options.jobs > 1 && std::string_view(file.name) == "evidence.sqlite") beside = &file;
    BesideThread store;
    if (beside) {
      store.start([&] { write_one(*beside); });
      // Built here while the store writes its first tables, which need no index.
      index.get();
    }
    for (const PackFile& file : kPackFiles) {
      if (&file == beside) continue;
      if (std::string_view(file.name) == kManifestName) store.finish();  // the manifest hashes it
      write_one(file);
    }
    commit(tmp.path(), out, options.force);
    tmp.release();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error::internal("writing the pack '" + options.out + "' failed: " + e.what());
  }
}

}  // namespace flexrecon
