#include "pack/manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "flexrecon/pack.h"
#include "util/sha256.h"
#include "util/strings.h"

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

// Names as findings.csv, rejects.csv and evidence.sqlite show them: bytes that are not UTF-8 (a
// file name in another encoding) become U+FFFD the same way everywhere.
std::string utf8(const std::string& s) { return is_valid_utf8(s) ? s : repair_utf8(s); }

// The pack is flat: every entry but the manifest, by name. Sorted so the manifest is stable.
std::vector<fs::directory_entry> pack_entries(const fs::path& dir) {
  std::vector<fs::directory_entry> entries;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != kManifestName) entries.push_back(e);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

bool is_pack_file(const std::string& name) {
  const auto names = pack_file_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string manifest_json(const ReconcileResult& result, const std::string& pack_dir) {
  nlohmann::json j;
  j["tool"] = "flexrecon";
  j["version"] = FLEXRECON_VERSION;
  nlohmann::json command_line = nlohmann::json::array();
  for (const std::string& arg : result.options.command_line) command_line.push_back(utf8(arg));
  j["command_line"] = command_line;
  j["rules_hash"] = result.rules.hash;
  j["as_of"] = result.options.as_of.empty() ? nlohmann::json() : nlohmann::json(result.options.as_of);
  nlohmann::json inputs = nlohmann::json::array();
  for (const SourceFile& f : result.sources.all()) {
    // A file that could not be read to its end has no hash to vouch for it: its error says why.
    nlohmann::json entry = {{"name", utf8(f.name)}, {"kind", kind_name(f.kind)}, {"format", f.format},
                            {"sha256", f.sha256.empty() ? nlohmann::json() : nlohmann::json(f.sha256)},
                            {"size", f.size}};
    if (!f.error.empty()) entry["error"] = utf8(f.error);
    inputs.push_back(std::move(entry));
  }
  j["inputs"] = inputs;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& e : pack_entries(pack_dir)) {
    std::uint64_t size = 0;
    const std::string hash = sha256_file(e.path().string(), &size);
    files.push_back({{"name", e.path().filename().string()}, {"sha256", hash}, {"size", size}});
  }
  j["files"] = files;
  return dump(j);
}

PackCheck verify_pack(const std::string& pack_dir) {
  PackCheck check;
  auto& problems = check.problems;
  const fs::path dir(pack_dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems.push_back("'" + pack_dir + "' is not a pack folder");
    return check;
  }

  // The files a pack must hold are fixed by the tool, not by the manifest: deleting a file together
  // with its manifest entry must not make a pack pass.
  std::map<std::string, fs::directory_entry> present;
  try {
    for (const auto& e : pack_entries(dir)) present[e.path().filename().string()] = e;
  } catch (const fs::filesystem_error& e) {
    problems.push_back(std::string("cannot list '") + pack_dir + "': " + e.what());
    return check;
  }
  for (const std::string& name : pack_file_names())
    if (name != kManifestName && !present.count(name)) problems.push_back("missing file: " + name);

  // The manifest is hashed from the very bytes that are then checked, so the figure printed is the
  // figure of the manifest the pack was verified against.
  const fs::path manifest_path = dir / kManifestName;
  std::string text;
  {
    std::ifstream in(manifest_path, std::ios::binary);
    if (!in) {
      problems.push_back("missing " + std::string(kManifestName));
      return check;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    text = bytes.str();
  }
  check.manifest_sha256 = sha256_hex(text);
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("files") ||
      !manifest["files"].is_array()) {
    problems.push_back(std::string(kManifestName) + " is not a flexrecon manifest");
    return check;
  }

  std::map<std::string, const nlohmann::json*> listed;
  for (const nlohmann::json& f : manifest["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("sha256") ||
        !f["sha256"].is_string()) {
      problems.push_back(std::string(kManifestName) + ": malformed file entry");
      continue;
    }
    const std::string name = f["name"].get<std::string>();
    // Names are plain file names: anything else could point the check outside the pack.
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\\') != std::string::npos || name == kManifestName) {
      problems.push_back(std::string(kManifestName) + ": invalid file name '" + name + "'");
      continue;
    }
    listed[name] = &f;
  }
  for (const std::string& name : pack_file_names())
    if (name != kManifestName && present.count(name) && !listed.count(name))
      problems.push_back(std::string(kManifestName) + " does not list " + name);

  for (const auto& [name, entry] : listed) {
    auto it = present.find(name);
    if (it == present.end()) {
      if (!is_pack_file(name)) problems.push_back("missing file: " + name);  // required ones said so above
      continue;
    }
    if (!it->second.is_regular_file(ec)) {
      problems.push_back("not a regular file: " + name);
      continue;
    }
    std::uint64_t size = 0;
    std::string hash;
    try {
      hash = sha256_file(it->second.path().string(), &size);
    } catch (const std::exception& e) {
      problems.push_back("unreadable file: " + name + " (" + e.what() + ")");
      continue;
    }
    if (hash != (*entry)["sha256"].get<std::string>())
      problems.push_back("modified file: " + name + " (sha256 " + hash + ", manifest says " +
                         (*entry)["sha256"].get<std::string>() + ")");
    else if (entry->contains("size") && (*entry)["size"].is_number_unsigned() &&
             (*entry)["size"].get<std::uint64_t>() != size)
      problems.push_back("modified file: " + name + " (size " + std::to_string(size) + ")");
  }
  for (const auto& [name, entry] : present)
    if (!listed.count(name) && !is_pack_file(name)) problems.push_back("unexpected file: " + name);
  return check;
}

}  // namespace flexrecon
