// `flexrecon ingest`: event inputs read once into a case store, to be reconciled from many times.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/progress_hooks.h"
#include "flexrecon/case_store.h"
#include "flexrecon/error.h"
#include "flexrecon/reconcile.h"
#include "flexrecon/reference_data.h"
#include "util/strings.h"

namespace po = boost::program_options;

namespace flexrecon {

int run_ingest_command(const std::vector<std::string>& args, const std::vector<std::string>&) {
  po::options_description desc(
      "usage: flexrecon ingest --store STORE --events PATH... [--events-tz ZONE] [--replace] [--jobs N] [--quiet]\n\n"
      "Reads event inputs (every form `reconcile --events` reads) into the case store STORE, one SQLite\n"
      "file, created when missing and added to otherwise; `reconcile --store STORE` then reads them from\n"
      "there. Each input file (an archive with all its members) is one transaction: an ingest killed\n"
      "part-way leaves the store as it was before the file being read. A file whose SHA-256 the store\n"
      "already holds is skipped and reported, and so is one it holds read with another --events-tz or\n"
      "archive member cap, saying so: --replace reads it again in its place (a copy that gave no event,\n"
      "such as a file rejected for want of --events-tz, is read again without it). A file holding the same\n"
      "bytes as one stored under another name is not read again but recorded as a copy: runs read its\n"
      "events under its name too, as a direct run reading both files does. A second ingest into the same\n"
      "store waits for the first.\n"
      "The same files split across several stores, in any way, reconcile to the same findings.\n\noptions");
  std::string store, rules_dir;
  std::vector<std::string> events;
  IngestOptions options;
  int jobs = 1;
  bool quiet = false;
  desc.add_options()
      ("help,h", "show this help")
      ("store", po::value(&store)->value_name("STORE"), "the case store (a SQLite file) to create or add to")
      ("events", po::value(&events)->multitoken(), "event logs: XML exports, .evtx, SIEM exports, directories (walked recursively), archives; repeatable")
      ("events-tz", po::value(&options.read.events_tz), "IANA zone of SIEM event times written without one (NXLog EventTime); never guessed")
      ("rules", po::value(&rules_dir), "rules folder whose settings.ini bounds archive members (max_archive_member_mib); default: the shipped one")
      ("replace", po::bool_switch(&options.replace),
       "read again a stored file that this ingest's --events-tz or member cap would read differently, in place of its stored copy")
      ("jobs", po::value(&jobs)->default_value(1), "event files hashed and parsed in parallel")
      ("spill-dir", po::value(&options.read.spill_dir)->value_name("DIR"),
       "accepted as reconcile accepts it; an ingest spills nothing (the store is its spill)")
      ("quiet", po::bool_switch(&quiet), "no progress display (skips, errors and the summary are still printed)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\nreports: `skipped: PATH: already in STORE as NAME` (stdout) for each file the store holds,\n"
                         "with `(read without --events-tz, this ingest reads with --events-tz ZONE; --replace reads it again)`\n"
                         "when it was read otherwise; `replaced: PATH: the copy stored as NAME was read ...: read again in its\n"
                         "place` (stdout); `copy: PATH: the same bytes as NAME, already in STORE: recorded as a copy, ...`\n"
                         "(stdout) for a file the store holds under another name; `changed: PATH: stored beside the content the\n"
                         "store already held under this name ...` (stdout) for a file whose content changed since it was stored;\n"
                         "`not stored: PATH: REASON` (stderr) for a path that could not be read (missing, a FIFO...);\n"
                         "`waiting for another ingest into STORE (pid N)` (stderr) while another ingest holds it.\n"
                         "\nexit codes: 0 the ingest ran (even with files rejected: the rejects are kept in the store),\n"
                         "2 usage error, 3 STORE is not a case store or cannot be written (nothing modified), 4 internal failure\n";
    return 0;
  }
  po::notify(vm);
  if (store.empty()) throw Error::usage("ingest needs --store STORE (see `flexrecon ingest --help`)");
  if (events.empty()) throw Error::usage("ingest needs --events PATH (see `flexrecon ingest --help`)");
  if (jobs < 1 || jobs > 256) throw Error::usage("--jobs takes a number from 1 to 256");
  if (!options.read.events_tz.empty() && !is_known_zone(options.read.events_tz))
    throw Error::usage("unknown time zone '" + options.read.events_tz + "' (use an IANA name such as America/Chicago)");
  options.read.jobs = jobs;
  // The archive member bound a reconcile of the same files would apply (the rules folder's setting).
  SourceTable rule_sources;
  options.read.max_member_bytes =
      read_rules_folder(rules_dir.empty() ? default_rules_dir() : rules_dir, rule_sources).settings.max_archive_member_bytes;

  ProgressReporter progress(std::cerr, !quiet && stderr_is_terminal(), stderr_width());
  report_event_reading(progress, options.read);
  options.on_wait = [](const std::string& message) { std::cerr << "flexrecon: " << message << "\n"; };
  options.on_skip = [&](const std::string& path, const std::string& stored_as, const std::string& difference) {
    std::cout << "skipped: " << path << ": already in " << store << " as " << stored_as
              << (difference.empty() ? "" : " (" + difference + "; --replace reads it again)") << "\n";
  };
  options.on_copy = [&](const std::string& path, const std::string& stored_as, const std::string& difference) {
    std::cout << "copy: " << path << ": the same bytes as " << stored_as << ", already in " << store
              << ": recorded as a copy, not read again (a run reads its events under both names, as reading both files does)"
              << (difference.empty() ? "" : " (" + stored_as + " " + difference + "; --replace reads it again)") << "\n";
  };
  options.on_replace = [](const std::string& path, const std::string& stored_as, const std::string& difference) {
    std::cout << "replaced: " << path << ": the copy stored as " << stored_as << " was " << difference << ": read again in its place\n";
  };
  options.on_changed = [](const std::string& path, const std::vector<std::string>& earlier) {
    std::cout << "changed: " << path << ": stored beside the content the store already held under this name (sha256 "
              << join(earlier, ", ") << "): runs read both, as if both files were given (their common records count once, "
              << "and a record that differs between them is a conflict)\n";
  };
  options.on_not_stored = [](const std::string& path, const std::string& reason) {
    std::cerr << "not stored: " << path << ": " << reason << "\n";
  };
  progress.begin("reading event logs into " + store, "read event logs into " + store, "files");
  const IngestReport report = ingest_events(store, events, options);
  progress.end();
  std::cout << "flexrecon: " << store << ": " << report.units_stored << " input files stored (" << report.files
            << " event files, " << report.events << " events, " << report.rejects << " rejects), "
            << (report.units_replaced ? std::to_string(report.units_replaced) + " of them in place of a copy read otherwise, " : "")
            << (report.units_copied ? std::to_string(report.units_copied) + " recorded as copies of files stored under another name, " : "")
            << report.units_skipped << " skipped as already stored, " << report.units_not_stored << " not stored\n";
  return 0;
}

}  // namespace flexrecon
