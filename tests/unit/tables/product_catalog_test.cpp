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

// "CODE version" for a display name, or "-" when it is not a catalog product.
std::string match(const std::string& name) {
  std::string version = "unset";
  const Product* p = catalog().match_name(name, &version);
  return p == nullptr ? "-" : p->code + " " + version;
}

}  // namespace

TEST_CASE("ARP display names map to the catalog with the year as version", "[catalog]") {
  CHECK(match("Autodesk AutoCAD LT 2025 - English") == "ACDLT 2025");
  CHECK(match("AutoCAD 2025 - English") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD 2024") == "ACD 2024");
  CHECK(match("Revit 2025") == "RVT 2025");
  CHECK(match("Autodesk Revit LT 2024") == "RVTLT 2024");
  CHECK(match("Autodesk Civil 3D 2025 - English") == "CIV3D 2025");
  CHECK(match("Autodesk Navisworks Manage 2025") == "NAVMAN 2025");
  CHECK(match("Autodesk Navisworks Simulate 2025") == "NAVSIM 2025");
  CHECK(match("Autodesk Inventor Professional 2025") == "INVPROSA 2025");
  CHECK(match("Autodesk 3ds Max 2025") == "3DSMAX 2025");
  CHECK(match("Autodesk Maya LT 2025") == "MAYALT 2025");
  CHECK(match("Autodesk Maya 2025") == "MAYA 2025");
  CHECK(match("Revit 2025.2") == "RVT 2025");
}

TEST_CASE("the most specific name wins: AutoCAD LT is not AutoCAD, Revit LT is not Revit", "[catalog]") {
  CHECK(match("AutoCAD LT 2025") == "ACDLT 2025");
  CHECK(match("AUTOCAD  LT") == "ACDLT ");
  CHECK(match("Revit LT 2025") == "RVTLT 2025");
  CHECK(match("Maya LT") == "MAYALT ");
  CHECK(match("Inventor 2025") == "INVNTOR 2025");
}

TEST_CASE("aliases and metering product names resolve", "[catalog]") {
  CHECK(match("AutoCAD - including specialized toolsets") == "ACD ");
  CHECK(match("AutoCAD Civil 3D 2019") == "CIV3D 2019");
  CHECK(match("Autodesk Revit Architecture 2016") == "RVT 2016");
}

TEST_CASE("add-ons, language packs and other vendors' software are not products", "[catalog]") {
  CHECK(match("AutoCAD 2025 Language Pack - English") == "-");
  CHECK(match("Autodesk Material Library 2025") == "-");
  CHECK(match("Revit Content Libraries 2025") == "-");
  CHECK(match("Microsoft Office Professional Plus 2019") == "-");
  CHECK(match("") == "-");
}

TEST_CASE("codes are looked up case-insensitively and families group siblings", "[catalog]") {
  REQUIRE(catalog().by_code("acdlt") != nullptr);
  CHECK(catalog().by_code("acdlt")->code == "ACDLT");
  CHECK(catalog().by_code("NOPE") == nullptr);
  auto autocad = catalog().family_members("AutoCAD");
  REQUIRE(autocad.size() == 2);
  CHECK(autocad[0]->code == "ACD");
  CHECK(autocad[1]->code == "ACDLT");
  for (const char* family : {"Revit", "Navisworks", "Inventor", "Maya"}) {
    CHECK(catalog().family_members(family).size() == 2);
  }
  CHECK(catalog().family_members("Civil 3D").size() == 1);
}

TEST_CASE("the shipped catalog covers the SPEC's products", "[catalog]") {
  for (const char* code : {"ACD", "ACDLT", "RVT", "RVTLT", "CIV3D", "NAVMAN", "NAVSIM", "INVNTOR", "INVPROSA", "3DSMAX",
                           "MAYA", "MAYALT"}) {
    CHECK(catalog().by_code(code) != nullptr);
  }
}
