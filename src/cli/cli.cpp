// The whole front end: the subcommand table, option parsing, usage, and the one catch that turns
// an Error into `flexrecon: error: ...` and its exit code.
#include "cli/cli.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "flexrecon/error.h"
#include "util/strings.h"

namespace flexrecon {
namespace {

struct Subcommand {
  const char* name;
  const char* help;
  int (*run)(const std::vector<std::string>& args, const std::vector<std::string>& argv);
};

const Subcommand kSubcommands[] = {
    {"reconcile", "line metering records up against Windows evidence and write a dispute evidence pack", run_reconcile_command},
    {"ingest", "read event logs once into a case store (SQLite), to reconcile from with `reconcile --store`", run_ingest_command},
    {"inspect", "say what each input (or case store) is: format, events per channel and id, hosts, time span, sessions, coverage, rejects", run_inspect_command},
    {"verify", "re-check an evidence pack against its manifest (hashes, completeness)", run_verify_command},
};

void print_usage(std::ostream& out) {
  out << "usage: flexrecon <command> [options]\n\n"
         "flexrecon reconciles Autodesk Flex token metering (LRT) against the customer's own Windows\n"
         "event logs and inventory, challenges the charges the evidence disproves, and writes an\n"
         "evidence pack (findings.csv, summary.json, rejects.csv, evidence.sqlite, dossier.html,\n"
         "manifest.json).\n\ncommands:\n";
  for (const auto& c : kSubcommands) out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ') << c.help << "\n";
  out << "\n`flexrecon <command> --help` explains each command's options.\n"
         "exit codes: 0 pack written / ok, 2 usage error, 3 input unusable (nothing written), 4 internal failure,\n"
         "            1 verify found problems.\n";
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

int run_cli(int argc, char** argv) {
  std::vector<std::string> all(argv, argv + argc);
  if (argc < 2 || all[1] == "--help" || all[1] == "-h" || all[1] == "help") {
    print_usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (all[1] == "--version") {
    std::cout << "flexrecon " << FLEXRECON_VERSION << "\n";
    return 0;
  }
  const Subcommand* chosen = nullptr;
  for (const auto& c : kSubcommands)
    if (all[1] == c.name) chosen = &c;
  if (!chosen) {
    std::cerr << "flexrecon: error: unknown command '" << all[1] << "'";
    for (const auto& c : kSubcommands)
      if (edit_distance(all[1], c.name) <= 2) std::cerr << " (did you mean '" << c.name << "'?)";
    std::cerr << "\n";
    print_usage(std::cerr);
    return 2;
  }
  try {
    return chosen->run(std::vector<std::string>(all.begin() + 2, all.end()), all);
  } catch (const Error& e) {
    std::cerr << "flexrecon: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const boost::program_options::error& e) {
    std::cerr << "flexrecon: error: " << e.what() << "\n(see `flexrecon " << chosen->name << " --help`)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "flexrecon: error: internal failure: " << e.what() << "\n";
    return static_cast<int>(ErrorKind::Internal);
  }
}

}  // namespace flexrecon
