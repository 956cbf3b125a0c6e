// manifest.json: what produced the pack (tool version, command line, rules hash, --as-of), the
// SHA-256 of every input, and the SHA-256 and size of every other file of the pack, so that anyone
// can re-check the pack later (`flexrecon verify`, pack_verify.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "flexrecon/reconcile.h"

namespace flexrecon {

inline constexpr const char* kManifestName = "manifest.json";

// Hashes every file in `pack_dir` and its folders (except the manifest itself) and returns the
// document; a file is named by its path in the pack, `/`-separated (`exhibits/background.ws-0042.html`).
std::string manifest_json(const ReconcileResult& result, const std::string& pack_dir);

// An entry of a pack folder that is not a folder: a file, or anything else found there (a
// symbolic link, a FIFO) that verify must report rather than open.
struct PackEntry {
  std::string name;  // path in the pack, `/`-separated
  std::filesystem::directory_entry entry;
};
// Every such entry but the top-level manifest, sorted by name; `folders` (when given) receives the
// folders, sorted. Throws std::filesystem::filesystem_error when a folder cannot be listed.
std::vector<PackEntry> pack_entries(const std::string& pack_dir, std::vector<std::string>* folders = nullptr);

}  // namespace flexrecon
