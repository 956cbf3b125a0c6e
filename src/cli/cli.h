#pragma once

namespace flexrecon {
// Parses the command line, runs the subcommand, prints errors as `flexrecon: error: ...`, and
// returns the process exit code (SPEC 5).
int run_cli(int argc, char** argv);
}  // namespace flexrecon
