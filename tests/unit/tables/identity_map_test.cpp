#include <catch2/catch.hpp>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"

using namespace flexrecon;

TEST_CASE("metering users are matched case-insensitively as written and mapped to normalised accounts", "[identities]") {
  test::TempDir dir;
  SourceTable sources;
  Rejects rejects;
  const std::string path = dir.write("ids.csv",
                                     "metering_user,windows_account\r\n"
                                     "John.Doe@Corp.Example,CORP\\JDoe\r\n"
                                     "mary@corp.example,mschmidt@corp.example\r\n");
  const IdentityMap map = read_identity_map(path, sources, rejects);
  CHECK(rejects.empty());
  CHECK(map.size() == 2);
  CHECK(map.resolve("john.doe@corp.example") == "jdoe");
  CHECK(map.resolve("JOHN.DOE@CORP.EXAMPLE") == "jdoe");
  CHECK(map.resolve("MARY@corp.example") == "mschmidt");
  // Without an entry the account name itself is the match.
  CHECK(map.resolve("CORP\\Other") == "other");
  CHECK(map.resolve("") == "");
  REQUIRE(sources.all().size() == 1);
  CHECK(sources.all()[0].kind == SourceKind::Identities);
  CHECK(sources.all()[0].sha256.size() == 64);
}

TEST_CASE("bad identity rows are rejected alone with their line", "[identities]") {
  test::TempDir dir;
  SourceTable sources;
  Rejects rejects;
  const std::string path = dir.write("ids.csv",
                                     "metering_user,windows_account\n"
                                     "a@x,CORP\\a\n"
                                     "only-one-field\n"
                                     "b@x,\n"
                                     "A@X,CORP\\zz\n"
                                     "a@x,corp\\A\n"
                                     "c@x,c\n");
  const IdentityMap map = read_identity_map(path, sources, rejects);
  REQUIRE(rejects.size() == 3);
  CHECK(rejects[0].location == "line 3");
  CHECK(rejects[0].reason == "expected 2 fields, found 1");
  CHECK(rejects[1].location == "line 4");
  CHECK(rejects[1].reason == "empty windows_account for 'b@x'");
  CHECK(rejects[2].location == "line 5");
  CHECK(rejects[2].reason == "conflicting mapping for 'A@X': already mapped to 'a' on line 2");
  CHECK(map.resolve("a@x") == "a");
  CHECK(map.resolve("c@x") == "c");
}

TEST_CASE("an identity map without a header maps its first line too", "[identities]") {
  test::TempDir dir;
  SourceTable sources;
  Rejects rejects;
  const IdentityMap map = read_identity_map(dir.write("ids.csv", "jd@corp.example,CORP\\jdoe\n"), sources, rejects);
  CHECK(map.resolve("JD@corp.example") == "jdoe");
}

TEST_CASE("an identity map that cannot be opened is an input error", "[identities]") {
  test::TempDir dir;
  SourceTable sources;
  Rejects rejects;
  CHECK_THROWS_AS(read_identity_map(dir.file("missing.csv"), sources, rejects), Error);
}
