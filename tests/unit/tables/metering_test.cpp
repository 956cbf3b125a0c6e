#include "flexrecon/metering.h"

#include <catch2/catch.hpp>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"
#include "util/sha256.h"

using namespace flexrecon;

namespace {

struct Loaded {
  MeteringFile file;
  std::vector<MeteringRow> rows;
  Rejects rejects;
  SourceTable sources;
};

const RulesFolder& shipped_rules() {
  static SourceTable sources;
  static const RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  return rules;
}

Loaded load(const std::string& path, const MeteringOptions& options = {}, const IdentityMap& ids = {}) {
  Loaded l;
  l.file = read_metering(path, options, shipped_rules().catalog, ids, l.sources, l.rows, l.rejects);
  return l;
}

Loaded load_text(const test::TempDir& dir, const std::string& text, const MeteringOptions& options = {}) {
  return load(dir.write("metering.csv", text), options);
}

// The one reject reason of a file with a single bad row.
std::string only_reason(const test::TempDir& dir, const std::string& text) {
  Loaded l = load_text(dir, text);
  REQUIRE(l.rejects.size() == 1);
  CHECK(l.rows.empty());
  return l.rejects[0].reason;
}

Instant utc(const char* text) { return *parse_timestamp(text); }

const std::string kSnakeHeader = "record_id,user_name,machine_name,product_line_code,session_start,session_end,tokens_consumed\n";

}  // namespace

TEST_CASE("a Token Flex export with quoted camelCase headers, trailing commas, BOM and CRLF is read", "[metering]") {
  test::TempDir dir;
  const std::string text =
      "\xEF\xBB\xBF\"chargedItemID\",\"userName\",\"machineName\",\"productLineCode\",\"productName\","
      "\"productVersion\",\"sessionStartDate\",\"sessionEndDate\",\"usageCategory\",\"tokensConsumed\",\"contractNumber\",\r\n"
      "\"CI-1\",\"CORP\\JDoe\",\"WS-0042.corp.example\",\"ACD\",\"AutoCAD\",\"2025\",\"2025-03-04 08:15:00\","
      "\"2025-03-04 09:00:00\",\"DESKTOP_PRODUCT\",\"7.0\",\"110000\",\r\n"
      "\"CI-2\",\"jdoe@corp.example\",\"WS-0042\",\"RVT\",\"Revit\",\"2025\",\"2025-03-04 10:00:00\","
      "\"\",\"CLOUD_SERVICE\",\"0.5\",\"110000\",\r\n";
  Loaded l = load_text(dir, text);

  CHECK(l.file.format == "token-flex-csv");
  CHECK(l.rejects.empty());
  REQUIRE(l.rows.size() == 2);
  const MeteringRow& r = l.rows[0];
  CHECK(r.line == 2);
  CHECK(r.record_id == "CI-1");
  CHECK(r.user_raw == "CORP\\JDoe");
  CHECK(r.user == "jdoe");
  CHECK(r.host == "ws-0042");
  CHECK(r.product_code == "ACD");
  CHECK(r.version == "2025");
  CHECK(r.start == utc("2025-03-04T08:15:00Z"));
  CHECK(r.end == utc("2025-03-04T09:00:00Z"));
  CHECK(r.tokens == 7.0);
  CHECK(r.is_charge);
  CHECK_FALSE(r.day_granular);
  REQUIRE(r.extra.size() == 1);
  CHECK(r.extra[0] == std::make_pair(std::string("contractNumber"), std::string("110000")));
  // Other usage categories are carried through but are never charges.
  CHECK(l.rows[1].category == "CLOUD_SERVICE");
  CHECK_FALSE(l.rows[1].is_charge);
  CHECK_FALSE(l.rows[1].end.has_value());
}

TEST_CASE("a snake_case export with durations, offsets and headers in any case is read", "[metering]") {
  test::TempDir dir;
  Loaded l = load_text(dir,
                       " Charged_Item_ID ,USER,Host,product_name,start_time,duration_minutes,tokens\n"
                       "s1,jdoe,ws-1,Autodesk AutoCAD LT 2025 - English,2025-03-04T08:00:00+02:00,30,2.0\n");
  CHECK(l.file.format == "snake-case-csv");
  REQUIRE(l.rows.size() == 1);
  const MeteringRow& r = l.rows[0];
  CHECK(r.record_id == "s1");
  CHECK(r.product_code == "ACDLT");
  CHECK(r.version == "2025");
  CHECK(r.start == utc("2025-03-04T06:00:00Z"));
  CHECK(r.end == utc("2025-03-04T06:30:00Z"));
  CHECK(r.is_charge);
}

TEST_CASE("an Account Token Usage export has day-granular rows with no host and no times", "[metering]") {
  test::TempDir dir;
  IdentityMap ids;
  ids.add("John.Doe@corp.example", "CORP\\jdoe");
  const std::string path = dir.write("usage.csv",
                                     "Day used,Product,Email,Tokens used\n"
                                     "2025-03-04,Revit 2025,john.doe@CORP.example,10.0\n"
                                     "2025-03-05 00:00:00,AutoCAD LT,someone@corp.example,2.0\n");
  Loaded l = load(path, {}, ids);
  CHECK(l.file.format == "account-token-usage-csv");
  REQUIRE(l.rows.size() == 2);
  CHECK(l.rows[0].day_granular);
  CHECK(l.rows[0].usage_date == utc("2025-03-04"));
  CHECK_FALSE(l.rows[0].start.has_value());
  CHECK(l.rows[0].product_code == "RVT");
  CHECK(l.rows[0].version == "2025");
  CHECK(l.rows[0].user == "jdoe");
  CHECK(l.rows[0].record_id == path + ":2");
  CHECK(l.rows[1].usage_date == utc("2025-03-05"));
  CHECK(l.rows[1].product_code == "ACDLT");
  CHECK(l.rows[1].user == "someone");
  CHECK(l.rows[1].is_charge);
}

TEST_CASE("unparsable timestamps reject the row naming the column and the value", "[metering]") {
  test::TempDir dir;
  const std::string head = "id,user,host,product_line_code,sessionStartDate,sessionEndDate,tokens\n";
  CHECK(only_reason(dir, head + "1,u,h,ACD,2025-03-04 25:00:00,,7.0\n") == "unparsable sessionStartDate '2025-03-04 25:00:00'");
  CHECK(only_reason(dir, head + "1,u,h,ACD,2025-02-30 10:00:00,,7.0\n") == "unparsable sessionStartDate '2025-02-30 10:00:00'");
  CHECK(only_reason(dir, head + "1,u,h,ACD,2025-03-04 24:00:00,,7.0\n") == "unparsable sessionStartDate '2025-03-04 24:00:00'");
  CHECK(only_reason(dir, head + "1,u,h,ACD,2025-03-04 10:00:00,2016-12-31 23:59:60,7.0\n") ==
        "unparsable sessionEndDate '2016-12-31 23:59:60'");
  CHECK(only_reason(dir, "usage_date,user,tokens\n03/04/2025,u,7.0\n") == "unparsable usage_date '03/04/2025'");
}

TEST_CASE("tokens that are empty, not a dot decimal, or negative on a product row reject the row", "[metering]") {
  test::TempDir dir;
  const std::string head = "id,user,tokensConsumed\n";
  CHECK(only_reason(dir, head + "1,u,\n") == "empty tokensConsumed");
  CHECK(only_reason(dir, head + "1,u,\"7,0\"\n") == "tokensConsumed '7,0' is not a decimal number");
  CHECK(only_reason(dir, head + "1,u,nan\n") == "tokensConsumed 'nan' is not a decimal number");
  CHECK(only_reason(dir, head + "1,u,1e3\n") == "tokensConsumed '1e3' is not a decimal number");
  CHECK(only_reason(dir, head + "1,u,-7.0\n") == "negative tokensConsumed '-7.0' on a DESKTOP_PRODUCT row");
  CHECK(only_reason(dir, "id,usageCategory,tokensConsumed\n1,DESKTOP_PRODUCT,-7.0\n") ==
        "negative tokensConsumed '-7.0' on a DESKTOP_PRODUCT row");
}

TEST_CASE("a negative adjustment outside DESKTOP_PRODUCT and a zero-token row are kept but are not charges", "[metering]") {
  test::TempDir dir;
  Loaded l = load_text(dir,
                       "id,usageCategory,tokensConsumed\n"
                       "1,ADJUSTMENT,-7.0\n"
                       "2,DESKTOP_PRODUCT,0.0\n"
                       "3,DESKTOP_PRODUCT,7\n");
  REQUIRE(l.rows.size() == 3);
  CHECK(l.rows[0].tokens == -7.0);
  CHECK_FALSE(l.rows[0].is_charge);
  CHECK_FALSE(l.rows[1].is_charge);
  CHECK(l.rows[2].is_charge);
}

TEST_CASE("an end before the start rejects the row", "[metering]") {
  test::TempDir dir;
  CHECK(only_reason(dir, kSnakeHeader + "1,u,h,ACD,2025-03-04 10:00:00,2025-03-04 09:59:59,7.0\n") ==
        "session_end '2025-03-04 09:59:59' is before session_start '2025-03-04 10:00:00'");
  CHECK(only_reason(dir, "id,session_start,duration_minutes,tokens\n1,2025-03-04 10:00:00,-5,7.0\n") ==
        "negative duration_minutes '-5'");
}

TEST_CASE("a row with the wrong number of fields or an oversized field is rejected alone", "[metering]") {
  test::TempDir dir;
  const std::string big(std::size_t{1} << 20 | 1, 'x');
  Loaded l = load_text(dir, kSnakeHeader +
                                "1,u,h,ACD,2025-03-04 10:00:00,,7.0\n"
                                "2,u,h,ACD,2025-03-04 10:00:00,7.0\n"
                                "3,u,h,ACD,2025-03-04 10:00:00,,7.0,extra\n"
                                "4," + big + ",h,ACD,2025-03-04 10:00:00,,7.0\n"
                                "5,u,h,ACD,2025-03-05 10:00:00,,7.0\n");
  REQUIRE(l.rejects.size() == 3);
  CHECK(l.rejects[0].location == "line 3");
  CHECK(l.rejects[0].reason == "expected 7 fields, found 6");
  CHECK(l.rejects[1].location == "line 4");
  CHECK(l.rejects[1].reason == "expected 7 fields, found 8");
  CHECK(l.rejects[2].location == "line 5");
  CHECK(l.rejects[2].reason == "field 2 (user_name) longer than 1 MiB");
  REQUIRE(l.rows.size() == 2);
  CHECK(l.rows[1].record_id == "5");
}

TEST_CASE("rows in equals accepted plus rejected, and rejects carry the physical line", "[metering]") {
  test::TempDir dir;
  const std::string path = dir.write("m.csv", kSnakeHeader +
                                                  "1,\"two\nline user\",h,ACD,2025-03-04 10:00:00,,7.0\n"
                                                  "2,u,h,ACD,2025-02-30 10:00:00,,7.0\n"
                                                  "\n"
                                                  "3,u,h,ACD,2025-03-04 10:00:00,,abc\n"
                                                  "4,u,h,ACD,2025-03-04 11:00:00,,7.0\n");
  Loaded l = load(path);
  CHECK(l.file.rows == 4);
  CHECK(l.file.accepted == 2);
  CHECK(l.file.rejected == 2);
  CHECK(l.file.rows == l.file.accepted + l.file.rejected);
  REQUIRE(l.rejects.size() == 2);
  CHECK(l.rejects[0].source == path);
  CHECK(l.rejects[0].location == "line 4");
  CHECK(l.rejects[1].location == "line 6");
  CHECK(l.rows[1].line == 7);
}

TEST_CASE("a trailing comma is tolerated whether or not the header also has one", "[metering]") {
  test::TempDir dir;
  Loaded with = load_text(dir, "id,user,tokens,\n1,u,7.0,\n2,u,7.0\n");
  CHECK(with.file.format == "snake-case-csv");
  CHECK(with.rejects.empty());
  CHECK(with.rows.size() == 2);
  Loaded without = load_text(dir, "id,user,tokens\n1,u,7.0,\n");
  CHECK(without.rejects.empty());
  CHECK(without.rows.size() == 1);
}

TEST_CASE("metering-tz shifts times without an offset and leaves explicit offsets alone", "[metering]") {
  test::TempDir dir;
  MeteringOptions berlin;
  berlin.metering_tz = "Europe/Berlin";
  Loaded l = load_text(dir,
                       "id,session_start,tokens\n"
                       "1,2025-01-15 10:00:00,7.0\n"
                       "2,2025-07-15 10:00:00,7.0\n"
                       "3,2025-07-15 10:00:00Z,7.0\n",
                       berlin);
  REQUIRE(l.rows.size() == 3);
  CHECK(l.rows[0].start == utc("2025-01-15T09:00:00Z"));
  CHECK(l.rows[1].start == utc("2025-07-15T08:00:00Z"));
  CHECK(l.rows[2].start == utc("2025-07-15T10:00:00Z"));
}

TEST_CASE("a metering file that is missing, empty or has no tokens column is an input error naming it", "[metering]") {
  test::TempDir dir;
  const std::string missing = dir.file("nope.csv");
  try {
    load(missing);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InputUnusable);
    CHECK(std::string(e.what()).find(missing) != std::string::npos);
  }
  CHECK_THROWS_AS(load_text(dir, ""), Error);
  CHECK_THROWS_AS(load(dir.path().string()), Error);
  CHECK_THROWS_WITH(load_text(dir, "user,host\nu,h\n"), Catch::Contains("no tokens column"));
}

TEST_CASE("a metering file with a header and no rows is valid and empty", "[metering]") {
  test::TempDir dir;
  Loaded l = load_text(dir, "chargedItemID,userName,tokensConsumed,\r\n");
  CHECK(l.file.rows == 0);
  CHECK(l.rows.empty());
  CHECK(l.rejects.empty());
}

TEST_CASE("the metering file is registered with its SHA-256 and size", "[metering]") {
  test::TempDir dir;
  const std::string text = "id,user,tokens\n1,u,7.0\n";
  const std::string path = dir.write("m.csv", text);
  Loaded l = load(path);
  const SourceFile& f = l.sources.at(l.file.source);
  CHECK(f.name == path);
  CHECK(f.kind == SourceKind::Metering);
  CHECK(f.sha256 == sha256_hex(text));
  CHECK(f.size == text.size());
  CHECK(l.rows[0].ref() == EvidenceRef{l.file.source, 2, true});
}

TEST_CASE("a product code absent from the catalog is kept as written, and the name gives the version", "[metering]") {
  test::TempDir dir;
  Loaded l = load_text(dir,
                       "id,productLineCode,productName,tokens\n"
                       "1,acd,AutoCAD 2024,7.0\n"
                       "2,ZZTOP,Something,1.0\n");
  REQUIRE(l.rows.size() == 2);
  CHECK(l.rows[0].product_code == "ACD");
  CHECK(l.rows[0].version == "2024");
  CHECK(l.rows[1].product_code == "ZZTOP");
  CHECK(l.rows[1].version.empty());
}

TEST_CASE("garbled files never crash the reader and every row is accepted or rejected", "[metering]") {
  test::TempDir dir;
  // Deterministic noise built from the characters that matter to CSV and to the value parsers.
  const std::string alphabet = ",\"\r\n \t-.:0123456789TZ+aA\xEF\xBB\xBF";
  std::uint32_t state = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string text = "id,user,host,session_start,session_end,duration_minutes,usageCategory,tokens\n";
    for (int i = 0; i < 400; ++i) {
      state = state * 1664525u + 1013904223u;
      text.push_back(alphabet[(state >> 16) % alphabet.size()]);
    }
    Loaded l = load_text(dir, text);
    INFO("round " << round);
    CHECK(l.file.rows == l.file.accepted + l.file.rejected);
    CHECK(l.rows.size() == l.file.accepted);
    CHECK(l.rejects.size() == l.file.rejected);
  }
}
