#include "pack/dossier_templates.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "flexrecon/error.h"

namespace flexrecon {

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;

namespace {

std::string read_template(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::input("cannot read dossier template '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

DossierTemplates::DossierTemplates(const std::string& dir) : dir_(dir) {
  // The stylesheet is the user's own file, inlined so every page opens with no network.
  shared_.set("css", read_template(dir_ / "dossier.css"));
  std::error_code ec;
  std::vector<fs::path> partials;
  for (fs::directory_iterator it(dir_ / "partials", ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".mustache") partials.push_back(it->path());
  std::sort(partials.begin(), partials.end());
  for (const fs::path& p : partials) {
    const std::string text = read_template(p);
    // Registered as `partials/<name>` so a partial can never shadow a data key of the same name.
    shared_.set("partials/" + p.stem().string(), kainjow::mustache::partial([text] { return text; }));
  }
}

mustache& DossierTemplates::compiled(const std::string& name) {
  auto it = compiled_.find(name);
  if (it != compiled_.end()) return *it->second;
  auto tmpl = std::make_unique<mustache>(read_template(dir_ / name));
  if (!tmpl->is_valid())
    throw Error::input("dossier template '" + (dir_ / name).string() + "': " + tmpl->error_message());
  return *compiled_.emplace(name, std::move(tmpl)).first->second;
}

std::string DossierTemplates::render(const std::string& name, const data& page) {
  mustache& tmpl = compiled(name);
  kainjow::mustache::context<std::string> ctx(&shared_);
  ctx.push(&page);  // the page's own keys first, then the stylesheet and partials
  std::string html = tmpl.render(ctx);
  if (!tmpl.is_valid())
    throw Error::input("dossier template '" + (dir_ / name).string() + "': " + tmpl.error_message());
  return html;
}

}  // namespace flexrecon
