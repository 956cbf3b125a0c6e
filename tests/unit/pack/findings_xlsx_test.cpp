#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <pugixml.hpp>
#include <thread>

#include "pack/findings_xlsx.h"
#include "pack_fixture.h"
#include "support/zip_members.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

std::map<std::string, std::string> unzip(const std::string& path) { return zip_members(path); }

struct Sheet {
  pugi::xml_document doc;
  std::vector<std::string> shared;

  pugi::xml_node cell(const std::string& ref) const {
    return doc.select_node(("//*[local-name()='c'][@r='" + ref + "']").c_str()).node();
  }
  // The text a string cell shows (through the shared string table).
  std::string text(const std::string& ref) const {
    const auto c = cell(ref);
    REQUIRE(std::string(c.attribute("t").value()) == "s");
    return shared.at(std::stoul(c.child_value("v")));
  }
};

void load(Sheet& sheet, const std::map<std::string, std::string>& zip, const std::string& member) {
  REQUIRE(sheet.doc.load_string(zip.at(member).c_str()));
  pugi::xml_document strings;
  REQUIRE(strings.load_string(zip.at("xl/sharedStrings.xml").c_str()));
  for (const auto& si : strings.select_nodes("//*[local-name()='si']")) {
    std::string text;
    for (const auto& t : si.node().select_nodes(".//*[local-name()='t']")) text += t.node().child_value();
    sheet.shared.push_back(text);
  }
}

}  // namespace

TEST_CASE("findings.xlsx holds typed cells: tokens as numbers, charge starts as dates, text as text", "[pack][xlsx]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "findings.xlsx").string();
  write_findings_xlsx(sample_result(), path);
  const auto zip = unzip(path);
  Sheet s;
  load(s, zip, "xl/worksheets/sheet1.xml");

  CHECK(s.text("A1") == "finding_id");
  CHECK(s.text("O1") == "evidence");
  CHECK(s.text("A2") == "F0001");
  // Tokens: numeric cells (no type attribute), values as numbers.
  CHECK(std::string(s.cell("K2").attribute("t").value()).empty());
  CHECK(std::stod(s.cell("K2").child_value("v")) == 7.0);
  CHECK(std::stod(s.cell("L4").child_value("v")) == 0.0);
  // The charge start: an Excel serial date (2025-03-04 02:00:00) with a date format.
  CHECK(std::stod(s.cell("J2").child_value("v")) == Approx(45720.083333333).epsilon(1e-12));
  CHECK(s.cell("J2").attribute("s").as_int() > 0);
  CHECK(s.text("O2") == "lrt.csv:2;logs/ws-0042-Security.xml#141;logs/ws-0042-Security.xml#150");
}

TEST_CASE("no findings.xlsx cell is ever a formula, whatever the input text starts with", "[pack][xlsx]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "findings.xlsx").string();
  write_findings_xlsx(sample_result(), path);
  const auto zip = unzip(path);
  for (const auto& [name, data] : zip) {
    INFO(name);
    CHECK(data.find("<f>") == std::string::npos);
    CHECK(data.find("<f ") == std::string::npos);
  }
  Sheet s;
  load(s, zip, "xl/worksheets/sheet1.xml");
  // The tampered metering user is shown exactly as written, as text: not neutralised, not evaluated.
  CHECK(s.text("F3") == "=HYPERLINK(\"http://evil.example\",\"x\")");
}

TEST_CASE("findings.xlsx freezes the header row, filters it, and sizes its columns", "[pack][xlsx]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "findings.xlsx").string();
  write_findings_xlsx(sample_result(), path);
  const auto zip = unzip(path);
  const std::string& sheet = zip.at("xl/worksheets/sheet1.xml");
  CHECK(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != std::string::npos);
  CHECK(sheet.find("<autoFilter ref=\"A1:O5\"/>") != std::string::npos);
  CHECK(sheet.find("<col min=\"14\" max=\"14\" width=\"80.7109375\" customWidth=\"1\"/>") != std::string::npos);
}

TEST_CASE("findings.xlsx has a summary sheet with the totals and the money", "[pack][xlsx]") {
  ScratchDir dir;
  const std::string path = (dir.path() / "findings.xlsx").string();
  write_findings_xlsx(sample_result(), path);
  const auto zip = unzip(path);
  CHECK(zip.at("xl/workbook.xml").find("name=\"Summary\"") != std::string::npos);
  Sheet s;
  load(s, zip, "xl/worksheets/sheet2.xml");
  std::map<std::string, double> figures;
  for (int row = 2; row < 40; ++row) {
    const auto label = s.cell("A" + std::to_string(row));
    const auto value = s.cell("B" + std::to_string(row));
    if (!label || !value || std::string(value.attribute("t").value()) == "s") continue;
    figures[s.text("A" + std::to_string(row))] = std::stod(value.child_value("v"));
  }
  CHECK(figures.at("tokens billed") == 24.0);
  CHECK(figures.at("tokens challenged") == 14.0);
  CHECK(figures.at("tokens challenged: background") == 7.0);
  CHECK(figures.at("at list price: value of the tokens challenged (USD)") == 56.0);
  CHECK(figures.at("at token price: value of the tokens challenged (USD)") == 35.0);
}

TEST_CASE("findings.xlsx is byte-identical when written again: no clock in it", "[pack][xlsx]") {
  ScratchDir dir;
  const auto a = (dir.path() / "a.xlsx").string();
  const auto b = (dir.path() / "b.xlsx").string();
  write_findings_xlsx(sample_result(), a);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a clock would tick past a second
  write_findings_xlsx(sample_result(), b);
  CHECK(read_file(a) == read_file(b));
  CHECK(unzip(a).at("docProps/core.xml").find("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-04-01T00:00:00Z") !=
        std::string::npos);
}
