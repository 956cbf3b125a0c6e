// `flexrecon verify PACK`: re-check a pack against its manifest.
#include <iostream>

#include "cli/commands.h"
#include "flexrecon/error.h"
#include "flexrecon/pack.h"

namespace flexrecon {

int run_verify_command(const std::vector<std::string>& args, const std::vector<std::string>&) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: flexrecon verify PACK\n\n"
                 "Re-checks an evidence pack against its manifest.json: every file listed is present with\n"
                 "the recorded SHA-256 and size, and no file is missing or extra.\n"
                 "exit codes: 0 the pack verifies, 1 problems found (listed), 2 usage error\n";
    return 0;
  }
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-')
    throw Error::usage("verify takes exactly one PACK folder (see `flexrecon verify --help`)");
  const auto problems = verify_pack(args[0]);
  if (problems.empty()) {
    std::cout << "flexrecon: " << args[0] << ": pack verifies against its manifest\n";
    return 0;
  }
  for (const auto& p : problems) std::cout << args[0] << ": " << p << "\n";
  std::cout << "flexrecon: " << args[0] << ": " << problems.size() << " problem(s): the pack does NOT verify\n";
  return 1;
}

}  // namespace flexrecon
