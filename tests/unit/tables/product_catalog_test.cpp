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

TEST_CASE("AutoCAD's specialised toolsets are billed as AutoCAD and map to ACD", "[catalog]") {
  CHECK(match("Autodesk AutoCAD Mechanical 2025 - English") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD Architecture 2025 - English") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD Electrical 2025") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD Map 3D 2025") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD MEP 2025 - English") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD Plant 3D 2025 - English") == "ACD 2025");
  CHECK(match("Autodesk AutoCAD Raster Design 2025") == "ACD 2025");
  CHECK(match("AutoCAD LT 2025") == "ACDLT 2025");  // still its own product
}

TEST_CASE("the shipped catalog covers the Flex desktop products users meet", "[catalog]") {
  CHECK(catalog().all().size() >= 40);
  CHECK(match("Autodesk Advance Steel 2025") == "ADSTPR 2025");
  CHECK(match("Autodesk ReCap Pro 2025") == "RECAP 2025");
  CHECK(match("Autodesk Vault Professional 2025 (Client)") == "-");  // not a name the catalog spells
  CHECK(match("Autodesk Vault Professional Client 2025") == "VLTM 2025");
  CHECK(match("Autodesk Fusion") == "FSN ");
  CHECK(match("Autodesk Alias AutoStudio 2025") == "ALAUST 2025");
  CHECK(match("Autodesk VRED Professional 2025") == "VRDPRO 2025");
  CHECK(match("Autodesk Moldflow Insight Ultimate 2025") == "MFIA 2025");
  CHECK(match("Autodesk InfraWorks 2025") == "IW360P 2025");
  CHECK(match("Autodesk MotionBuilder 2025") == "MOBPRO 2025");
  CHECK(match("Autodesk Robot Structural Analysis Professional 2025") == "RSAPRO 2025");
  CHECK(match("Autodesk Vehicle Tracking 2025 - English") == "VEHTRK 2025");
  CHECK(match("Autodesk Inventor Nastran 2025") == "INVNTRN 2025");
  CHECK(match("Autodesk Factory Design Utilities 2025") == "FDU 2025");
  // Every product is its own match: no name or alias is shadowed by another product's.
  for (const Product& p : catalog().all()) {
    CHECK(match(p.name) == p.code + " ");
    for (const std::string& alias : p.aliases) CHECK(match(alias) == p.code + " ");
  }
}

TEST_CASE("a name carries another only as whole words", "[catalog]") {
  CHECK(names_in("Autodesk AutoCAD Mechanical 2025 - English", "AutoCAD"));
  CHECK(names_in("AutoCAD LT 2025", "AutoCAD"));  // decided: LT carries AutoCAD (a note, never a claim)
  CHECK(names_in("Autodesk_AutoCAD-Mechanical", "autocad"));
  CHECK(names_in("Autodesk 3ds Max 2025", "3ds Max"));
  CHECK_FALSE(names_in("Autodesk AutoCADMEP Tools", "AutoCAD"));
  CHECK_FALSE(names_in("Autodesk Revitalize", "Revit"));
  CHECK_FALSE(names_in("Max 3ds", "3ds Max"));
  CHECK_FALSE(names_in("AutoCAD", ""));
}

TEST_CASE("names of Autodesk products the catalog cannot map are recognised as Autodesk's", "[catalog]") {
  CHECK(catalog().names_autodesk_product("Autodesk Desktop Connector"));
  CHECK(catalog().names_autodesk_product("AutoCAD 2025 Language Pack - English"));
  CHECK(catalog().names_autodesk_product("Revit Content Libraries 2025"));
  CHECK_FALSE(catalog().names_autodesk_product("Microsoft Office Professional Plus 2021"));
  CHECK_FALSE(catalog().names_autodesk_product("Autodeskish Tools"));
  CHECK_FALSE(catalog().names_autodesk_product(""));
}
