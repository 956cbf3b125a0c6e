#include <catch2/catch.hpp>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"

using namespace flexrecon;

namespace {

const ProductCatalog& catalog() {
  static SourceTable sources;
  static const RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  return rules.catalog;
}

struct Loaded {
  InventoryFile file;
  std::vector<InventoryRow> rows;
  Rejects rejects;
  SourceTable sources;
};

Loaded load(const test::TempDir& dir, const std::string& text) {
  Loaded l;
  l.file = read_inventory(dir.write("inventory.csv", text), catalog(), l.sources, l.rows, l.rejects);
  return l;
}

Instant utc(const char* text) { return *parse_timestamp(text); }

}  // namespace

TEST_CASE("an SCCM export with YYYYMMDD dates takes the version from the display name", "[inventory]") {
  test::TempDir dir;
  Loaded l = load(dir,
                  "Netbios_Name0,ARPDisplayName0,Version0,InstallDate0\r\n"
                  "WS-0042,Autodesk AutoCAD LT 2025 - English,25.0.58.0,20250115\r\n"
                  "WS-0042,Microsoft Edge,120.0,20250101\r\n"
                  "WS-0043.corp.example,Revit 2025,25.1.0.0,20240610\r\n");
  CHECK(l.file.rows == 3);
  CHECK(l.file.accepted == 2);
  CHECK(l.file.skipped_not_autodesk == 1);
  CHECK(l.rejects.empty());
  REQUIRE(l.rows.size() == 2);
  CHECK(l.rows[0].host == "ws-0042");
  CHECK(l.rows[0].product_code == "ACDLT");
  CHECK(l.rows[0].version == "2025");
  CHECK(l.rows[0].display_name == "Autodesk AutoCAD LT 2025 - English");
  CHECK(l.rows[0].installed == utc("2025-01-15"));
  CHECK_FALSE(l.rows[0].removed.has_value());
  CHECK(l.rows[0].line == 2);
  CHECK(l.rows[1].host == "ws-0043");
  CHECK(l.rows[1].product_code == "RVT");
  CHECK(l.rows[1].installed == utc("2024-06-10"));
}

TEST_CASE("an ITAM export with ISO dates, removals and a version column is read", "[inventory]") {
  test::TempDir dir;
  Loaded l = load(dir,
                  "host,product,version,installed,removed\n"
                  "ws-1,AutoCAD,2024,2024-02-01,2025-03-01T12:00:00Z\n"
                  "ws-1,Maya LT,,2025-01-01,\n");
  REQUIRE(l.rows.size() == 2);
  CHECK(l.rows[0].product_code == "ACD");
  CHECK(l.rows[0].version == "2024");
  CHECK(l.rows[0].removed == utc("2025-03-01T12:00:00Z"));
  CHECK(l.rows[1].product_code == "MAYALT");
  CHECK(l.rows[1].version.empty());
}

TEST_CASE("an Intune export with Device name and Application headers is read", "[inventory]") {
  test::TempDir dir;
  Loaded l = load(dir, "Device name,Application,Application version\nLAPTOP-7,Autodesk Navisworks Simulate 2025,\n");
  REQUIRE(l.rows.size() == 1);
  CHECK(l.rows[0].host == "laptop-7");
  CHECK(l.rows[0].product_code == "NAVSIM");
}

TEST_CASE("bad inventory rows are rejected alone and rows in = accepted + skipped + rejected", "[inventory]") {
  test::TempDir dir;
  Loaded l = load(dir,
                  "host,product,installed,removed\n"
                  "ws-1,AutoCAD 2025,2025-13-01,\n"
                  ",AutoCAD 2025,2025-01-01,\n"
                  "ws-1,AutoCAD 2025,2025-02-01,2025-01-01\n"
                  "ws-1,AutoCAD 2025\n"
                  "ws-1,Notepad++,2025-01-01,\n"
                  "ws-1,AutoCAD 2025,20250230,\n"
                  "ws-1,AutoCAD 2025,2025-01-01,\n");
  REQUIRE(l.rejects.size() == 5);
  CHECK(l.rejects[0].reason == "unparsable installed '2025-13-01'");
  CHECK(l.rejects[0].location == "line 2");
  CHECK(l.rejects[1].reason == "empty host");
  CHECK(l.rejects[2].reason == "removed '2025-01-01' is before installed '2025-02-01'");
  CHECK(l.rejects[3].reason == "expected 4 fields, found 2");
  CHECK(l.rejects[4].reason == "unparsable installed '20250230'");
  CHECK(l.file.rows == 7);
  CHECK(l.file.accepted == 1);
  CHECK(l.file.skipped_not_autodesk == 1);
  CHECK(l.file.rejected == 5);
  CHECK(l.file.rows == l.file.accepted + l.file.skipped_not_autodesk + l.file.rejected);
}

TEST_CASE("Autodesk rows the catalog cannot map are kept without a code - other vendors' are skipped", "[inventory]") {
  test::TempDir dir;
  Loaded l = load(dir,
                  "Netbios_Name0,ARPDisplayName0,Version0,InstallDate0\n"
                  "WS-1,Autodesk AutoCAD Mechanical 2025 - English,25.0.58.0,20250115\n"
                  "WS-1,Autodesk Desktop Connector,16.5.0,20250115\n"
                  "WS-1,AutoCAD 2025 Language Pack - English,25.0.58.0,20250115\n"
                  "WS-1,Microsoft Edge,120.0,20250101\n");
  CHECK(l.file.rows == 4);
  CHECK(l.file.accepted == 3);
  CHECK(l.file.unmapped_autodesk == 2);
  CHECK(l.file.skipped_not_autodesk == 1);
  REQUIRE(l.rows.size() == 3);
  CHECK(l.rows[0].product_code == "ACD");  // a toolset of AutoCAD
  CHECK(l.rows[0].version == "2025");
  CHECK(l.rows[1].product_code.empty());
  CHECK(l.rows[1].display_name == "Autodesk Desktop Connector");
  CHECK(l.rows[1].host == "ws-1");
  CHECK(l.rows[1].installed == utc("2025-01-15"));
  CHECK(l.rows[2].product_code.empty());  // carries "AutoCAD", but is not AutoCAD
  CHECK(l.rows[2].line == 4);
}

TEST_CASE("an inventory without a host or product column is an input error", "[inventory]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(load(dir, "serial,product\n1,AutoCAD\n"), Catch::Contains("no host column"));
  CHECK_THROWS_WITH(load(dir, "host,vendor\nws-1,Autodesk\n"), Catch::Contains("no product column"));
  CHECK_THROWS_AS(load(dir, ""), Error);
}
