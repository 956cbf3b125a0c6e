// The subcommands. Each takes its own arguments (after the command name) and the whole argv (for
// the manifest), and returns the exit code; errors are thrown as flexrecon::Error.
#pragma once

#include <string>
#include <vector>

namespace flexrecon {
int run_reconcile_command(const std::vector<std::string>& args, const std::vector<std::string>& argv);
int run_ingest_command(const std::vector<std::string>& args, const std::vector<std::string>& argv);
int run_inspect_command(const std::vector<std::string>& args, const std::vector<std::string>& argv);
int run_verify_command(const std::vector<std::string>& args, const std::vector<std::string>& argv);
}  // namespace flexrecon
