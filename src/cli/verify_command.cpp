// `flexrecon verify PACK`: re-check a pack against its manifest.
#include <iostream>

#include "cli/commands.h"
#include "flexrecon/error.h"
#include "flexrecon/pack.h"

namespace flexrecon {

int run_verify_command(const std::vector<std::string>& args, const std::vector<std::string>&) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: flexrecon verify PACK\n\n"
                 "Re-checks an evidence pack against its manifest.json: the seven files of a pack are all\n"
                 "there, every file the manifest lists (the dossier's exhibit and appendix pages too) has the\n"
                 "recorded SHA-256 and size, no other file or empty folder is present anywhere in the pack,\n"
                 "and every page the dossier links to is listed. Prints the SHA-256 of manifest.json, the one figure to quote in a letter: it\n"
                 "vouches for every file of the pack and every input hash.\n"
                 "exit codes: 0 the pack verifies, 1 problems found (listed), 2 usage error\n";
    return 0;
  }
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-')
    throw Error::usage("verify takes exactly one PACK folder (see `flexrecon verify --help`)");
  const PackCheck check = verify_pack(args[0]);
  // Printed on failure too: whoever quoted the figure can see whether this is the manifest they quoted.
  if (!check.manifest_sha256.empty())
    std::cout << "manifest.json sha256: " << check.manifest_sha256 << "\n";
  if (check.ok()) {
    std::cout << "flexrecon: " << args[0] << ": pack verifies against its manifest\n";
    return 0;
  }
  for (const auto& p : check.problems) std::cout << args[0] << ": " << p << "\n";
  std::cout << "flexrecon: " << args[0] << ": " << check.problems.size() << " problem(s): the pack does NOT verify\n";
  return 1;
}

}  // namespace flexrecon
