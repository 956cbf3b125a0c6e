#include <catch2/catch.hpp>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"

using namespace flexrecon;

namespace {

Instant utc(const char* text) { return *parse_timestamp(text); }

RateSheet load(const test::TempDir& dir, const std::string& text) {
  SourceTable sources;
  return read_rate_sheet(dir.write("rates.csv", text), sources);
}

double rate(const RateSheet& sheet, const char* code, const char* when) {
  const Rate* r = sheet.at(code, utc(when));
  return r == nullptr ? -1 : r->tokens_per_day;
}

}  // namespace

TEST_CASE("effective dates are inclusive on both ends and at() picks the row in force", "[rates]") {
  test::TempDir dir;
  RateSheet sheet = load(dir,
                         "code,tokens_per_day,effective_from,effective_to,source\n"
                         "ACDLT,2.0,2024-01-01,2024-12-31,contract 2024\n"
                         "ACDLT,3.0,2025-01-01,,contract 2025\n");
  CHECK(rate(sheet, "ACDLT", "2023-12-31T23:59:59Z") == -1);
  CHECK(rate(sheet, "ACDLT", "2024-01-01T00:00:00Z") == 2.0);
  CHECK(rate(sheet, "ACDLT", "2024-12-31T23:59:59Z") == 2.0);
  CHECK(rate(sheet, "ACDLT", "2025-01-01T00:00:00Z") == 3.0);
  CHECK(rate(sheet, "acdlt", "2030-06-01T12:00:00Z") == 3.0);
  CHECK(rate(sheet, "RVT", "2025-01-01T00:00:00Z") == -1);
  CHECK(sheet.at("ACDLT", utc("2025-02-01T00:00:00Z"))->source == "contract 2025");
}

TEST_CASE("the shipped sheet has Autodesk's published rates with their source", "[rates]") {
  SourceTable sources;
  RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  const Instant t = utc("2025-03-04T10:00:00Z");
  REQUIRE(rules.rates.at("ACD", t) != nullptr);
  CHECK(rules.rates.at("ACD", t)->tokens_per_day == 7.0);
  CHECK(rules.rates.at("RVT", t)->tokens_per_day == 10.0);
  CHECK(rules.rates.at("MAYA", t)->tokens_per_day == 6.0);
  CHECK_THAT(rules.rates.at("ACD", t)->source, Catch::Contains("Autodesk"));
}

TEST_CASE("a rate sheet with overlapping periods, bad dates or bad figures is refused naming file and line", "[rates]") {
  test::TempDir dir;
  const std::string head = "code,tokens_per_day,effective_from,effective_to,source\n";
  const std::string file = dir.file("rates.csv");
  CHECK_THROWS_WITH(load(dir, head + "ACD,7.0,,,a\nACD,8.0,2025-01-01,,b\n"),
                    file + ":3: rate for ACD overlaps the one on line 2");
  CHECK_THROWS_WITH(load(dir, head + "ACD,7.0,2025-02-30,,a\n"),
                    file + ":2: effective_from '2025-02-30' is not a date (YYYY-MM-DD)");
  CHECK_THROWS_WITH(load(dir, head + "ACD,seven,,,a\n"),
                    file + ":2: tokens_per_day 'seven' is not a non-negative decimal number");
  CHECK_THROWS_WITH(load(dir, head + "ACD,7.0,2025-02-01,2025-01-01,a\n"), file + ":2: effective_to is before effective_from");
  CHECK_THROWS_WITH(load(dir, "code,source\nACD,a\n"), Catch::Contains("no 'tokens_per_day' column"));
  // Consecutive periods that touch but do not overlap are fine.
  CHECK_NOTHROW(load(dir, head + "ACD,7.0,,2024-12-31,a\nACD,8.0,2025-01-01,,b\n"));
}
