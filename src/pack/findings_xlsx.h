// findings.xlsx: the findings as a spreadsheet for the readers who open everything in Excel, with
// typed cells (tokens as numbers, times as dates) and a summary sheet of the totals and money.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

// Writes the workbook to `path`. No cell is ever a formula: input-derived text is written as text
// whatever it starts with. Byte-identical for identical results: the workbook's creation time is
// --as-of (or 1980-01-01 without one), never the clock. Throws Error::internal when it cannot write.
void write_findings_xlsx(const ReconcileResult& result, const std::string& path);

}  // namespace flexrecon
