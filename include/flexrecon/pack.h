// The dispute evidence pack (SPEC 4): findings.csv, summary.json, rejects.csv, evidence.sqlite,
// dossier.html, manifest.json — written to a temporary folder and renamed into place when complete.
#pragma once

#include <string>
#include <vector>

#include "flexrecon/reconcile.h"

namespace flexrecon {

struct PackOptions {
  std::string out;            // final folder
  bool force = false;         // replace an existing folder
  std::string templates_dir;  // dossier templates
};

// Writes the pack. Throws Error::usage when `out` exists and !force; nothing partial is ever left at
// `out`.
void write_pack(const ReconcileResult& result, const PackOptions& options);

// The summary.json document (also used by tests and the CLI's closing line).
std::string summary_json(const ReconcileResult& result);

// Re-checks a pack against its manifest. Returns the problems found (empty: the pack verifies).
std::vector<std::string> verify_pack(const std::string& pack_dir);

// Spreadsheet-safe CSV cell: RFC 4180 quoting, and a leading `'` for cells that start with
// `=`, `+`, `-` (unless a plain number), `@`, tab or CR.
std::string csv_cell(const std::string& value);

}  // namespace flexrecon
