// The one-line outcome of a run, printed on stdout after the pack is written.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {
// "12 charges, 84.0 tokens billed, 31.0 challenged (background 24.0, double-charge 7.0), 1 insufficient evidence"
std::string closing_line(const ReconcileResult& result);
}  // namespace flexrecon
