// RateSheet: tokens per 24 h per product code, with inclusive effective dates.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "flexrecon/error.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "util/csv_reader.h"
#include "tables/rules_files.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

std::optional<Instant> parse_day(std::string_view text, const std::string& where, const std::string& column) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  auto parsed = parse_timestamp_ex(text);
  if (!parsed || !parsed->date_only) {
    throw Error::input(where + ": " + column + " " + quoted(text) + " is not a date (YYYY-MM-DD)");
  }
  return parsed->utc;
}

}  // namespace

RateSheet parse_rates(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  if (!reader.next(record)) throw Error::input(file + ": empty rate sheet (expected a header line)");
  ColumnMap columns(record.fields);
  const auto code_col = columns.claim({"code", "product_code", "productLineCode"});
  const auto rate_col = columns.claim({"tokens_per_day", "tokens", "rate"});
  const auto from_col = columns.claim({"effective_from", "from"});
  const auto to_col = columns.claim({"effective_to", "to"});
  const auto source_col = columns.claim({"source", "note"});
  if (!code_col) throw Error::input(file + ":" + std::to_string(record.line) + ": no 'code' column");
  if (!rate_col) throw Error::input(file + ":" + std::to_string(record.line) + ": no 'tokens_per_day' column");

  RateSheet sheet;
  std::vector<std::uint64_t> lines;
  while (reader.next(record)) {
    const std::string where = file + ":" + std::to_string(record.line);
    if (std::string why = columns.check(record); !why.empty()) throw Error::input(where + ": " + why);
    Rate rate;
    rate.code = std::string(trim(record.fields[*code_col]));
    if (rate.code.empty()) throw Error::input(where + ": empty code");
    const std::string_view tokens = trim(record.fields[*rate_col]);
    if (!parse_decimal(tokens, rate.tokens_per_day) || !std::isfinite(rate.tokens_per_day) || rate.tokens_per_day < 0) {
      throw Error::input(where + ": tokens_per_day " + quoted(tokens) + " is not a non-negative decimal number");
    }
    if (from_col) rate.effective_from = parse_day(record.fields[*from_col], where, "effective_from");
    if (to_col) rate.effective_to = parse_day(record.fields[*to_col], where, "effective_to");
    if (rate.effective_from && rate.effective_to && *rate.effective_to < *rate.effective_from) {
      throw Error::input(where + ": effective_to is before effective_from");
    }
    if (source_col) rate.source = std::string(trim(record.fields[*source_col]));
    // Two rows in force on one day would make the rate a matter of row order: refuse the sheet.
    for (std::size_t i = 0; i < sheet.all().size(); ++i) {
      const Rate& other = sheet.all()[i];
      if (iequals(other.code, rate.code) && rate.in_force().overlaps(other.in_force())) {
        throw Error::input(where + ": rate for " + rate.code + " overlaps the one on line " + std::to_string(lines[i]));
      }
    }
    lines.push_back(record.line);
    sheet.add(std::move(rate));
  }
  return sheet;
}

RateSheet read_rate_sheet(const std::string& path, SourceTable& sources) {
  const std::string text = read_rules_file(path, "rate sheet");
  RateSheet sheet = parse_rates(text, path);
  sources.add(SourceFile{path, SourceKind::Rules, "rates-csv", sha256_hex(text), text.size(), ""});
  return sheet;
}

}  // namespace flexrecon
