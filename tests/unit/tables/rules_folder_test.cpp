#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"

using namespace flexrecon;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A copy of the shipped folder that a test may change.
void copy_shipped(const test::TempDir& dir) {
  for (const char* name : {"products.csv", "rates.csv", "settings.ini"}) {
    dir.write(name, slurp(test::shipped_rules_dir() + "/" + name));
  }
}

std::string hash_of(const std::string& dir) {
  SourceTable sources;
  return read_rules_folder(dir, sources).hash;
}

}  // namespace

TEST_CASE("the rules folder registers its files and hashes them deterministically", "[rules]") {
  SourceTable sources;
  const RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  REQUIRE(sources.all().size() == 3);
  CHECK(sources.all()[0].name == test::shipped_rules_dir() + "/products.csv");
  for (const SourceFile& f : sources.all()) {
    CHECK(f.kind == SourceKind::Rules);
    CHECK(f.sha256.size() == 64);
    CHECK(f.size > 0);
  }
  CHECK(rules.hash.size() == 64);
  CHECK(rules.dir == test::shipped_rules_dir());

  test::TempDir copy;
  copy_shipped(copy);
  CHECK(hash_of(copy.path().string()) == rules.hash);
  // A README beside the rules is documentation, not rules.
  copy.write("README.md", "notes");
  CHECK(hash_of(copy.path().string()) == rules.hash);
  copy.write("rates.csv", slurp(test::shipped_rules_dir() + "/rates.csv") + "RVTLT,3.0,,,contract\n");
  CHECK(hash_of(copy.path().string()) != rules.hash);
}

TEST_CASE("a rules folder without settings.ini uses the SPEC defaults", "[rules]") {
  test::TempDir dir;
  copy_shipped(dir);
  std::filesystem::remove(dir.file("settings.ini"));
  SourceTable sources;
  const RulesFolder rules = read_rules_folder(dir.path().string(), sources);
  CHECK(sources.all().size() == 2);
  CHECK(rules.settings.presence_tolerance == 120 * kSecond);
}

TEST_CASE("a rules folder missing its catalog or with a bad row is an input error naming the file", "[rules]") {
  test::TempDir dir;
  copy_shipped(dir);
  std::filesystem::remove(dir.file("products.csv"));
  CHECK_THROWS_WITH(hash_of(dir.path()), Catch::Contains(dir.file("products.csv")));

  dir.write("products.csv", "code,name,family,aliases,product_key\nACD,AutoCAD,AutoCAD,,\n,Nameless,X,,\n");
  CHECK_THROWS_WITH(hash_of(dir.path()), dir.file("products.csv:3: empty code"));
  dir.write("products.csv", "code,name,family,aliases,product_key\nACD,AutoCAD,AutoCAD,,\nacd,AutoCAD again,AutoCAD,,\n");
  CHECK_THROWS_WITH(hash_of(dir.path()), dir.file("products.csv:3: product code acd listed twice"));
  dir.write("products.csv", "code,name,family,aliases,product_key\nACD,AutoCAD\n");
  CHECK_THROWS_WITH(hash_of(dir.path()), dir.file("products.csv:2: expected 5 fields, found 2"));
  try {
    hash_of(dir.file("nowhere"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InputUnusable);
  }
}

TEST_CASE("a catalog row without a family is its own family and aliases split on bars", "[rules]") {
  test::TempDir dir;
  copy_shipped(dir);
  dir.write("products.csv", "code,name,family,aliases,product_key\nXYZ,Widget Studio,,Widget Pro | WStudio ,\n");
  SourceTable sources;
  const RulesFolder rules = read_rules_folder(dir.path().string(), sources);
  const Product* p = rules.catalog.by_code("XYZ");
  REQUIRE(p != nullptr);
  CHECK(p->family == "Widget Studio");
  CHECK(p->aliases == std::vector<std::string>{"Widget Pro", "WStudio"});
  CHECK(rules.catalog.match_name("Autodesk WStudio 2025") == p);
}
