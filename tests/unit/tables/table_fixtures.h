// Small files on disk for the table readers, which take paths: each test writes its inline CSV
// into a fresh temporary folder that is removed afterwards.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace flexrecon::test {

inline std::string shipped_rules_dir() { return std::string(FLEXRECON_SOURCE_DIR) + "/rules"; }

}  // namespace flexrecon::test
