#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "pack/sqlite_db.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

TEST_CASE("text bound in place is stored as given: empty is empty text, not NULL, bad bytes repaired",
          "[pack][sqlite]") {
  ScratchDir dir;
  SqliteDb db((dir.path() / "t.sqlite").string());
  db.exec("CREATE TABLE t (id INTEGER, v TEXT)");
  auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2)");
  std::string buffer = "first";
  insert.bind(1, std::int64_t{1}).bind_static(2, buffer).run();
  buffer = "second, in the same buffer";  // the row before keeps its own text
  insert.bind(1, std::int64_t{2}).bind_static(2, buffer).run();
  insert.bind(1, std::int64_t{3}).bind_static(2, std::string_view()).run();
  insert.bind(1, std::int64_t{4}).bind_static_or_null(2, std::nullopt).run();
  insert.bind(1, std::int64_t{5}).bind_static(2, "M\xFCller").run();
  insert.bind(1, std::int64_t{6}).run();  // every row starts unbound: NULL

  auto rows = db.prepare("SELECT v, v IS NULL FROM t ORDER BY id");
  const auto next = [&rows] {
    REQUIRE(rows.step());
    return rows.column_int(1) ? std::string("NULL") : rows.column_text(0);
  };
  CHECK(next() == "first");
  CHECK(next() == "second, in the same buffer");
  CHECK(next() == "");
  CHECK(next() == "NULL");
  CHECK(next() == "M\xEF\xBF\xBDller");
  CHECK(next() == "NULL");
  CHECK_FALSE(rows.step());
}
