#include "pack/manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "flexrecon/error.h"
#include "flexrecon/pack.h"
#include "util/sha256.h"
#include "util/strings.h"
#include "util/tz_database.h"

namespace flexrecon {

namespace fs = std::filesystem;

namespace {

const char* kind_name(SourceKind k) {
  static const char* names[] = {"metering", "events", "inventory", "identities", "rules"};
  return names[static_cast<int>(k)];
}

std::string dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// A top-level array of `dump`'s document, written an element at a time: a case of thousands of
// inputs and pages held as one nlohmann document took ~2 KB an entry (20 MB at 2,000 hosts) for a
// text of ~300 bytes. Each element is nlohmann's own text for it, indented as the document
// indents its arrays' elements (strings hold no raw line break: nlohmann escapes them), so the
// bytes are those of the whole document dumped at once.
class ArrayText {
 public:
  void add(const nlohmann::json& element) {
    text_ += text_.empty() ? "[\n    " : ",\n    ";
    for (const char c : dump(element)) {
      if (c == '\n') {
        text_ += "\n    ";
        continue;
      }
      text_ += c;
    }
    text_.resize(text_.size() - 5);  // dump's final line break, and the indent added after it
  }
  // The array as `dump` writes it at the document's first level.
  std::string finish() { return text_.empty() ? "[]" : std::move(text_) + "\n  ]"; }

 private:
  std::string text_;
};

// `document` dumped, with the value of its first-level key `key` (an empty array in `document`)
// replaced by `array` (ArrayText::finish).
void splice_array(std::string& document, const std::string& key, const std::string& array) {
  const std::string placeholder = "\n  \"" + key + "\": []";
  const std::size_t at = document.find(placeholder);
  if (at == std::string::npos) throw Error::internal("manifest.json: no '" + key + "' in the document");
  document.replace(at + placeholder.size() - 2, 2, array);
}

// Names as findings.csv, rejects.csv and evidence.sqlite show them: bytes that are not UTF-8 (a
// file name in another encoding) become U+FFFD the same way everywhere.
std::string utf8(const std::string& s) { return is_valid_utf8(s) ? s : repair_utf8(s); }

}  // namespace

std::vector<PackEntry> pack_entries(const std::string& pack_dir, std::vector<std::string>* folders) {
  std::vector<PackEntry> entries;
  const fs::path dir(pack_dir);
  // Symbolic links are listed, never followed: a pack holds files, and a link out of it is a problem
  // verify reports, not a way to hash something else.
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().lexically_relative(dir).generic_string();
    if (it->is_directory() && !it->is_symlink()) {
      if (folders) folders->push_back(name);
      continue;
    }
    if (name != kManifestName) entries.push_back({name, *it});
  }
  std::sort(entries.begin(), entries.end(), [](const PackEntry& a, const PackEntry& b) { return a.name < b.name; });
  if (folders) std::sort(folders->begin(), folders->end());
  return entries;
}

std::string manifest_json(const ReconcileResult& result, const std::string& pack_dir) {
  nlohmann::json j;
  j["tool"] = "flexrecon";
  j["version"] = FLEXRECON_VERSION;
  nlohmann::json command_line = nlohmann::json::array();
  for (const std::string& arg : result.options.command_line) command_line.push_back(utf8(arg));
  j["command_line"] = command_line;
  j["rules_hash"] = result.rules.hash;
  // The zone history used for local times (--billing-tz, --metering-tz, --events-tz, rules' zones).
  j["tzdata"] = tz_database_version();
  j["as_of"] = result.options.as_of.empty() ? nlohmann::json() : nlohmann::json(result.options.as_of);
  ArrayText inputs;
  for (const SourceFile& f : result.sources.all()) {
    // A file that could not be read to its end has no hash to vouch for it: its error says why.
    nlohmann::json entry = {{"name", utf8(f.name)}, {"kind", kind_name(f.kind)}, {"format", f.format},
                            {"sha256", f.sha256.empty() ? nlohmann::json() : nlohmann::json(f.sha256)},
                            {"size", f.size}};
    if (!f.error.empty()) entry["error"] = utf8(f.error);
    inputs.add(entry);
  }
  ArrayText files;
  for (const PackEntry& e : pack_entries(pack_dir)) {
    std::uint64_t size = 0;
    const std::string hash = sha256_file(e.entry.path().string(), &size);
    files.add({{"name", e.name}, {"sha256", hash}, {"size", size}});
  }
  // The arrays take their places in the document (its keys in nlohmann's order) as it is written.
  j["inputs"] = nlohmann::json::array();
  j["files"] = nlohmann::json::array();
  std::string document = dump(j);
  splice_array(document, "files", files.finish());
  splice_array(document, "inputs", inputs.finish());
  return document;
}

}  // namespace flexrecon
