// The dossier for legal review, rendered with mustache from the user-editable templates folder.
// `dossier.html` is the index: cover, summary, money, method, sources with their hashes, coverage
// and evidence requests, conflicts, charges left open, and one line per exhibit linking to it. The
// exhibits themselves are on linked pages, `exhibits/<rule>.<host>[.<part>].html`, one page per
// rule and machine. A list too long for the index (the sources of a large archive, thousands of
// evidence requests...) is summarised there and given in full on `appendix/<list>-<part>.html`.
// Every page is self-contained (inline stylesheet and SVG), printable, and links back to the index.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "flexrecon/pack.h"
#include "flexrecon/reconcile.h"

namespace flexrecon {

struct DossierLimits {
  // No page is larger, whatever the case: lists and exhibits are spread over more pages instead.
  // (A single exhibit is never split; its evidence table is capped so it stays far below this.)
  std::size_t page_bytes = 3'000'000;
  // Rows of the exhibit index shown in dossier.html; past this the index moves to appendix pages.
  std::size_t exhibit_index_bytes = 1'600'000;
  // Each other list shown in dossier.html (sources, evidence requests, conflicts, charges left
  // open, notes); past this it is summarised and moves to appendix pages. Together with the index
  // of exhibits this keeps dossier.html under page_bytes.
  std::size_t list_bytes = 200'000;
  // The exhibits themselves stay in dossier.html, after their index, while together they take at
  // most this (SPEC 4: one file); past it every exhibit goes to the exhibit pages. Exhibits this
  // small have an index of a few hundred rows: with the five other lists at their bound, the page
  // stays under page_bytes.
  std::size_t inline_exhibits_bytes = kInlineExhibitsBytes;
};

// Called once per page: its path in the pack (`/`-separated) and its HTML. Exhibit pages come
// first, then appendix pages, then dossier.html.
using DossierPageSink = std::function<void(const std::string& path, const std::string& html)>;

class EvidenceIndex;

// Throws Error::input naming the template file when one is missing or does not parse. `index`: the
// pack's index of `result`'s references when the caller has one (write_pack builds it once for the
// dossier and the evidence store), else the dossier builds its own.
void render_dossier(const ReconcileResult& result, const std::string& templates_dir, const DossierPageSink& sink,
                    const DossierLimits& limits = {}, const EvidenceIndex* index = nullptr);

struct DossierPage {
  std::string path;
  std::string html;
};
// Every page, in the order render_dossier gives them.
std::vector<DossierPage> render_dossier_pages(const ReconcileResult& result, const std::string& templates_dir,
                                              const DossierLimits& limits = {});

}  // namespace flexrecon
