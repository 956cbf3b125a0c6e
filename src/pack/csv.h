// CSV output for the pack: RFC 4180 cells that a spreadsheet cannot mistake for formulas.
#pragma once

#include <string>
#include <vector>

namespace flexrecon {

// One line of cells, each passed through csv_cell, joined by `,` and ended by LF.
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace flexrecon
