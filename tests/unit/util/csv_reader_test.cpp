#include "util/csv_reader.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "util/sha256.h"

using flexrecon::CsvReader;
using flexrecon::CsvRecord;

namespace {

std::vector<CsvRecord> read_all(const std::string& text, std::size_t max_field = CsvReader::kMaxFieldBytes,
                                std::size_t max_record = CsvReader::kMaxRecordBytes) {
  std::istringstream in(text);
  CsvReader reader(in, max_field, max_record);
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("quoted commas and doubled quotes stay inside their field", "[csv]") {
  auto recs = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\n");
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b,c", "say \"hi\""});
  CHECK(recs[0].ok());
}

TEST_CASE("a line break inside quotes is data and later records keep their physical line", "[csv]") {
  auto recs = read_all("h1,h2\n\"two\nlines\",x\r\nlast,y\n");
  REQUIRE(recs.size() == 3);
  CHECK(recs[1].line == 2);
  CHECK(recs[1].fields[0] == "two\nlines");
  CHECK(recs[2].line == 4);
  CHECK(recs[2].fields == std::vector<std::string>{"last", "y"});
}

TEST_CASE("CRLF, LF and lone CR all end a record, and blank lines are skipped", "[csv]") {
  auto recs = read_all("a,b\r\n\r\nc,d\re,f\n\n");
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b"});
  CHECK(recs[1].line == 3);
  CHECK(recs[1].fields == std::vector<std::string>{"c", "d"});
  CHECK(recs[2].line == 4);
  CHECK(recs[2].fields == std::vector<std::string>{"e", "f"});
}

TEST_CASE("a UTF-8 BOM is not part of the first header name", "[csv]") {
  auto recs = read_all("\xEF\xBB\xBFuserName,tokens\n");
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields[0] == "userName");
}

TEST_CASE("a trailing comma yields an empty last field, also at the end of the input", "[csv]") {
  auto recs = read_all("a,b,\nc,d,");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b", ""});
  CHECK(recs[1].fields == std::vector<std::string>{"c", "d", ""});
}

TEST_CASE("a field over the limit marks its record without keeping the text", "[csv]") {
  auto recs = read_all("ok,fine\nshort,0123456789abcdefXYZ,z\nnext,row\n", 16);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].ok());
  REQUIRE(recs[1].oversized.has_value());
  CHECK(*recs[1].oversized == 1);
  CHECK(recs[1].fields.size() == 3);
  CHECK(recs[2].ok());
  CHECK(recs[2].line == 3);
}

TEST_CASE("a line of very many short fields is cut off as one overlong record", "[csv]") {
  auto recs = read_all("a,b\n" + std::string(100, ',') + "\nc,d\n", 16, 32);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].ok());
  CHECK(recs[1].overlong);
  CHECK(recs[1].fields.empty());
  CHECK(recs[2].fields == std::vector<std::string>{"c", "d"});
  CHECK(recs[2].line == 3);
}

TEST_CASE("an unterminated quote is reported on the record where it starts", "[csv]") {
  auto recs = read_all("a,b\n\"open,c\nmore\n");
  REQUIRE(recs.size() == 2);
  CHECK(recs[1].unterminated);
  CHECK(recs[1].line == 2);
}

TEST_CASE("records spanning the read block boundary are read whole and the hash covers every byte", "[csv]") {
  std::string text = "id,payload\n";
  for (int i = 0; i < 3000; ++i) text += std::to_string(i) + ",\"line one\nline, two " + std::string(20, 'x') + "\"\n";
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord r;
  std::size_t n = 0;
  std::size_t wrong = 0;
  std::uint64_t last_line = 0;
  while (reader.next(r)) {
    const bool expected = n == 0 ? r.fields.size() == 2 && r.fields[0] == "id"
                                 : r.fields.size() == 2 && r.fields[0] == std::to_string(n - 1) &&
                                       r.fields[1].substr(0, 16) == "line one\nline, t";
    if (!expected) ++wrong;
    last_line = r.line;
    ++n;
  }
  CHECK(wrong == 0);
  CHECK(n == 3001);
  CHECK(last_line == 2 + 2 * 2999);
  CHECK(reader.bytes() == text.size());
  CHECK(reader.sha256() == flexrecon::sha256_hex(text));
}

TEST_CASE("a CSV saved by Excel in Windows-1252 is read as UTF-8 text") {
  std::istringstream in(std::string("user,host\nCORP\\M\xFC" "ller,WS-1\n"));
  CsvReader reader(in);
  CsvRecord rec;
  REQUIRE(reader.next(rec));
  REQUIRE(reader.next(rec));
  CHECK(rec.fields[0] == "CORP\\M\xC3\xBCller");
}
