// The dossier's templates folder (templates/): the user's own files, read once per pack. Pages
// (`dossier.html.mustache`, `exhibit-page.html.mustache`, `appendix-page.html.mustache`) see the
// inlined stylesheet `{{{css}}}` and every `partials/<name>.mustache` as `{{> partials/<name>}}`;
// fragments (`partials/exhibit.mustache`, `rows/<list>.mustache`) are rendered one exhibit or one
// table row at a time, so the dossier can measure them and spread them over pages.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <kainjow/mustache.hpp>

namespace flexrecon {

class DossierTemplates {
 public:
  // Reads the stylesheet and the partials. Throws Error::input naming the file when one is missing.
  explicit DossierTemplates(const std::string& dir);

  // Renders the template `name` (relative to the folder) with `data` over the stylesheet and the
  // partials. Throws Error::input naming the file when it is missing or does not parse.
  std::string render(const std::string& name, const kainjow::mustache::data& data);

 private:
  kainjow::mustache::mustache& compiled(const std::string& name);

  std::filesystem::path dir_;
  kainjow::mustache::data shared_;  // css and partials
  std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> compiled_;
};

}  // namespace flexrecon
