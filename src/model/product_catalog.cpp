// ProductCatalog: from a display name as metering exports and ARP/SCCM inventories write it to a
// product of the catalog.
//
// Matching is exact after normalisation, never by prefix or substring: "AutoCAD 2025 Language Pack
// - English" and "Autodesk Material Library 2025" are not AutoCAD, and reading them as AutoCAD would
// put a product on a host that does not have it. Normalisation removes what varies between sources:
// case, repeated spaces, an `Autodesk ` prefix, one 4-digit year (optionally with an update number,
// `2025.1`), and a ` - Language` (or ` - including specialized toolsets`) suffix.
#include <algorithm>
#include <cctype>

#include "flexrecon/reference_data.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

std::string collapse_lower(std::string_view s) {
  std::string out;
  for (char c : trim(s)) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string strip_vendor(std::string s) {
  constexpr std::string_view kVendor = "autodesk ";
  if (s.size() > kVendor.size() && s.compare(0, kVendor.size(), kVendor) == 0) s.erase(0, kVendor.size());
  return s;
}

// `2025` or `2025.1`: a release year as products are named (1990-2099).
bool is_year_token(std::string_view t) {
  if (t.size() < 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  }
  if (!(t.substr(0, 2) == "19" || t.substr(0, 2) == "20")) return false;
  if (t.size() == 4) return true;
  if (t[4] != '.' || t.size() == 5) return false;
  for (std::size_t i = 5; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  }
  return true;
}

// Removes the last year token; returns it ("" when there is none).
std::string take_year(std::string& name) {
  std::vector<std::string> tokens = split(name, ' ');
  for (std::size_t i = tokens.size(); i-- > 0;) {
    if (is_year_token(tokens[i])) {
      std::string year = tokens[i].substr(0, 4);
      tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
      name = join(tokens, " ");
      return year;
    }
  }
  return "";
}

std::string catalog_key(std::string_view name) { return strip_vendor(collapse_lower(name)); }

// Lower-cased words: runs of ASCII letters and digits, or of non-ASCII bytes (a UTF-8 letter is
// never split). Everything else (space, `-`, `_`, `(`, `.`) separates words.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool contains_words(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

bool names_in(std::string_view display_name, std::string_view name) {
  return contains_words(words(display_name), words(name));
}

void ProductCatalog::add(Product p) {
  const std::size_t index = products_.size();
  spellings_.push_back(Spelling{catalog_key(p.name), p.name.size(), index});
  for (const std::string& alias : p.aliases) spellings_.push_back(Spelling{catalog_key(alias), alias.size(), index});
  for (const std::string& name : presence_names(p)) presence_words_.push_back(words(name));
  products_.push_back(std::move(p));
}

const Product* ProductCatalog::by_code(std::string_view code) const {
  const std::string_view c = trim(code);
  for (const Product& p : products_) {
    if (iequals(p.code, c)) return &p;
  }
  return nullptr;
}

const Product* ProductCatalog::match_name(std::string_view display_name, std::string* version) const {
  const std::string full = collapse_lower(display_name);
  if (full.empty()) return nullptr;

  // The whole name first (an alias may itself contain " - "), then without the last suffix, then
  // without everything after the first " - " ("AutoCAD - including specialized toolsets - English").
  std::vector<std::string> variants = {full};
  if (auto last = full.rfind(" - "); last != std::string::npos && last > 0) {
    variants.push_back(full.substr(0, last));
    if (auto first = full.find(" - "); first != last && first > 0) variants.push_back(full.substr(0, first));
  }

  for (const std::string& variant : variants) {
    std::string name = strip_vendor(variant);
    const std::string year = take_year(name);
    if (name.empty()) continue;
    // Equal keys from two products: the longer spelling as written in the catalog is the more
    // specific one; ties go to catalog order. Deterministic either way.
    const Product* best = nullptr;
    std::size_t best_len = 0;
    for (const Spelling& spelled : spellings_) {
      if (spelled.key == name && (best == nullptr || spelled.length > best_len)) {
        best = &products_[spelled.product];
        best_len = spelled.length;
      }
    }
    if (best != nullptr) {
      if (version != nullptr) *version = year;
      return best;
    }
  }
  return nullptr;
}

std::vector<const Product*> ProductCatalog::family_members(std::string_view family) const {
  std::vector<const Product*> out;
  for (const Product& p : products_) {
    if (!family.empty() && iequals(p.family, family)) out.push_back(&p);
  }
  return out;
}

std::vector<std::string> ProductCatalog::presence_names(const Product& p) const {
  std::vector<std::string> names = {p.name};
  names.insert(names.end(), p.aliases.begin(), p.aliases.end());
  if (!p.family.empty()) names.push_back(p.family);
  return names;
}

bool ProductCatalog::names_autodesk_product(std::string_view display_name) const {
  const std::vector<std::string> hay = words(display_name);
  if (!hay.empty() && hay.front() == "autodesk") return true;
  for (const std::vector<std::string>& needle : presence_words_) {
    if (contains_words(hay, needle)) return true;
  }
  return false;
}

}  // namespace flexrecon
