// The links between the pages of a pack, as `flexrecon verify` checks them: every page a dossier
// page links to must be a file the manifest lists, or the dossier would send its reader to an
// exhibit that was removed together with its manifest entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flexrecon {

// The pack files that the `href` and `src` attributes of an HTML page name, as paths relative to
// the pack (`/`-separated, `.` and `..` resolved against the folder of `page_path`), each once, in
// order of first appearance. Links to a place in the same page (`#...`) and links with a scheme
// (`https:`, `mailto:`...) are not pack files and are left out. A link that leaves the pack (an
// absolute path, or `..` above the pack) is returned as it was written, prefixed with `outside:`.
std::vector<std::string> linked_pack_files(std::string_view html, std::string_view page_path);

}  // namespace flexrecon
