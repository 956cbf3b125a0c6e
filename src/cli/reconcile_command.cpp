// `flexrecon reconcile`: options -> ReconcileOptions -> reconcile() -> write_pack().
#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/closing_line.h"
#include "cli/progress.h"
#include "cli/progress_hooks.h"
#include "flexrecon/error.h"
#include "flexrecon/pack.h"
#include "flexrecon/reconcile.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace po = boost::program_options;

namespace flexrecon {
namespace {

double positive_number(const std::string& option, const std::string& text) {
  double v = 0;
  if (!parse_decimal(text, v) || v < 0)
    throw Error::usage("--" + option + " takes a number >= 0 with a '.' decimal separator, not '" + text + "'");
  return v;
}

}  // namespace

int run_reconcile_command(const std::vector<std::string>& args, const std::vector<std::string>& argv) {
  po::options_description desc(
      "usage: flexrecon reconcile --metering FILE... --events PATH... --out DIR [options]\n"
      "       flexrecon reconcile --metering FILE... --store STORE... [--events PATH...] --out DIR [options]\n\n"
      "Reads the audit's metering export and the customer's Windows evidence, rebuilds interactive\n"
      "sessions and log coverage per host, applies the challenge rules in order (background,\n"
      "short-session, misclassification / rate-mismatch / version-mismatch, midnight-split /\n"
      "double-charge) and writes the evidence pack to DIR.\n\noptions");
  std::string billing_model, min_confidence, entitlement, token_price, list_price;
  ReconcileOptions o;
  desc.add_options()
      ("help,h", "show this help")
      ("metering", po::value(&o.metering)->multitoken(), "metering CSV export(s) (Token Flex, snake_case or Account \"Token Usage\"); repeatable")
      ("events", po::value(&o.events)->multitoken(), "event logs: XML exports, .evtx, SIEM exports (Winlogbeat, NXLog, Splunk JSON/CSV), directories (walked recursively), .zip/.tar/.tar.gz/.tgz/.gz archives; repeatable")
      ("store", po::value(&o.stores)->multitoken()->value_name("STORE"), "case store(s) written by `flexrecon ingest`, read beside or instead of --events; any split of the files gives the same findings; repeatable. Refused when a stored file was read with another --events-tz or archive member cap (--rules) than this run's, saying which ingest fixes it")
      ("inventory", po::value(&o.inventory)->multitoken(), "deployment inventory CSV(s) (ITAM, SCCM, Intune); repeatable")
      ("identities", po::value(&o.identities), "identity map CSV metering_user,windows_account")
      ("rules", po::value(&o.rules_dir), "rules folder replacing the shipped one (products.csv, rates.csv, settings.ini)")
      ("rates", po::value(&o.rates), "rate sheet CSV replacing the rules folder's rates.csv (your contract sheet)")
      ("billing-model", po::value(&billing_model), "rolling-24h (default) or calendar-day")
      ("billing-tz", po::value(&o.billing_tz), "IANA zone of the billing day and of midnight for midnight-split (default UTC)")
      ("metering-tz", po::value(&o.metering_tz), "IANA zone of metering timestamps without an offset (default UTC)")
      ("events-tz", po::value(&o.events_tz), "IANA zone of SIEM event times written without one (NXLog EventTime); never guessed")
      ("min-confidence", po::value(&min_confidence), "lowest confidence counted as challenged: high, medium (default) or low")
      ("entitlement", po::value(&entitlement), "tokens bought, for the shortfall before and after the challenge")
      ("token-price", po::value(&token_price), "negotiated price of one token (USD)")
      ("list-price", po::value(&list_price), "list price of one token (USD); audit findings are priced at list")
      ("as-of", po::value(&o.as_of), "the date of the report (recorded in the manifest and dossier); no wall clock is ever used")
      ("jobs", po::value(&o.jobs)->default_value(1), "event files parsed, hosts rebuilt, and the evidence store written beside the other pack files, in parallel")
      ("spill-dir", po::value(&o.spill_dir)->value_name("DIR"),
       "where events read wait on disk for their host's turn, then the events the pack cites until it is "
       "written (default: $TMPDIR, else /tmp); about a tenth of the event bytes read, removed at the end")
      ("out", po::value(&o.out), "the evidence pack folder to write (refused if it exists, unless --force)")
      ("force", po::bool_switch(&o.force), "replace an existing --out folder")
      ("quiet", po::bool_switch(&o.quiet), "no progress display (errors are still printed)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\nprogress: when stderr is a terminal and --quiet is not given, one line per stage, redrawn in\n"
                         "place, then its totals and time: reading rules, metering and inventory (files); reading event\n"
                         "logs (files and bytes done of the total, MB/s, time left; totals from the sizes on disk, an\n"
                         "archive counting its compressed size); rebuilding sessions and log coverage (hosts); applying\n"
                         "the challenge rules; writing the evidence pack (files). Never in a pipe or a file.\n"
                         "\nexit codes: 0 pack written, 2 usage error, 3 input unusable (nothing written),\n"
                         "4 internal failure (nothing written)\n";
    return 0;
  }
  po::notify(vm);
  if (o.metering.empty()) throw Error::usage("reconcile needs --metering FILE (see `flexrecon reconcile --help`)");
  if (o.events.empty() && o.stores.empty())
    throw Error::usage("reconcile needs --events PATH or --store STORE (see `flexrecon reconcile --help`)");
  if (o.out.empty()) throw Error::usage("reconcile needs --out DIR (see `flexrecon reconcile --help`)");
  // Before any input is read: a run of hours that cannot be saved must not start at all.
  refuse_existing_out(o.out, o.force);
  if (o.jobs < 1 || o.jobs > 256) throw Error::usage("--jobs takes a number from 1 to 256");
  if (!billing_model.empty()) {
    o.billing_model = parse_billing_model(billing_model);
    if (!o.billing_model) throw Error::usage("--billing-model is rolling-24h or calendar-day, not '" + billing_model + "'");
  }
  if (!min_confidence.empty()) {
    o.min_confidence = parse_confidence(min_confidence);
    if (!o.min_confidence) throw Error::usage("--min-confidence is high, medium or low, not '" + min_confidence + "'");
  }
  if (!entitlement.empty()) o.entitlement = positive_number("entitlement", entitlement);
  if (!token_price.empty()) o.token_price = positive_number("token-price", token_price);
  if (!list_price.empty()) o.list_price = positive_number("list-price", list_price);
  for (const auto& zone : {o.billing_tz, o.metering_tz, o.events_tz})
    if (!zone.empty() && !is_known_zone(zone))
      throw Error::usage("unknown time zone '" + zone + "' (use an IANA name such as America/Chicago)");
  if (!o.as_of.empty() && !parse_timestamp(o.as_of))
    throw Error::usage("--as-of takes a date or timestamp such as 2026-11-30 or 2026-11-30T00:00:00Z, not '" + o.as_of + "'");
  o.command_line = argv;

  // On stderr, and only on a terminal: pipes, files and CI logs never see a progress line.
  ProgressReporter progress(std::cerr, !o.quiet && stderr_is_terminal(), stderr_width());
  ReconcileResult result = reconcile(o, &progress);
  PackOptions pack;
  pack.out = o.out;
  pack.force = o.force;
  pack.templates_dir = default_templates_dir();
  pack.on_file_written = report_pack_files(progress);
  pack.jobs = o.jobs;
  progress.begin("writing the evidence pack", "wrote the evidence pack", "files");
  progress.plan(pack_file_names().size());
  write_pack(result, pack);
  progress.end();

  std::cout << "flexrecon: evidence pack written to " << o.out << "\n" << closing_line(result) << "\n";
  // The figure `flexrecon verify` prints too: quoted in a letter, it pins every file and input hash.
  std::cout << "manifest.json sha256: " << sha256_file((std::filesystem::path(o.out) / "manifest.json").string()) << "\n";
  return 0;
}

}  // namespace flexrecon
