#include "pack/csv.h"

#include <cctype>

#include "flexrecon/pack.h"

namespace flexrecon {

namespace {

// `-12`, `-0.5`: a negative amount is data, not a formula, and must stay a number for the reader.
bool is_plain_number(const std::string& s) {
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t frac = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac;
    if (frac == 0) return false;
  }
  return digits > 0 && i == s.size();
}

// Spreadsheets evaluate a cell starting with one of these as a formula (CSV injection).
bool needs_neutralising(const std::string& s) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '-':
      return !is_plain_number(s);
    default:
      return false;
  }
}

}  // namespace

std::string csv_cell(const std::string& value) {
  std::string text = needs_neutralising(value) ? "'" + value : value;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += csv_cell(cells[i]);
  }
  line += '\n';
  return line;
}

}  // namespace flexrecon
