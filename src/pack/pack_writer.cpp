// write_pack: every file is written into a temporary folder beside the destination, which is
// renamed into place only once complete, so a reader never sees a partial pack.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "flexrecon/pack.h"
#include "pack/dossier.h"
#include "pack/evidence_store.h"
#include "pack/findings_csv.h"
#include "pack/findings_xlsx.h"
#include "pack/manifest.h"

namespace flexrecon {

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error::internal("cannot write '" + path.string() + "': " + std::strerror(errno));
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

}  // namespace

void write_pack(const ReconcileResult& result, const PackOptions& options) {
  if (options.out.empty()) throw Error::usage("no output folder given (--out DIR)");
  fs::path out = fs::path(options.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // `pack/` -> `pack`
  if (out.parent_path().empty()) out = fs::path(".") / out;

  std::error_code ec;
  // Refuse before doing any work: the user should not wait for a run that cannot be saved.
  if (fs::symlink_status(out, ec).type() != fs::file_type::not_found && !options.force)
    throw Error::usage("output folder '" + options.out + "' already exists (use --force to replace it)");

  try {
    fs::create_directories(out.parent_path());
    TempFolder tmp(make_sibling_dir(out, "tmp"));
    fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    write_file(tmp.path() / "findings.csv", findings_csv(result));
    write_findings_xlsx(result, (tmp.path() / "findings.xlsx").string());
    write_file(tmp.path() / "rejects.csv", rejects_csv(result));
    write_file(tmp.path() / "summary.json", summary_json(result));
    write_evidence_store(result, (tmp.path() / "evidence.sqlite").string());
    write_file(tmp.path() / "dossier.html", render_dossier(result, templates_dir_or_default(options.templates_dir)));
    // Last: it hashes every other file as written.
    write_file(tmp.path() / kManifestName, manifest_json(result, tmp.path().string()));
    commit(tmp.path(), out, options.force);
    tmp.release();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error::internal("writing the pack '" + options.out + "' failed: " + e.what());
  }
}

}  // namespace flexrecon
