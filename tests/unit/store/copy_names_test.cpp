#include <catch2/catch.hpp>

#include "store/copy_names.h"

using namespace flexrecon;

TEST_CASE("a copy's custody names are its twin's under the copy's path, members and nested members included") {
  CHECK(name_under("a.zip", "a.zip", "b.zip") == "b.zip");
  CHECK(name_under("a.zip!ws-0104/Security.xml", "a.zip", "b.zip") == "b.zip!ws-0104/Security.xml");
  CHECK(name_under("a.zip!inner.tar!x.xml", "a.zip", "b.zip") == "b.zip!inner.tar!x.xml");
  // Another file's name, or one the path only begins: unchanged.
  CHECK(name_under("a.zip.bak", "a.zip", "b.zip") == "a.zip.bak");
  CHECK(name_under("other.xml", "a.zip", "b.zip") == "other.xml");
}

TEST_CASE("member names mentioned in a reason are renamed, and a longer name ending like the path is not") {
  std::string reason = "archive not read beyond over-expanding member a.zip!data.zip!big.xml";
  rename_member_mentions(reason, "a.zip", "b.zip");
  CHECK(reason == "archive not read beyond over-expanding member b.zip!data.zip!big.xml");
  std::string two = "a.zip!x.xml and 'a.zip!y.xml' (a.zip!z.xml)";
  rename_member_mentions(two, "a.zip", "b.zip");
  CHECK(two == "b.zip!x.xml and 'b.zip!y.xml' (b.zip!z.xml)");
  std::string untouched = "member data.zip!m of another archive";
  rename_member_mentions(untouched, "a.zip", "b.zip");
  CHECK(untouched == "member data.zip!m of another archive");
}
