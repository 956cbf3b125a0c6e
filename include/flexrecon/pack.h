// The dispute evidence pack (SPEC 4): findings.csv, summary.json, rejects.csv, evidence.sqlite,
// dossier.html (with the exhibit and appendix pages it links to, in subfolders), manifest.json —
// written to a temporary folder and renamed into place when complete.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "flexrecon/reconcile.h"

namespace flexrecon {

// The default bound on the exhibits kept inside dossier.html (PackOptions, DossierLimits).
constexpr std::size_t kInlineExhibitsBytes = 1'500'000;

struct PackOptions {
  std::string out;            // final folder
  bool force = false;         // replace an existing folder
  std::string templates_dir;  // dossier templates
  // Optional, for a progress display: called after each of pack_file_names() is written (with
  // jobs > 1), may be called from two threads at once.
  std::function<void(const std::string& file)> on_file_written;
  // More than 1: the evidence store, the longest file to write, is written on a thread of its own
  // while the others are written (the manifest waits for both). The files are the same either way.
  int jobs = 1;
  // The exhibits stay in dossier.html (SPEC 4: one file) while together they take at most this;
  // past it each goes to a linked page (docs/dossier.md). Tests lower it to page a small case.
  std::size_t inline_exhibits_bytes = kInlineExhibitsBytes;
};

// Throws Error::usage when `out` exists (a folder, a file or a dangling link) and !force. The CLI
// calls it before reading any input: a run that cannot be saved must not start.
void refuse_existing_out(const std::string& out, bool force);

// Writes the pack. Throws Error::usage when `out` exists and !force; nothing partial is ever left at
// `out`.
void write_pack(const ReconcileResult& result, const PackOptions& options);

// The summary.json document (also used by tests and the CLI's closing line).
std::string summary_json(const ReconcileResult& result);

// The files every pack holds, in the order they are written (manifest.json last). The one list:
// write_pack writes exactly these and verify_pack requires every one of them.
std::vector<std::string> pack_file_names();

// What re-checking a pack found.
struct PackCheck {
  std::string manifest_sha256;        // of manifest.json as read; empty when there is none to read
  std::vector<std::string> problems;  // empty: the pack verifies
  bool ok() const { return problems.empty(); }
};

// Re-checks a pack against its manifest: each of pack_file_names() is present (whatever the
// manifest lists), every file the manifest lists has its SHA-256 and size, nothing else is there
// (subfolders included), and every pack file a dossier page links to is listed.
PackCheck verify_pack(const std::string& pack_dir);

// Spreadsheet-safe CSV cell: RFC 4180 quoting, and a leading `'` for cells that start with
// `=`, `+`, `-` (unless a plain number), `@`, tab or CR.
std::string csv_cell(const std::string& value);

}  // namespace flexrecon
