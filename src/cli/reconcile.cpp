// The reconcile pipeline, as a flat list of stages.
#include "flexrecon/reconcile.h"

#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <iostream>

#include "cli/progress.h"
#include "cli/progress_hooks.h"
#include "flexrecon/case_store.h"
#include "flexrecon/error.h"
#include "store/unit_reading.h"
#include "tables/frozen_metering_rows.h"
#include "util/sha256.h"

namespace flexrecon {
namespace {

namespace fs = std::filesystem;

// The folder holding the running binary, to find the shipped rules/ and templates/.
fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::string shipped_dir(const std::string& name) {
  // Installed layout first (<prefix>/bin/flexrecon, <prefix>/share/flexrecon/<name>), then the
  // source tree the binary was built from.
  const fs::path installed = executable_dir() / ".." / "share" / "flexrecon" / name;
  std::error_code ec;
  if (fs::is_directory(installed, ec)) return fs::weakly_canonical(installed, ec).string();
  return (fs::path(FLEXRECON_SOURCE_DIR) / name).string();
}

// `--rates` replaces the folder's rate sheet, so the rules hash must change with it: the folder's
// hash and the sheet's SHA-256, joined as the folder's files are (tag, NUL, bytes).
std::string rules_hash_with_rates(const std::string& folder_hash, const std::string& rates_sha256) {
  Sha256 hash;
  hash.update(folder_hash);
  hash.update(std::string_view("\0--rates\0", 9));
  hash.update(rates_sha256);
  return hash.hex_digest();
}

// The copy dropped is the rejected item; the reason names the copy kept, so both sources appear.
Reject conflict_reject(const SourceTable& sources, const DuplicateConflict& c) {
  const std::string kept = format_ref(sources, c.kept);
  const std::string dropped = format_ref(sources, c.dropped);
  return Reject{sources.at(c.dropped.source).name, "record " + std::to_string(c.record_id),
                "conflicting duplicate: " + c.channel + " record " + std::to_string(c.record_id) + " of host " +
                    c.host + " differs from the copy kept (kept " + kept + ", dropped " + dropped + ")"};
}

// The size on disk of the files a stage will read, for its progress plan (0 when it cannot be told:
// the stage itself reports the file).
std::uint64_t bytes_on_disk(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const auto& path : paths) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec) total += static_cast<std::uint64_t>(size);
  }
  return total;
}

// A stored file was read when it was ingested, with that ingest's --events-tz and archive member cap
// (the rules folder's max_archive_member_mib). A run that would read it otherwise would say it read
// the file in a way it did not, and differ from a direct run of the same files: refused, naming the
// ingest that reads it this run's way. A run without --events-tz takes the zone each file was
// ingested with (the ingest is where a SIEM export's zone is given); the member cap is always the
// run's rules folder's, so it is always compared.
void refuse_other_reading(const std::vector<std::unique_ptr<CaseStore>>& stores, const std::string& events_tz,
                          std::uint64_t max_member_bytes, const std::string& rules_dir) {
  for (const auto& store : stores)
    for (const StoredUnit& u : store->units()) {
      const UnitReading now{events_tz.empty() ? u.events_tz : events_tz, max_member_bytes};
      const std::string difference = reading_difference({u.events_tz, u.max_member_bytes}, now, u.sources, "this run reads");
      if (difference.empty()) continue;
      const bool zone = now.events_tz != u.events_tz, cap = now.max_member_bytes != u.max_member_bytes;
      const std::string rules = rules_dir.empty() ? default_rules_dir() : rules_dir;
      const std::string again = zone && cap ? "--events-tz " + events_tz + " --rules " + rules
                                : zone     ? "--events-tz " + events_tz
                                           : "--rules " + rules;
      const std::string instead = zone && cap ? "run without --events-tz and with the rules folder it was ingested with"
                                  : zone      ? "run without --events-tz"
                                              : "run with the rules folder it was ingested with";
      throw Error::usage(store->path() + " holds " + u.path + " " + difference + ": ingest it again with `" + again +
                         " --replace`, or " + instead);
    }
}

}  // namespace

std::string default_rules_dir() { return shipped_dir("rules"); }
std::string default_templates_dir() { return shipped_dir("templates"); }

ReconcileResult reconcile(const ReconcileOptions& options, ProgressReporter* reporter) {
  // Blocks of 1 MiB and more (a bucket read back, a reader's batch, a host's record list) are mapped
  // on their own and unmapped when freed. glibc's default raises that threshold after each such
  // free, after which they come from the heap and stay resident, interleaved with what the run
  // keeps: over months of logs that was a third of the peak (docs/scale.md, "Peak memory").
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  ReconcileResult r;
  r.options = options;
  ProgressReporter silent(std::cerr, false);
  ProgressReporter& progress = reporter ? *reporter : silent;

  // The tables the user named (rules folder aside): short next to the event logs.
  std::vector<std::string> tables = options.metering;
  tables.insert(tables.end(), options.inventory.begin(), options.inventory.end());
  for (const std::string* path : {&options.identities, &options.rates})
    if (!path->empty()) tables.push_back(*path);
  progress.begin("reading rules, metering and inventory", "read rules, metering and inventory", "files");
  progress.plan(tables.size(), bytes_on_disk(tables));

  // Rules first: the catalog resolves product names while metering and inventory are read, and a
  // broken rules folder should stop the run before any heavy reading.
  const std::size_t first_rules_source = r.sources.all().size();
  r.rules = read_rules_folder(options.rules_dir.empty() ? default_rules_dir() : options.rules_dir, r.sources);
  if (options.rules_dir.empty()) {
    // The shipped folder's absolute path depends on where flexrecon is installed; name its files
    // the same everywhere so packs stay identical across machines.
    const std::string prefix = default_rules_dir() + "/";
    for (std::size_t i = first_rules_source; i < r.sources.all().size(); ++i) {
      auto& name = r.sources.at(static_cast<SourceId>(i)).name;
      if (name.rfind(prefix, 0) == 0) name = "(shipped rules)/" + name.substr(prefix.size());
    }
  }
  if (!options.rates.empty()) {
    r.rules.rates = read_rate_sheet(options.rates, r.sources);
    r.rules.hash = rules_hash_with_rates(r.rules.hash, r.sources.all().back().sha256);
    progress.advance(1, bytes_on_disk({options.rates}));
  }
  if (options.billing_model) r.rules.settings.billing_model = *options.billing_model;
  if (!options.billing_tz.empty()) r.rules.settings.billing_tz = options.billing_tz;
  if (options.min_confidence) r.rules.settings.min_confidence = *options.min_confidence;

  // Identities before metering: metering users are resolved to Windows accounts as rows are read.
  if (!options.identities.empty()) {
    r.identities = read_identity_map(options.identities, r.sources, r.rejects);
    progress.advance(1, bytes_on_disk({options.identities}));
  }

  // Metering: an unreadable file or one without a header stops the run (exit 3); bad rows do not.
  MeteringOptions metering_options;
  metering_options.metering_tz = options.metering_tz;
  for (const auto& path : options.metering) {
    r.metering_files.push_back(read_metering(path, metering_options, r.rules.catalog, r.identities, r.sources, r.rows, r.rejects));
    progress.advance(1, bytes_on_disk({path}));
  }

  for (const auto& path : options.inventory) {
    r.inventory_files.push_back(read_inventory(path, r.rules.catalog, r.sources, r.inventory, r.rejects));
    progress.advance(1, bytes_on_disk({path}));
  }
  // The rows wait serialised until the hosts are rebuilt (the run's peak at many days), then are
  // held until the pack is written without the spare capacity they were read into.
  const FrozenMeteringRows frozen_rows(std::move(r.rows));
  r.inventory.shrink_to_fit();
  progress.end();

  // Events: streamed file by file; unreadable files and broken events are rejected alone.
  EventReadOptions event_options;
  report_event_reading(progress, event_options);
  event_options.jobs = options.jobs;
  event_options.events_tz = options.events_tz;
  event_options.max_member_bytes = r.rules.settings.max_archive_member_bytes;
  progress.begin("reading event logs", "read event logs", "files");
  IngestedEvents events(options.spill_dir);
  // Case stores: their units take their places among the files read, as if read here.
  std::vector<std::unique_ptr<CaseStore>> stores;
  std::vector<const StoredUnits*> stored;
  for (const auto& path : options.stores) stored.push_back(stores.emplace_back(CaseStore::open(path)).get());
  refuse_other_reading(stores, options.events_tz, r.rules.settings.max_archive_member_bytes, options.rules_dir);
  read_event_inputs(options.events, stored, event_options, r.sources, events, r.rejects);
  progress.end();
  // The reader threads' allocator arenas hold the freed parse buffers of every file read: give them
  // back, so the peak is set by what the run keeps, not by what it read.
  malloc_trim(0);

  // Evidence: sessions, idle and power spans, and what the Security log can vouch for, a host at a
  // time; each host keeps only the events its timeline cites (what findings and the pack refer to).
  progress.begin("rebuilding sessions and log coverage", "rebuilt sessions and log coverage", "hosts");
  progress.plan(events.hosts());
  const auto host_done = report_hosts_done(progress);
  std::mutex mutex;
  // Only the pack reads the cited events again, one at a time: they wait in a file beside the spill.
  const auto cited_events = std::make_shared<PackedEventFile>(options.spill_dir);
  events.for_each_host(options.jobs, [&](HostEvents&& host) {
    HostTimeline timeline = build_host_timeline(host, r.rules.settings);
    pack_cited_events(host, timeline, cited_events);
    std::lock_guard<std::mutex> lock(mutex);
    r.timelines.hosts.emplace(host.host, std::move(timeline));
    std::string name = host.host;
    r.events.hosts.emplace(std::move(name), std::move(host));
    if (host_done) host_done(r.timelines.hosts.size());
  });
  number_sessions(r.timelines);
  malloc_trim(0);  // the buckets read back, and the events no timeline cites
  r.events.counts = events.counts();
  r.events.conflicts = events.conflicts();
  r.rows = frozen_rows.thaw();
  progress.end();
  // A conflicting duplicate is a record dropped for a reason: it belongs in rejects.csv.
  for (const DuplicateConflict& c : r.events.conflicts) r.rejects.push_back(conflict_reject(r.sources, c));

  // Judgement: the rules in SPEC order, with precedence.
  const std::string rows = format_count(r.rows.size()) + " metering rows";
  progress.begin("applying the challenge rules to " + rows, "applied the challenge rules to " + rows);
  RuleInputs inputs;
  inputs.rows = &r.rows;
  inputs.timelines = &r.timelines;
  inputs.inventory = &r.inventory;
  inputs.rules = &r.rules;
  r.results = apply_rules(inputs);
  r.results.findings.shrink_to_fit();
  malloc_trim(0);  // the rules' indexes and intermediate verdicts
  progress.end();
  return r;
}

}  // namespace flexrecon
