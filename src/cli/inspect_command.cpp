// `flexrecon inspect PATH...`: what each input is and what flexrecon makes of it, before any rule.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/progress_hooks.h"
#include "flexrecon/case_store.h"
#include "flexrecon/error.h"
#include "flexrecon/event_store.h"
#include "flexrecon/metering.h"
#include "flexrecon/reconcile.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/timeline.h"
#include "util/strings.h"

namespace flexrecon {
namespace {

std::string span_text(Span s) {
  auto end = [](Instant t) {
    if (t <= kMinInstant) return std::string("(start of time)");
    if (t >= kMaxInstant) return std::string("(end of time)");
    return format_utc(t);
  };
  return end(s.begin) + " .. " + end(s.end);
}

// By content, not name: a plain-text file whose first character is not `<` (XML) and that is not
// EVTX or an archive is tried as a metering CSV.
bool looks_like_text_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) head.erase(0, 3);
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return false;
  for (unsigned char c : head)
    if (c == 0) return false;  // binary: EVTX, archives, UTF-16
  return head[first] != '<' && head.find(',') != std::string::npos;
}

// A CSV input (metering) is recognised by its header once the event readers have said no.
bool inspect_as_metering(const std::string& path, const RulesFolder& rules) {
  SourceTable sources;
  std::vector<MeteringRow> rows;
  Rejects rejects;
  IdentityMap identities;
  MeteringFile file;
  try {
    file = read_metering(path, MeteringOptions{}, rules.catalog, identities, sources, rows, rejects);
  } catch (const Error&) {
    return false;
  }
  if (file.format.empty()) return false;
  std::cout << path << ": metering CSV (" << file.format << ")\n";
  std::cout << "  rows " << file.rows << ", accepted " << file.accepted << ", rejected " << file.rejected << "\n";
  std::set<std::string> hosts, users, products;
  std::optional<Instant> first, last;
  double tokens = 0;
  std::size_t charges = 0;
  for (const auto& row : rows) {
    if (!row.host.empty()) hosts.insert(row.host);
    users.insert(row.user);
    products.insert(row.product_code);
    const auto t = row.start ? row.start : row.usage_date;
    if (t) {
      if (!first || *t < *first) first = t;
      if (!last || *t > *last) last = t;
    }
    if (row.is_charge) ++charges, tokens += row.tokens;
  }
  std::cout << "  charges " << charges << " (" << format_tokens(tokens) << " tokens), users " << users.size()
            << ", hosts " << hosts.size() << ", products " << join({products.begin(), products.end()}, " ") << "\n";
  if (first) std::cout << "  time span " << format_utc(*first) << " .. " << format_utc(*last) << "\n";
  for (const auto& r : rejects) std::cout << "  rejected " << r.location << ": " << r.reason << "\n";
  return true;
}

void print_timeline(const HostTimeline& t) {
  std::cout << "  host " << t.host << ": " << t.sessions.size() << " sessions, " << t.power_off.size()
            << " power-off spans, " << t.uncovered.size() << " uncovered spans"
            << (t.has_security_log ? "" : " (no Security log: uncovered throughout)") << "\n";
  for (const auto& s : t.sessions) {
    std::cout << "    session " << s.user << " " << span_text(s.span) << " [" << s.start_reason << " -> " << s.end_reason
              << "]" << (s.start_inferred ? " start inferred" : "") << (s.open_at_end ? " open at end" : "") << "\n";
    for (const auto& idle : s.idle) std::cout << "      idle (" << idle.kind << ") " << span_text(idle.span) << "\n";
  }
  for (const auto& p : t.power_off) std::cout << "    powered off " << span_text(p.span) << " [" << p.reason << "]\n";
  for (const auto& c : t.covered) std::cout << "    covered " << span_text(c) << "\n";
  for (const auto& g : t.uncovered) std::cout << "    uncovered (" << g.kind << ") " << span_text(g.span) << ": " << g.description << "\n";
}

void inspect_events(const std::string& path, const Settings& settings, EventReadOptions options, ProgressReporter& progress) {
  // Streamed as reconcile streams: an archive of a year is inspected without holding its events;
  // each host is summarised as its bucket is assembled, and only the summaries are kept.
  SourceTable sources;
  IngestedEvents events(options.spill_dir);
  Rejects rejects;
  report_event_reading(progress, options);
  progress.begin("reading event logs", "read event logs", "files");
  read_event_inputs({path}, options, sources, events, rejects);
  progress.end();
  progress.begin("rebuilding sessions and log coverage", "rebuilt sessions and log coverage", "hosts");
  progress.plan(events.hosts());
  const auto host_done = report_hosts_done(progress);
  std::map<std::string, std::pair<Instant, Instant>> spans;  // host -> first and last event time
  Timelines timelines;
  std::mutex mutex;
  events.for_each_host(options.jobs, [&](HostEvents&& host) {
    std::optional<Instant> first, last;
    const auto see = [&](Instant t) {
      if (!first || t < *first) first = t;
      if (!last || t > *last) last = t;
    };
    for (const auto& e : host.events) see(e.time);
    for (const auto& m : host.security) see(m.time);
    HostTimeline timeline = build_host_timeline(host, settings);
    std::lock_guard<std::mutex> lock(mutex);
    if (first) spans.emplace(host.host, std::make_pair(*first, *last));
    timelines.hosts.emplace(host.host, std::move(timeline));
    if (host_done) host_done(timelines.hosts.size());
  });
  number_sessions(timelines);
  progress.end();
  const EventCounts& counts = events.counts();
  std::cout << path << ":\n";
  for (const auto& f : sources.all()) {
    // As manifest.json lists it: a file not read to its end has no hash, only its error.
    std::cout << "  file " << f.name << ": ";
    if (f.sha256.empty()) std::cout << "not read: " << f.error << "\n";
    else
      std::cout << (f.format.empty() ? "not a recognised event format" : f.format) << ", " << f.size << " bytes, sha256 "
                << f.sha256 << (f.error.empty() || f.format.empty() ? "" : " (" + f.error + ")") << "\n";
  }
  std::cout << "  events read " << counts.read << ", rejected " << counts.rejected << ", duplicates "
            << counts.duplicates << ", conflicts " << events.conflicts().size() << ", of the kinds used "
            << counts.relevant << "\n";
  for (const auto& [key, count] : counts.by_channel_and_id)
    std::cout << "    " << key.first << " " << key.second << ": " << count << "\n";
  for (const auto& [host, span] : spans)
    std::cout << "  host " << host << " time span " << format_utc(span.first) << " .. " << format_utc(span.second) << "\n";
  for (const auto& [host, t] : timelines.hosts) print_timeline(t);
  for (const auto& r : rejects) std::cout << "  rejected " << r.source << " " << r.location << ": " << r.reason << "\n";
}

// SQLite's own header: a case store, or a file `inspect` explains as not one (an evidence.sqlite).
bool looks_like_sqlite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  return in.gcount() == 16 && head == std::string("SQLite format 3\0", 16);
}

// `inspect STORE`: what the store holds, without reconciling anything.
void inspect_store(const std::string& path) {
  const auto store = CaseStore::open(path);
  std::uint64_t records = 0, files = 0, rejected = 0;
  for (const StoredUnit& u : store->units()) records += u.records, files += u.files, rejected += u.files_rejected;
  // The hosts the stored records name: the store's name table also keeps a host whose only file was
  // read again without it (--replace under a lower archive member cap).
  const std::vector<StoredChannelCoverage> coverage = stored_coverage(*store);
  std::set<std::string> hosts;
  for (const StoredChannelCoverage& c : coverage) hosts.insert(c.host);
  std::cout << path << ": flexrecon case store, schema " << store->schema_version() << " (created by "
            << store->created_by() << "); " << store->units().size() << " input files, " << files << " event files ("
            << rejected << " rejected), " << records << " events, " << hosts.size() << " hosts\n";
  for (const StoredUnit& u : store->units()) {
    if (!u.copy_of.empty()) {
      std::cout << "  input " << u.path << ": the same bytes as " << u.copy_of << " (sha256 " << u.sha256
                << "), a copy: a run reads its " << u.records << " events again under this name\n";
      continue;
    }
    if (u.sha256.empty())
      std::cout << "  input " << u.path << ": could not be read (kept for the runs' rejects; a later ingest tries it again)\n";
    else
      std::cout << "  input " << u.path << ": " << u.records << " events, sha256 " << u.sha256
                << (u.events_tz.empty() ? "" : ", read with --events-tz " + u.events_tz) << "\n";
    for (const SourceFile& f : u.sources) {
      std::cout << "    file " << f.name << ": ";
      if (f.sha256.empty()) std::cout << "not read: " << f.error << "\n";
      else
        std::cout << (f.format.empty() ? "not a recognised event format" : f.format) << ", " << f.size << " bytes, sha256 "
                  << f.sha256 << (f.error.empty() || f.format.empty() ? "" : " (" + f.error + ")") << "\n";
    }
  }
  std::cout << "  hosts: " << join(std::vector<std::string>(hosts.begin(), hosts.end()), " ") << "\n";
  for (const StoredChannelCoverage& c : coverage) {
    std::cout << "  host " << c.host << " " << c.channel << ": " << c.records << " records";
    if (c.distinct)
      std::cout << ", EventRecordID " << c.first_record << " .. " << c.last_record << " (" << c.distinct << " distinct, "
                << c.gaps.size() << (c.gaps.size() == 1 ? " gap" : " gaps") << ")";
    if (c.duplicates) std::cout << ", " << c.duplicates << " duplicates (" << c.conflicts << " conflicting)";
    std::cout << ", " << format_utc(c.first_time) << " .. " << format_utc(c.last_time) << "\n";
    for (const auto& [first, last] : c.gaps)
      std::cout << "    gap: records " << first << (first == last ? "" : " .. " + std::to_string(last)) << " missing\n";
  }
  for (const StoredUnit& u : store->units())
    for (const Reject& r : u.rejects) std::cout << "  rejected " << r.source << " " << r.location << ": " << r.reason << "\n";
}

}  // namespace

int run_inspect_command(const std::vector<std::string>& args, const std::vector<std::string>&) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout)
        << "usage: flexrecon inspect [--events-tz ZONE] [--quiet] PATH...\n"
           "       flexrecon inspect STORE\n\n"
           "Says what each input is before any rule runs: for event logs (XML, .evtx, folders, archives) the\n"
           "detected format of each file, events per channel and EventID, hosts and time span, and per host\n"
           "the sessions, idle and power spans, covered spans and coverage gaps flexrecon rebuilds; for a\n"
           "metering CSV its variant, rows, charges, users, hosts and time span; and every rejected item.\n"
           "For a case store (`flexrecon ingest`): its schema, every input file and member with SHA-256 and\n"
           "size (a file with the bytes of one stored under another name: as a copy of it), its hosts, per\n"
           "host and channel the EventRecordIDs held (first, last, gaps, duplicates; a copy's records count\n"
           "again), and its rejects. A SQLite file that is not a case store is refused, saying what it is.\n"
           "--events-tz ZONE: the IANA zone of SIEM event times written without one (NXLog EventTime).\n"
           "--quiet: no progress display. Without it, when stderr is a terminal, reading event logs and\n"
           "rebuilding sessions show their progress there as `reconcile` does (never in a pipe or file).\n";
    return args.empty() ? 2 : 0;
  }
  SourceTable rule_sources;
  const RulesFolder rules = read_rules_folder(default_rules_dir(), rule_sources);
  EventReadOptions event_options;
  std::vector<std::string> paths;
  bool quiet = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--quiet") {
      quiet = true;
    } else if (args[i] == "--events-tz") {
      if (i + 1 >= args.size()) throw Error::usage("--events-tz needs a zone such as Europe/Berlin");
      event_options.events_tz = args[++i];
      if (!is_known_zone(event_options.events_tz))
        throw Error::usage("unknown time zone '" + event_options.events_tz + "' (use an IANA name such as America/Chicago)");
    } else {
      paths.push_back(args[i]);
    }
  }
  ProgressReporter progress(std::cerr, !quiet && stderr_is_terminal(), stderr_width());
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error::input(path + ": no such file or directory");
    if (std::filesystem::is_regular_file(path, ec) && looks_like_sqlite(path)) {
      inspect_store(path);
      continue;
    }
    if (std::filesystem::is_regular_file(path, ec) && looks_like_text_table(path) && inspect_as_metering(path, rules))
      continue;
    inspect_events(path, rules.settings, event_options, progress);
  }
  return 0;
}

}  // namespace flexrecon
