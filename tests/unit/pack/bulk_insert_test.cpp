#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "flexrecon/error.h"
#include "pack/bulk_insert.h"
#include "pack/sqlite_db.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `rows` rows of every kind of value into a fresh database, one INSERT a row or through BulkInsert.
std::filesystem::path write_rows(const std::filesystem::path& dir, const std::string& name, int rows, bool bulk) {
  const auto path = dir / name;
  SqliteDb db(path.string());
  db.exec("PRAGMA journal_mode=OFF; BEGIN; CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, o TEXT)");
  std::array<std::string, BulkInsert::kRowsPerStatement> buffers;  // one per slot: text stays put until written
  BulkInsert bulk_rows(db, "t", 5);
  auto one_row = db.prepare("INSERT INTO t VALUES (?1,?2,?3,?4,?5)");
  for (int i = 0; i < rows; ++i) {
    const std::string text = "row " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 300), 'x');
    const bool odd = i % 2;
    if (bulk) {
      std::string& buffer = buffers[bulk_rows.slot()];
      buffer = text;
      bulk_rows.integer(1, i).integer_or_null(2, odd ? std::optional<std::int64_t>(i * 7) : std::nullopt);
      bulk_rows.real(3, i / 4.0).text(4, buffer);
      if (odd) bulk_rows.text_or_null(5, std::string_view(""));  // empty text, not NULL
      bulk_rows.end_row();
    } else {
      one_row.bind(1, std::int64_t{i});
      if (odd) one_row.bind(2, std::int64_t{i * 7});
      one_row.bind(3, i / 4.0).bind(4, text);
      if (odd) one_row.bind(5, std::string());
      one_row.run();
    }
  }
  bulk_rows.finish();
  db.exec("COMMIT");
  return path;
}

}  // namespace

TEST_CASE("rows written sixteen to a statement give the same database file as one row a statement", "[pack][sqlite]") {
  ScratchDir dir;
  // A number of rows that is no multiple of the batch: the last ones go one by one at finish().
  for (const int rows : {0, 1, 15, 16, 17, 1000, 5003}) {
    INFO(rows << " rows");
    const auto one = write_rows(dir.path(), "one-" + std::to_string(rows) + ".sqlite", rows, false);
    const auto bulk = write_rows(dir.path(), "bulk-" + std::to_string(rows) + ".sqlite", rows, true);
    CHECK(bytes_of(one) == bytes_of(bulk));
    SqliteDb db(bulk.string());
    auto st = db.prepare("SELECT count(*), count(n), count(o), sum(o = ''), max(id) FROM t");
    REQUIRE(st.step());
    CHECK(st.column_int(0) == rows);
    CHECK(st.column_int(1) == rows / 2);  // NULL where no value was given
    CHECK(st.column_int(2) == rows / 2);
    CHECK(st.column_int(3) == rows / 2);
    if (rows) CHECK(st.column_int(4) == rows - 1);
  }
}

TEST_CASE("a column outside the table's is refused, not written somewhere else", "[pack][sqlite]") {
  ScratchDir dir;
  SqliteDb db((dir.path() / "t.sqlite").string());
  db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
  BulkInsert rows(db, "t", 2);
  CHECK_THROWS_AS(rows.integer(3, 1), Error);
  CHECK_THROWS_AS(rows.text(0, "x"), Error);
}
