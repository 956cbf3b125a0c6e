#include <catch2/catch.hpp>

#include <string>

#include "flexrecon/error.h"
#include "pack/dossier_list_rows.h"
#include "pack/dossier_templates.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;
using kainjow::mustache::data;

namespace {

// A line of the index of exhibits, as the dossier makes it.
data exhibit_line(std::size_t number) {
  data row;
  row.set("number", std::to_string(number));
  row.set("id", "F" + std::to_string(number));
  row.set("href", "exhibits/background.ws-1.html#exhibit-F" + std::to_string(number));
  row.set("rule", std::string("background"));
  row.set("host", std::string("WS-1"));
  row.set("user", std::string("CORP\\jdoe"));
  row.set("start", std::string("2026-01-14T13:53:26Z"));
  row.set("tokens_challenged", std::string("7.0"));
  return row;
}

}  // namespace

TEST_CASE("a list within its budget has each row linked from dossier.html and from an appendix page, by position",
          "[pack][dossier]") {
  DossierTemplates templates(templates_dir());
  DossierListRows rows(templates, "rows/exhibit-index.mustache", 100'000);
  // The dossier puts exhibit lines page by page, not in exhibit order.
  rows.put(2, exhibit_line(3));
  rows.put(0, exhibit_line(1));
  rows.put(1, exhibit_line(2));
  REQUIRE(rows.size() == 3);
  CHECK(rows.fits_inline());
  REQUIRE(rows.inline_html().size() == 3);
  REQUIRE(rows.appendix_html().size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string id = "F" + std::to_string(i + 1);
    INFO(id);
    CHECK(rows.inline_html()[i].find("<a href=\"exhibits/background.ws-1.html#exhibit-" + id + "\">" + id + "</a>") !=
          std::string::npos);
    CHECK(rows.appendix_html()[i].find("<a href=\"../exhibits/background.ws-1.html#exhibit-" + id + "\">" + id +
                                       "</a>") != std::string::npos);
  }
  std::size_t bytes = 0;
  for (const std::string& html : rows.inline_html()) bytes += html.size();
  for (const std::string& html : rows.appendix_html()) bytes += html.size();
  CHECK(rows.held_bytes() == bytes);
  rows.clear();
  CHECK(rows.held_bytes() == 0);
  CHECK(rows.inline_html().empty());
  CHECK(rows.appendix_html().empty());
  CHECK(rows.size() == 3);  // the index still says how many there were
}

TEST_CASE("a list past its budget holds its appendix rows and never more than the budget of dossier.html rows",
          "[pack][dossier]") {
  DossierTemplates templates(templates_dir());
  constexpr std::size_t kBudget = 5'000;
  DossierListRows rows(templates, "rows/exhibit-index.mustache", kBudget);
  std::size_t appendix_bytes = 0;
  for (std::size_t n = 1; n <= 500; ++n) {
    rows.add(exhibit_line(n));
    appendix_bytes += rows.appendix_html().back().size();
    INFO(n);
    REQUIRE(rows.held_bytes() >= appendix_bytes);
    REQUIRE(rows.held_bytes() - appendix_bytes <= kBudget);
  }
  CHECK_FALSE(rows.fits_inline());
  CHECK(rows.inline_html().empty());
  CHECK(rows.held_bytes() == appendix_bytes);
  REQUIRE(rows.appendix_html().size() == 500);
  CHECK(rows.appendix_html()[499].find("<a href=\"../exhibits/background.ws-1.html#exhibit-F500\">") != std::string::npos);
}

TEST_CASE("a list whose row template is missing names the file", "[pack][dossier]") {
  DossierTemplates templates(templates_dir());
  DossierListRows rows(templates, "rows/no-such-list.mustache", 1'000);
  try {
    rows.add(exhibit_line(1));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InputUnusable);
    CHECK(std::string(e.what()).find("no-such-list.mustache") != std::string::npos);
  }
}
