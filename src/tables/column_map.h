// The header of a tabular input: which column holds which field, whatever the export called it.
// Exports spell the same column `userName`, `user_name` or `User Name`, so names are compared by a
// key that ignores case, surrounding quotes and whitespace, and the separators ` `, `_` and `-`.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/error.h"
#include "util/csv_reader.h"

namespace flexrecon {

// `"Day used"`, `day_used`, `DayUsed` -> `dayused`.
std::string column_key(std::string_view header_name);

// A value for a reject reason: quoted, and cut short when long so a reason stays one readable line.
std::string quoted(std::string_view value);

// The reject for one bad row of a table: located at the physical line where the row starts.
Reject row_reject(const std::string& path, const CsvRecord& record, std::string reason);

class ColumnMap {
 public:
  // A trailing empty header field (the trailing comma of Autodesk's exports) is not a column.
  explicit ColumnMap(const std::vector<std::string>& header);

  // The first not-yet-claimed column matching an alias, trying aliases in order, and claims it.
  std::optional<std::size_t> claim(std::initializer_list<std::string_view> aliases);
  bool claimed(std::size_t i) const { return claimed_.at(i); }

  std::size_t width() const { return names_.size(); }
  // The header as written, without surrounding quotes and whitespace.
  const std::string& name(std::size_t i) const { return names_.at(i); }

  // Why `record` cannot be a row of this table, or "" when it can. A row with one extra empty last
  // field is accepted (trailing comma) and the extra field dropped.
  std::string check(CsvRecord& record) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::string> keys_;
  std::vector<bool> claimed_;
};

}  // namespace flexrecon
