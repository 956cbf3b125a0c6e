// manifest.json: what produced the pack (tool version, command line, rules hash, --as-of), the
// SHA-256 of every input, and the SHA-256 and size of every other file of the pack, so that anyone
// can re-check the pack later (`flexrecon verify`).
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

inline constexpr const char* kManifestName = "manifest.json";

// Hashes every regular file in `pack_dir` (except the manifest itself) and returns the document.
std::string manifest_json(const ReconcileResult& result, const std::string& pack_dir);

}  // namespace flexrecon
