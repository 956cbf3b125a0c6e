#include "pack/dossier_list_rows.h"

#include <utility>

namespace flexrecon {

DossierListRows::DossierListRows(DossierTemplates& templates, std::string row_template, std::size_t inline_budget)
    : templates_(templates), row_template_(std::move(row_template)), budget_(inline_budget) {}

void DossierListRows::put(std::size_t position, kainjow::mustache::data row) {
  if (position >= appendix_.size()) appendix_.resize(position + 1);
  // Links in a row are relative to the page that shows it.
  row.set("root", std::string("../"));
  appendix_[position] = templates_.render(row_template_, row);
  ++rows_;
  if (over_budget_) return;
  row.set("root", std::string());
  std::string html = templates_.render(row_template_, row);
  inline_bytes_ += html.size();
  if (inline_bytes_ > budget_) {
    over_budget_ = true;
    std::vector<std::string>().swap(inline_);
    return;
  }
  if (position >= inline_.size()) inline_.resize(position + 1);
  inline_[position] = std::move(html);
}

void DossierListRows::clear() {
  std::vector<std::string>().swap(inline_);
  std::vector<std::string>().swap(appendix_);
}

std::size_t DossierListRows::held_bytes() const {
  std::size_t bytes = 0;
  for (const std::string& html : inline_) bytes += html.size();
  for (const std::string& html : appendix_) bytes += html.size();
  return bytes;
}

}  // namespace flexrecon
