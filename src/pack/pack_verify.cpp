// `flexrecon verify`: re-checks a pack against its manifest. The fixed files of the pack must be
// there whatever the manifest says; every file the manifest lists (the dossier's exhibit and
// appendix pages included) must have its SHA-256 and size; nothing unlisted may be anywhere in the
// pack; and every page a dossier page links to must be a file the manifest lists.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "flexrecon/pack.h"
#include "pack/dossier_links.h"
#include "pack/manifest.h"
#include "util/sha256.h"

namespace flexrecon {

namespace fs = std::filesystem;

namespace {

bool is_pack_file(const std::string& name) {
  const auto names = pack_file_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A name the manifest may hold: a relative path inside the pack, `/`-separated, with no `.`, `..`
// or empty component. Anything else could point the check outside the pack.
bool is_valid_file_name(const std::string& name) {
  if (name.empty() || name == kManifestName || name.front() == '/' ||
      name.find_first_of(std::string("\\\0", 2)) != std::string::npos)
    return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string part = name.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

bool is_html(const std::string& name) { return name.size() > 5 && name.compare(name.size() - 5, 5, ".html") == 0; }

// Pages are read whole to check their links; the dossier never writes one near this size.
constexpr std::uint64_t kMaxPageBytes = 64ull << 20;

}  // namespace

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
  std::vector<std::string> folders;
  try {
    for (const PackEntry& e : pack_entries(pack_dir, &folders)) present[e.name] = e.entry;
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
    if (!is_valid_file_name(name)) {
      problems.push_back(std::string(kManifestName) + ": invalid file name '" + name + "'");
      continue;
    }
    listed[name] = &f;
  }
  for (const std::string& name : pack_file_names())
    if (name != kManifestName && present.count(name) && !listed.count(name))
      problems.push_back(std::string(kManifestName) + " does not list " + name);

  std::map<std::string, std::vector<std::string>> links;  // page -> pack files it links to
  for (const auto& [name, entry] : listed) {
    auto it = present.find(name);
    if (it == present.end()) {
      if (!is_pack_file(name)) problems.push_back("missing file: " + name);  // required ones said so above
      continue;
    }
    if (it->second.is_symlink(ec) || !it->second.is_regular_file(ec)) {
      problems.push_back("not a regular file: " + name);
      continue;
    }
    std::uint64_t size = 0;
    std::string hash;
    try {
      if (is_html(name) && fs::file_size(it->second.path()) <= kMaxPageBytes) {
        std::ifstream in(it->second.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) throw std::runtime_error("cannot read it");
        const std::string page = bytes.str();
        size = page.size();
        hash = sha256_hex(page);
        links[name] = linked_pack_files(page, name);
      } else {
        if (is_html(name)) problems.push_back("page too large to check its links: " + name);
        hash = sha256_file(it->second.path().string(), &size);
      }
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
  // An empty folder is no file, but nothing the tool writes: it was added, or emptied. (A folder
  // holding files is accounted for by its files.)
  std::string reported;  // an empty tree is one problem, named by its top folder
  for (const std::string& folder : folders) {
    if (!reported.empty() && folder.rfind(reported + "/", 0) == 0) continue;
    auto it = present.lower_bound(folder + "/");
    if (it == present.end() || it->first.compare(0, folder.size() + 1, folder + "/") != 0) {
      problems.push_back("unexpected folder: " + folder);
      reported = folder;
    }
  }
  // A page removed together with its manifest entry passes every check above but this one.
  for (const auto& [page, targets] : links)
    for (const std::string& target : targets) {
      if (target.rfind("outside:", 0) == 0)
        problems.push_back("link out of the pack: " + page + " -> " + target.substr(8));
      else if (!listed.count(target) && !is_pack_file(target))  // the fixed files are checked above
        problems.push_back("broken link: " + page + " -> " + target + " (not in the manifest)");
    }
  return check;
}

}  // namespace flexrecon
