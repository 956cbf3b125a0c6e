#include <catch2/catch.hpp>

#include "scenario.h"

using namespace scenario;

namespace {

// jdoe is logged on all day, so only product and rate are in question.
World logged_on_all_day() {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 18:00:00", 100);
  return w;
}

EvidenceRef inventory_row(const World& w, std::size_t i) { return w.inventory.at(i).ref(); }

}  // namespace

TEST_CASE("Revit billed where only Revit LT is installed is challenged down to the Revit LT rate",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVTLT", "2025", "2025-06-01");
  w.installed("ws-0042", "ACD", "2025", "2025-06-01");  // another family: irrelevant
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "misclassification");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(10.0 - 5.0));
  CHECK(contains(f.evidence, inventory_row(w, 0)));
  CHECK_FALSE(contains(f.evidence, inventory_row(w, 1)));
  CHECK_THAT(f.reason, Catch::Contains("RVTLT"));
}

TEST_CASE("with several cheaper siblings installed the highest-rated one sets the claim", "[misclassification]") {
  World w = logged_on_all_day();
  w.rules.catalog.add(Product{"SUITEPRO", "Suite Pro", "Suite", {}, ""});
  w.rules.catalog.add(Product{"SUITESTD", "Suite", "Suite", {}, ""});
  w.rules.catalog.add(Product{"SUITELT", "Suite LT", "Suite", {}, ""});
  w.rate("SUITEPRO", 12);
  w.rate("SUITESTD", 8);
  w.rate("SUITELT", 3);
  w.installed("ws-0042", "SUITELT", "2025", "2025-06-01");
  w.installed("ws-0042", "SUITESTD", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "SUITEPRO", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 12.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "misclassification");
  CHECK(f.tokens_challenged == Approx(12.0 - 8.0));  // not 12 - 3: the smallest claim
}

TEST_CASE("a product whose family is not installed at all is challenged in full, medium", "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "ACD", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "misclassification");
  CHECK(f.confidence == Confidence::Medium);
  CHECK(f.tokens_challenged == Approx(10.0));
  CHECK_THAT(f.reason, Catch::StartsWith("product not deployed on host"));
  CHECK(contains(f.evidence, inventory_row(w, 0)));  // the inventory that shows the absence
}

TEST_CASE("a product removed before the charge is not installed at the charge", "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01", "2026-03-02");  // removed that morning
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "misclassification");
  CHECK_THAT(f.reason, Catch::Contains("removed 2026-03-02"));
}

TEST_CASE("a product installed after the charge is not installed at the charge", "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2026-03-03");
  w.installed("ws-0042", "RVTLT", "2025", "2025-01-01");
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  CHECK(main_finding(w, w.run(), "C1").tokens_challenged == Approx(5.0));
}

TEST_CASE("a product installed at the charge raises no product finding", "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.installed("ws-0042", "RVTLT", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  w.rows.back().version = "2025";
  CHECK(findings_for(w, w.run(), "C1").empty());
}

TEST_CASE("a host with no inventory rows cannot be judged for misclassification", "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0099", "RVTLT", "2025", "2025-06-01");  // another host's inventory
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK(not_evaluable(r, "misclassification") == 1);
}

TEST_CASE("more tokens than the rate for an installed product: the excess is challenged", "[rate-mismatch]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 14.0);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "rate-mismatch");
  CHECK(f.confidence == Confidence::High);
  CHECK(f.tokens_challenged == Approx(4.0));
  CHECK_THAT(f.reason, Catch::Contains("test sheet"));  // where the rate comes from
  CHECK(contains(f.evidence, inventory_row(w, 0)));
}

TEST_CASE("rate-mismatch needs no inventory", "[rate-mismatch]") {
  World w = logged_on_all_day();
  w.charge("C1", "jdoe", "ws-0042", "MAYA", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 9.5);
  const Finding f = main_finding(w, w.run(), "C1");
  CHECK(f.rule == "rate-mismatch");
  CHECK(f.tokens_challenged == Approx(3.5));
}

TEST_CASE("the rate in force at the charge is used", "[rate-mismatch]") {
  World w;
  w.host("ws-0042");
  w.session("ws-0042", "jdoe", "2026-02-28 22:00:00", "2026-03-01 02:00:00", 90);
  w.session("ws-0042", "jdoe", "2026-03-02 08:00:00", "2026-03-02 18:00:00", 100);
  w.rules.rates = RateSheet();
  w.rules.rates.add(Rate{"ACD", 5, std::nullopt, at("2026-02-28"), "old sheet"});
  w.rules.rates.add(Rate{"ACD", 7, at("2026-03-01"), std::nullopt, "new sheet"});
  w.charge("OLD", "jdoe", "ws-0042", "ACD", "2026-02-28 23:00:00", "2026-03-01 01:00:00", 7.0);
  w.charge("NEW", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(main_finding(w, r, "OLD").tokens_challenged == Approx(2.0));
  CHECK(findings_for(w, r, "NEW").empty());
}

TEST_CASE("a cheaper sibling the rate sheet cannot price is a note and counted, not a silent pass",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.rules.catalog.add(Product{"MAYALT", "Maya LT", "Maya", {}, ""});  // in the family, not on the sheet
  w.installed("ws-0042", "MAYALT", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "MAYA", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 6.0);
  const RuleResults r = w.run();
  const auto findings = findings_for(w, r, "C1");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].status == FindingStatus::Note);
  CHECK(findings[0].rule == "misclassification");
  CHECK(findings[0].tokens_challenged == 0);
  CHECK_THAT(findings[0].reason, Catch::Contains("MAYALT") && Catch::Contains("--rates"));
  CHECK(contains(findings[0].evidence, inventory_row(w, 0)));
  CHECK(not_evaluable(r, "misclassification") == 1);
}

TEST_CASE("a product without a rate is not evaluable for the rate rules", "[rate-mismatch]") {
  World w = logged_on_all_day();
  w.charge("C1", "jdoe", "ws-0042", "CIV3D", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 99.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK(not_evaluable(r, "rate-mismatch") == 1);
}

TEST_CASE("another installed version of the billed product is a note, not a challenge", "[version-mismatch]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "RVT", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 10.0);
  w.rows.back().version = "2024";
  const RuleResults r = w.run();
  const std::vector<Finding> fs = findings_for(w, r, "C1");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].rule == "version-mismatch");
  CHECK(fs[0].status == FindingStatus::Note);
  CHECK(fs[0].tokens_challenged == 0);
  CHECK_THAT(fs[0].reason, Catch::Contains("2024"));
  CHECK_THAT(fs[0].reason, Catch::Contains("2025"));
}

// SPEC 3.3: what the catalog does not know is never challenged.

TEST_CASE("a billed code the catalog does not know is a note naming it, counted, never a challenge",
          "[unknown-product]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "ACD", "2025", "2025-06-01");  // an inventoried host: "not deployed" would apply
  w.rate("ADSTPR", 1);  // even a (user-supplied) rate does not make an unknown product judgeable
  w.charge("C1", "jdoe", "ws-0042", "ADSTPR", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 9.0);
  const RuleResults r = w.run();
  const auto findings = findings_for(w, r, "C1");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].status == FindingStatus::Note);
  CHECK(findings[0].rule == "misclassification");
  CHECK(findings[0].tokens_challenged == 0);
  CHECK_THAT(findings[0].reason, Catch::Contains("'ADSTPR'") && Catch::Contains("products.csv"));
  CHECK(not_evaluable(r, "misclassification") == 1);
  CHECK(not_evaluable(r, "rate-mismatch") == 1);
}

TEST_CASE("a billed product name the catalog cannot resolve (no code) is a note naming it", "[unknown-product]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "ACD", "2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 5.0).product_name = "ReCap Pro";
  const RuleResults r = w.run();
  const auto findings = findings_for(w, r, "C1");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].status == FindingStatus::Note);
  CHECK_THAT(findings[0].reason, Catch::Contains("'ReCap Pro'"));
  CHECK_FALSE(has_main_finding(w, r, "C1"));
}

TEST_CASE("AutoCAD installed as a toolset and mapped to ACD: the ACD charge is simply supported", "[misclassification]") {
  World w = logged_on_all_day();
  // read_inventory maps this name to ACD with the shipped catalog (tests/unit/tables).
  w.installed("ws-0042", "ACD", "2025", "2025-06-01").display_name = "Autodesk AutoCAD Mechanical 2025 - English";
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK(not_evaluable(r, "misclassification") == 0);
}

TEST_CASE("an unmapped Autodesk row naming the family stops 'not deployed': a note, no challenge",
          "[misclassification]") {
  World w = logged_on_all_day();  // its catalog does not know the AutoCAD toolsets
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.unmapped("ws-0042", "Autodesk AutoCAD Mechanical 2025 - English", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  const auto findings = findings_for(w, r, "C1");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].status == FindingStatus::Note);
  CHECK(findings[0].rule == "misclassification");
  CHECK(findings[0].tokens_challenged == 0);
  CHECK_THAT(findings[0].reason, Catch::Contains("Autodesk AutoCAD Mechanical 2025 - English") &&
                                     Catch::Contains("absence is not proven"));
  CHECK(contains(findings[0].evidence, inventory_row(w, 1)));
  CHECK_FALSE(contains(findings[0].evidence, inventory_row(w, 0)));
  CHECK(not_evaluable(r, "misclassification") == 1);
}

TEST_CASE("an unmapped AutoCAD LT variant carries the AutoCAD family name: a note, not 'not deployed'",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.unmapped("ws-0042", "AutoCAD LT for Mac 2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK_FALSE(has_main_finding(w, r, "C1"));
  REQUIRE(findings_for(w, r, "C1").size() == 1);
}

TEST_CASE("unmapped Autodesk rows of other products, or removed ones, leave a true 'not deployed' challenged",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "RVT", "2025", "2025-06-01");
  w.unmapped("ws-0042", "Autodesk Advance Steel 2025", "2025-06-01");
  w.unmapped("ws-0042", "Autodesk AutoCADMEP Tools", "2025-06-01");  // not the word AutoCAD
  w.unmapped("ws-0042", "Autodesk AutoCAD Mechanical 2024", "2024-01-01", "2025-12-31");  // gone by the charge
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  const Finding f = main_finding(w, r, "C1");
  CHECK(f.rule == "misclassification");
  CHECK(f.status == FindingStatus::Challenged);
  CHECK(f.confidence == Confidence::Medium);
  CHECK(f.tokens_challenged == Approx(7.0));
  CHECK_THAT(f.reason, Catch::StartsWith("product not deployed on host"));
  for (std::size_t i = 0; i < 4; ++i) CHECK(contains(f.evidence, inventory_row(w, i)));
}

TEST_CASE("a host whose inventory lists only products the catalog cannot map is not judged for deployment",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.unmapped("ws-0042", "Autodesk Advance Steel 2025", "2025-06-01");
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK(findings_for(w, r, "C1").empty());
  CHECK(not_evaluable(r, "misclassification") == 1);
}

TEST_CASE("a mapped row of another product whose name carries the family (AutoCAD Civil 3D) stops 'not deployed'",
          "[misclassification]") {
  World w = logged_on_all_day();
  w.installed("ws-0042", "CIV3D", "2019", "2019-06-01").display_name = "AutoCAD Civil 3D 2019";
  w.charge("C1", "jdoe", "ws-0042", "ACD", "2026-03-02 09:15:00", "2026-03-02 12:00:00", 7.0);
  const RuleResults r = w.run();
  CHECK_FALSE(has_main_finding(w, r, "C1"));
  const auto findings = findings_for(w, r, "C1");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].status == FindingStatus::Note);
  CHECK(contains(findings[0].evidence, inventory_row(w, 0)));
}
