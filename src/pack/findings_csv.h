// findings.csv and rejects.csv (SPEC 4): the two tables a license manager opens in a spreadsheet.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

// One row per finding, in the order the rules produced them, under the exact SPEC header.
std::string findings_csv(const ReconcileResult& result);
// `source,location,reason`, every reject in order.
std::string rejects_csv(const ReconcileResult& result);

}  // namespace flexrecon
