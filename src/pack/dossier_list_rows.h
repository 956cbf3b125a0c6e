// The rows of one list of the dossier's index (sources, evidence requests, conflicts, charges left
// open, notes, the index of exhibits), kept as rendered HTML from the moment each row is known.
//
// A row's template data (kainjow objects holding every key a user's row template may show) costs
// kilobytes a row; its HTML a few hundred bytes. Where the row is shown is known only once the whole
// list is in: in dossier.html when the list fits its budget there, else on appendix pages, and a row
// links relative to the page that shows it (`root` is "" in dossier.html, "../" on an appendix page).
// So each row is rendered for both places, and the dossier.html forms are kept only while their sum
// is within the budget: past it the list is bound for appendix pages, and those forms are freed and
// no longer rendered. What a list holds is its appendix forms plus at most `budget` bytes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "pack/dossier_templates.h"

namespace flexrecon {

class DossierListRows {
 public:
  // `row_template`: the template a row is rendered with (`rows/<list>.mustache`); `inline_budget`:
  // the bytes of rows dossier.html shows before the list moves to appendix pages.
  DossierListRows(DossierTemplates& templates, std::string row_template, std::size_t inline_budget);

  // Renders the row at `position` (0, 1, ...: rows may come in any order, each position once) for
  // both places. Throws Error::input naming the row template when it is missing or does not parse.
  void put(std::size_t position, kainjow::mustache::data row);
  // The same at the next position.
  void add(kainjow::mustache::data row) { put(rows_, std::move(row)); }

  std::size_t size() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  // True when every row's dossier.html form fits the budget: the list is shown in dossier.html.
  bool fits_inline() const { return !over_budget_; }
  // The rows' HTML for dossier.html (only while fits_inline()), and for appendix pages, by position.
  std::vector<std::string>& inline_html() { return inline_; }
  std::vector<std::string>& appendix_html() { return appendix_; }

  // The bytes of HTML held (both forms, counted row by row); the dossier.html forms never pass the
  // budget.
  std::size_t held_bytes() const;
  // Frees every row (the list is on its pages).
  void clear();

 private:
  DossierTemplates& templates_;
  std::string row_template_;
  std::size_t budget_;
  std::size_t rows_ = 0;
  bool over_budget_ = false;
  std::size_t inline_bytes_ = 0;  // of the dossier.html forms rendered
  std::vector<std::string> inline_, appendix_;
};

}  // namespace flexrecon
