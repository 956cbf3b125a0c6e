// Rows added to one table by multi-row INSERTs: `INSERT INTO t VALUES (...), (...), ...`.
//
// A one-row INSERT pays per row what a statement costs whatever it inserts: starting and halting the
// virtual machine, opening the table's cursor and finding its end, resetting the bindings. Sixteen
// rows a statement pay it once, which makes a wide table's rows about a quarter cheaper to write.
// The rows are the same rows, in the same order, so the database file is the same byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pack/sqlite_db.h"

namespace flexrecon {

class BulkInsert {
 public:
  static constexpr std::size_t kRowsPerStatement = 16;

  // `table`: the table, or the table and the columns given ("sessions(id, host)"); `columns`: how
  // many values a row has.
  BulkInsert(SqliteDb& db, const std::string& table, int columns);

  // The row being filled, a column (from 1) at a time; a column not given is NULL. Text is not
  // copied: its bytes must stay where they are, unchanged, until the row is written, which is when
  // kRowsPerStatement rows are complete or at finish(). A caller whose text lives in a buffer it
  // reuses keeps kRowsPerStatement buffers and fills the one of slot().
  BulkInsert& integer(int column, std::int64_t v);
  BulkInsert& integer_or_null(int column, const std::optional<std::int64_t>& v);
  BulkInsert& real(int column, double v);
  BulkInsert& text(int column, std::string_view v);
  BulkInsert& text_or_null(int column, const std::optional<std::string_view>& v);
  // Ends the row being filled.
  void end_row();
  // Writes the rows not written yet. Rows ended after it start a new batch.
  void finish();

  // The place (0 .. kRowsPerStatement - 1) of the row being filled among the rows not written yet.
  std::size_t slot() const { return filled_; }

 private:
  struct Value {
    enum class Kind { Null, Integer, Real, Text } kind = Kind::Null;
    std::int64_t integer = 0;
    double real = 0;
    std::string_view text;
  };
  Value& at(int column);
  void bind_row(SqliteStatement& st, std::size_t row, int first_parameter);

  int columns_;
  SqliteStatement many_;  // kRowsPerStatement rows
  SqliteStatement one_;   // the rows left at finish()
  std::vector<Value> values_;  // kRowsPerStatement rows of `columns_` values
  std::size_t filled_ = 0;     // rows ended and not written yet
};

}  // namespace flexrecon
