#include <catch2/catch.hpp>

#include "pack/findings_csv.h"
#include "pack_fixture.h"
#include "util/strings.h"

using namespace flexrecon;
using namespace flexrecon::test;

TEST_CASE("a cell a spreadsheet would run as a formula is prefixed with a quote", "[pack][csv]") {
  CHECK(csv_cell("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(csv_cell("+1 555 0100") == "'+1 555 0100");
  CHECK(csv_cell("@import") == "'@import");
  CHECK(csv_cell("-cmd") == "'-cmd");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("\rx") == "\"'\rx\"");  // CR also forces quoting
}

TEST_CASE("a negative amount stays a number a spreadsheet can add up", "[pack][csv]") {
  CHECK(csv_cell("-7.0") == "-7.0");
  CHECK(csv_cell("-12") == "-12");
  CHECK(csv_cell("-") == "'-");
  CHECK(csv_cell("-1.") == "'-1.");
  CHECK(csv_cell("7.0") == "7.0");
}

TEST_CASE("cells with commas, quotes or line breaks are quoted as RFC 4180 says", "[pack][csv]") {
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_cell("") == "");
}

TEST_CASE("findings.csv has the exact header and one row per finding", "[pack][csv]") {
  const ReconcileResult r = sample_result();
  const std::string csv = findings_csv(r);
  const auto lines = split(csv, '\n');
  REQUIRE(lines.size() == r.results.findings.size() + 2);  // header, rows, and the final empty piece after LF
  CHECK(lines[0] ==
        "finding_id,status,rule,confidence,metering_record_id,user,host,product,version,charge_start_utc,"
        "tokens_billed,tokens_challenged,other_rules,reason,evidence");
  CHECK(lines[1] ==
        "F0001,challenged,background,high,C-1001,CORP\\jdoe,WS-0042.corp.example,ACD,2025,2025-03-04T02:00:00Z,"
        "7.0,7.0,,host powered off,lrt.csv:2;logs/ws-0042-Security.xml#141;logs/ws-0042-Security.xml#150");
  CHECK(lines.back().empty());
  CHECK(csv.find('\r') == std::string::npos);
}

TEST_CASE("a hostile user name in the metering export cannot become a formula in findings.csv", "[pack][csv]") {
  const std::string csv = findings_csv(sample_result());
  CHECK(csv.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",") != std::string::npos);
  CHECK(csv.find(",=HYPERLINK") == std::string::npos);
  CHECK(csv.find(",<script>alert(1)</script>,") != std::string::npos);  // plain text in CSV, harmless there
  CHECK(csv.find("background;double-charge") != std::string::npos);
}

TEST_CASE("non-ASCII user names reach findings.csv byte for byte", "[pack][csv]") {
  const std::string csv = findings_csv(sample_result());
  CHECK(csv.find(",józef.żółć@corp.example,WS-0042,RVT,") != std::string::npos);
}

TEST_CASE("rejects.csv lists every reject in order, neutralised", "[pack][csv]") {
  const std::string csv = rejects_csv(sample_result());
  CHECK(csv ==
        "source,location,reason\n"
        "lrt.csv,line 6,unparsable sessionStartDate '2025-02-30 10:00:00'\n"
        "logs/ws-0042-Security.xml,line 77,'=cmd|' /C calc'!A0\n");
}

TEST_CASE("a finding pointing past the metering rows still gets a row, not a crash", "[pack][csv]") {
  ReconcileResult r = sample_result();
  r.results.findings[0].row = 999;
  r.results.findings[0].evidence.push_back(EvidenceRef{77, 5, true});
  const std::string csv = findings_csv(r);
  CHECK(csv.find("F0001,challenged,background,high,,,,,,,0.0,7.0,") != std::string::npos);
  CHECK(csv.find("source#77:5") != std::string::npos);
}
