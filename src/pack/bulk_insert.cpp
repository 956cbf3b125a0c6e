#include "pack/bulk_insert.h"

#include "flexrecon/error.h"

namespace flexrecon {

namespace {

std::string insert_sql(const std::string& table, int columns, std::size_t rows) {
  std::string sql = "INSERT INTO " + table + " VALUES ";
  int parameter = 1;
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row ? ",(" : "(";
    for (int column = 0; column < columns; ++column) sql += (column ? ",?" : "?") + std::to_string(parameter++);
    sql += ')';
  }
  return sql;
}

}  // namespace

BulkInsert::BulkInsert(SqliteDb& db, const std::string& table, int columns)
    : columns_(columns),
      many_(db.prepare(insert_sql(table, columns, kRowsPerStatement))),
      one_(db.prepare(insert_sql(table, columns, 1))),
      values_(kRowsPerStatement * static_cast<std::size_t>(columns)) {}

BulkInsert::Value& BulkInsert::at(int column) {
  if (column < 1 || column > columns_)
    throw Error::internal("evidence.sqlite: column " + std::to_string(column) + " of " + std::to_string(columns_));
  return values_[filled_ * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(column - 1)];
}

BulkInsert& BulkInsert::integer(int column, std::int64_t v) {
  Value& value = at(column);
  value.kind = Value::Kind::Integer;
  value.integer = v;
  return *this;
}

BulkInsert& BulkInsert::integer_or_null(int column, const std::optional<std::int64_t>& v) {
  if (v) return integer(column, *v);
  at(column).kind = Value::Kind::Null;
  return *this;
}

BulkInsert& BulkInsert::real(int column, double v) {
  Value& value = at(column);
  value.kind = Value::Kind::Real;
  value.real = v;
  return *this;
}

BulkInsert& BulkInsert::text(int column, std::string_view v) {
  Value& value = at(column);
  value.kind = Value::Kind::Text;
  value.text = v;
  return *this;
}

BulkInsert& BulkInsert::text_or_null(int column, const std::optional<std::string_view>& v) {
  if (v) return text(column, *v);
  at(column).kind = Value::Kind::Null;
  return *this;
}

void BulkInsert::bind_row(SqliteStatement& st, std::size_t row, int first_parameter) {
  for (int column = 0; column < columns_; ++column) {
    Value& value = values_[row * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(column)];
    const int parameter = first_parameter + column;
    // NULL is left unbound: run() clears every binding after each statement.
    switch (value.kind) {
      case Value::Kind::Null: break;
      case Value::Kind::Integer: st.bind(parameter, value.integer); break;
      case Value::Kind::Real: st.bind(parameter, value.real); break;
      case Value::Kind::Text: st.bind_static(parameter, value.text); break;
    }
    value.kind = Value::Kind::Null;  // ready for the next row of this slot
  }
}

void BulkInsert::end_row() {
  if (++filled_ < kRowsPerStatement) return;
  for (std::size_t row = 0; row < kRowsPerStatement; ++row)
    bind_row(many_, row, 1 + static_cast<int>(row) * columns_);
  many_.run();
  filled_ = 0;
}

void BulkInsert::finish() {
  for (std::size_t row = 0; row < filled_; ++row) {
    bind_row(one_, row, 1);
    one_.run();
  }
  filled_ = 0;
}

}  // namespace flexrecon
