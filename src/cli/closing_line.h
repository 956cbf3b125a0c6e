// Progress lines on stderr (only when it is a terminal and not --quiet), and the one-line outcome.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {
void progress(bool quiet, const std::string& message);
// "12 charges, 84.0 tokens billed, 31.0 challenged (background 24.0, double-charge 7.0), 1 insufficient evidence"
std::string closing_line(const ReconcileResult& result);
}  // namespace flexrecon
