// read_rules_folder: the catalog, the rate sheet and the settings a run judges with (SPEC 1.4).
#include <filesystem>
#include <iterator>
#include <set>
#include <sstream>

#include "flexrecon/error.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "util/csv_reader.h"
#include "tables/rules_files.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace flexrecon {

namespace {
constexpr std::uint64_t kMaxRulesFileBytes = 16u << 20;
}

std::string read_rules_file(const std::string& path, const std::string& what) {
  std::ifstream in = open_table(path, what);
  std::string text;
  char block[64 * 1024];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRulesFileBytes) throw Error::input(path + ": larger than 16 MiB; not a rules file");
  }
  if (in.bad()) throw Error::input("cannot read " + what + " '" + path + "'");
  return text;
}

ProductCatalog parse_products(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  if (!reader.next(record)) throw Error::input(file + ": empty product catalog (expected a header line)");
  ColumnMap columns(record.fields);
  const auto code_col = columns.claim({"code"});
  const auto name_col = columns.claim({"name"});
  const auto family_col = columns.claim({"family"});
  const auto aliases_col = columns.claim({"aliases"});
  const auto key_col = columns.claim({"product_key"});
  if (!code_col) throw Error::input(file + ":" + std::to_string(record.line) + ": no 'code' column");
  if (!name_col) throw Error::input(file + ":" + std::to_string(record.line) + ": no 'name' column");

  ProductCatalog catalog;
  std::set<std::string> codes;
  while (reader.next(record)) {
    const std::string where = file + ":" + std::to_string(record.line);
    if (std::string why = columns.check(record); !why.empty()) throw Error::input(where + ": " + why);
    Product p;
    p.code = std::string(trim(record.fields[*code_col]));
    p.name = std::string(trim(record.fields[*name_col]));
    if (p.code.empty()) throw Error::input(where + ": empty code");
    if (p.name.empty()) throw Error::input(where + ": empty name for " + p.code);
    if (!codes.insert(to_lower(p.code)).second) throw Error::input(where + ": product code " + p.code + " listed twice");
    // A product without a family is its own family: it has no cheaper sibling.
    p.family = family_col ? std::string(trim(record.fields[*family_col])) : std::string();
    if (p.family.empty()) p.family = p.name;
    if (aliases_col) {
      for (const std::string& alias : split(record.fields[*aliases_col], '|')) {
        if (!trim(alias).empty()) p.aliases.emplace_back(trim(alias));
      }
    }
    if (key_col) p.product_key = std::string(trim(record.fields[*key_col]));
    catalog.add(std::move(p));
  }
  return catalog;
}

RulesFolder read_rules_folder(const std::string& dir, SourceTable& sources) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error::input("rules folder '" + dir + "' is not a directory");

  RulesFolder rules;
  rules.dir = dir;
  // Files in name order: that order is also the order of the hash.
  struct Part {
    std::string name;
    bool required;
    std::string format;
  };
  const Part parts[] = {{"products.csv", true, "products-csv"},
                        {"rates.csv", true, "rates-csv"},
                        {"settings.ini", false, "settings-ini"}};
  Sha256 hash;
  for (const Part& part : parts) {
    const std::string path = (fs::path(dir) / part.name).string();
    if (!part.required && !fs::exists(path, ec)) continue;  // settings.ini absent: the SPEC defaults
    const std::string text = read_rules_file(path, "rules file");
    if (part.name == "products.csv") rules.catalog = parse_products(text, path);
    if (part.name == "rates.csv") rules.rates = parse_rates(text, path);
    if (part.name == "settings.ini") rules.settings = parse_settings(text, path);
    // name, NUL, length, NUL, bytes: no two different folders hash alike by moving bytes between files.
    hash.update(part.name);
    hash.update(std::string_view("\0", 1));
    hash.update(std::to_string(text.size()));
    hash.update(std::string_view("\0", 1));
    hash.update(text);
    sources.add(SourceFile{path, SourceKind::Rules, part.format, sha256_hex(text), text.size(), ""});
  }
  rules.hash = hash.hex_digest();
  return rules;
}

}  // namespace flexrecon
