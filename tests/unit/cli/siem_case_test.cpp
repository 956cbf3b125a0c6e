// The sample case's events exported through each SIEM (Winlogbeat ECS and 6, NXLog, Splunk JSON and
// CSV) give the same findings as its XML/EVTX exports, cited by line in the SIEM export.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>

#include "flexrecon/event_store.h"
#include "ingest/archive_reader.h"
#include "ingest/byte_sources.h"
#include "support/run_binary.h"
#include "unit/ingest/siem_documents.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

// Every event of the sample's event files, in the order a run reads them (name order, archives
// member by member), through the project's own readers.
std::vector<Event> sample_events() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(kSamples + "/events"))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<Event> events;
  Rejects rejects;
  const auto deliver = [&](Event&& e) { events.push_back(std::move(e)); };
  for (const auto& file : files) {
    FileSource in(file);
    std::string head = read_head(in, 1 << 16);
    PrefixedSource replay(head, in);
    if (read_event_stream(replay, file, 0, {}, deliver, rejects).empty()) {
      FileSource again(file);
      read_archive(again, file, {}, [&](const std::string& member, ByteSource& data) {
        read_event_stream(data, member, 0, {}, deliver, rejects);
      }, [](const std::string&, const std::string&) {});
    }
  }
  REQUIRE(rejects.empty());
  return events;
}

std::vector<std::string> case_args(const std::string& events, const fs::path& out) {
  return {"reconcile",   "--metering",  kSamples + "/metering.csv", "--events",    events,
          "--inventory", kSamples + "/inventory.csv", "--identities", kSamples + "/identities.csv",
          "--rates",     kSamples + "/contract-rates.csv", "--as-of", "2026-11-30", "--quiet", "--out", out.string()};
}

// findings.csv without the evidence column (the references name different files by design), one
// text per row so a difference prints readably.
std::vector<std::string> findings_without_evidence(const fs::path& pack, bool with_reason = true) {
  std::vector<std::string> out;
  for (auto& r : read_csv(pack / "findings.csv")) {
    r.erase("evidence");
    if (!with_reason) r.erase("reason");
    std::string text;
    for (const auto& [k, v] : r) text += k + "=" + v + "|";
    out.push_back(text);
  }
  return out;
}

const fs::path& xml_pack() {
  static const fs::path out = [] {
    const auto dir = fresh_dir("siem-xml-pack");
    const auto r = run_flexrecon(case_args(kSamples + "/events", dir));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return dir;
  }();
  return out;
}

// `with_reason` false: a format that keeps times to the second only (NXLog's EventTime) may order two
// markers of the same second differently and so name the other one in a reason ("4608 boot" for
// "6009 boot"); every finding, rule, confidence and amount must still be the same.
void check_same_findings(const std::string& name, const std::function<std::string(const std::vector<Event>&)>& render,
                         bool with_reason = true) {
  static const std::vector<Event> events = sample_events();
  REQUIRE(events.size() == 659);
  const auto dir = fresh_dir("siem-" + name);
  fs::create_directories(dir);
  const auto file = dir / ("export-" + name);
  std::ofstream(file, std::ios::binary) << render(events);
  const auto out = dir / "pack";
  const auto r = run_flexrecon(case_args(file.string(), out));
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto summary = read_file(out / "summary.json");
  CHECK(summary.find("\"rejected\": 0") != std::string::npos);
  CHECK(findings_without_evidence(out, with_reason) == findings_without_evidence(xml_pack(), with_reason));
  // Event evidence now points at the export, by line.
  bool cites_export = false;
  for (const auto& row : read_csv(out / "findings.csv")) {
    CHECK(row.at("evidence").find('#') == std::string::npos);
    cites_export |= row.at("evidence").find(file.string() + ":") != std::string::npos;
  }
  CHECK(cites_export);
  fs::remove_all(dir);
}

std::string lines(const std::vector<Event>& events, const std::function<std::string(const Event&)>& one) {
  std::string out;
  for (const Event& e : events) out += one(e) + "\n";
  return out;
}

}  // namespace

TEST_CASE("the sample case exported as Winlogbeat 8 (ECS) NDJSON gives the findings of its XML exports") {
  check_same_findings("winlogbeat-ecs.ndjson", [](const auto& events) { return lines(events, to_winlogbeat_ecs); });
}

TEST_CASE("the sample case exported as Winlogbeat 6 NDJSON gives the findings of its XML exports") {
  check_same_findings("winlogbeat6.json", [](const auto& events) { return lines(events, to_winlogbeat6); });
}

TEST_CASE("the sample case exported by NXLog on a UTC-5 collector gives the findings of its XML exports") {
  check_same_findings("nxlog.json", [](const auto& events) {
    return lines(events, [](const Event& e) { return to_nxlog(e, -5 * kHour); });
  }, false);
}

TEST_CASE("the sample case exported from Splunk as a JSON array gives the findings of its XML exports") {
  check_same_findings("splunk.json", [](const auto& events) {
    std::string out = "[\n";
    for (std::size_t i = 0; i < events.size(); ++i)
      out += (i ? ",\n" : "") + splunk_json(to_event_xml(events[i]), "splunk-fwd01");
    return out + "\n]\n";
  });
}

TEST_CASE("the sample case exported from Splunk as CSV gives the findings of its XML exports") {
  check_same_findings("splunk.csv", [](const auto& events) {
    std::vector<std::string> raws;
    for (const Event& e : events) raws.push_back(to_event_xml(e));
    return splunk_csv(raws);
  });
}

namespace {

// The sample's events as NXLog's own om_file writes them (no @timestamp, no EventTimeUTC: only the
// collector's wall time), from a collector in New York.
void write_nxlog_local_times(const fs::path& file) {
  static const std::vector<Event> events = sample_events();
  std::ofstream out(file, std::ios::binary);
  for (const Event& e : events) {
    std::string doc = to_nxlog(e, zone_offset("America/New_York", e.time));
    const auto at = doc.find(",\"@timestamp\":");
    doc.erase(at, doc.find(',', at + 1) - at);
    out << doc << "\n";
  }
}

// case_args with the events read from `store` instead of a file.
std::vector<std::string> store_case_args(const std::string& store, const fs::path& out) {
  auto args = case_args("", out);
  const auto events = std::find(args.begin(), args.end(), "--events");
  *events = "--store";
  *(events + 1) = store;
  return args;
}

}  // namespace

TEST_CASE("an NXLog export with only local times is rejected whole until --events-tz names the collector's zone") {
  const auto dir = fresh_dir("siem-events-tz");
  fs::create_directories(dir);
  const auto file = dir / "nxlog-local.json";
  write_nxlog_local_times(file);
  auto args = case_args(file.string(), dir / "pack");
  auto r = run_flexrecon(args);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(dir / "pack" / "rejects.csv").find(file.string() + ",file,NXLog EventTime has no zone: pass --events-tz ZONE") !=
        std::string::npos);

  args.insert(args.end(), {"--events-tz", "America/New_York", "--force"});
  r = run_flexrecon(args);
  REQUIRE(r.exit_code == 0);
  CHECK(findings_without_evidence(dir / "pack", false) == findings_without_evidence(xml_pack(), false));

  auto unknown = case_args(file.string(), dir / "pack");
  unknown.insert(unknown.end(), {"--events-tz", "Mars/Olympus_Mons", "--force"});
  r = run_flexrecon(unknown);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("unknown time zone 'Mars/Olympus_Mons'") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a case store reads an NXLog export again once --events-tz is given, and --replace with another zone") {
  const auto dir = fresh_dir("siem-store-events-tz");
  fs::create_directories(dir);
  const auto file = dir / "nxlog-local.json";
  write_nxlog_local_times(file);
  const std::string store = (dir / "case.store").string();

  // Without a zone the file is stored rejected whole; what the reject says to do must work.
  auto r = run_ingest(store, {file.string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(" 0 events, 1 rejects") != std::string::npos);

  r = run_ingest(store, {file.string()}, {"--events-tz", "America/New_York"});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("replaced: " + file.string() + ": the copy stored as " + file.string() +
                   " was read without --events-tz, this ingest reads with --events-tz America/New_York: read again in its place") !=
        std::string::npos);
  CHECK(r.out.find(" 1 input files stored") != std::string::npos);

  auto direct_args = case_args(file.string(), dir / "direct");
  direct_args.insert(direct_args.end(), {"--events-tz", "America/New_York"});
  REQUIRE(run_flexrecon(direct_args).exit_code == 0);
  r = run_flexrecon(store_case_args(store, dir / "stored"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(dir / "stored" / "findings.csv") == read_file(dir / "direct" / "findings.csv"));
  CHECK(read_file(dir / "stored" / "rejects.csv") == read_file(dir / "direct" / "rejects.csv"));
  r = run_flexrecon({"inspect", store});
  CHECK(r.out.find(file.string() + ": 659 events, sha256 ") != std::string::npos);
  CHECK(r.out.find(", read with --events-tz America/New_York\n") != std::string::npos);

  // Another zone for a copy that gave events: said, not applied, unless --replace.
  r = run_ingest(store, {file.string()}, {"--events-tz", "Europe/Berlin"});
  CHECK(r.out.find("skipped: " + file.string() + ": already in " + store + " as " + file.string() +
                   " (read with --events-tz America/New_York, this ingest reads with --events-tz Europe/Berlin; "
                   "--replace reads it again)") != std::string::npos);
  CHECK(r.out.find(" 0 input files stored") != std::string::npos);
  // A run given that zone cannot read the stored copy as if it had been read in it.
  auto other_zone = store_case_args(store, dir / "berlin");
  other_zone.insert(other_zone.end(), {"--events-tz", "Europe/Berlin"});
  r = run_flexrecon(other_zone);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find(store + " holds " + file.string() + " read with --events-tz America/New_York, this run reads with "
                   "--events-tz Europe/Berlin: ingest it again with `--events-tz Europe/Berlin --replace`") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "berlin"));

  // The old copy goes in the transaction that stores the new one: killed in between, the store
  // still holds the old copy, whole.
  ::setenv("FLEXRECON_TEST_KILL_INGEST_AFTER_RECORDS", "300", 1);
  r = run_ingest(store, {file.string()}, {"--events-tz", "Europe/Berlin", "--replace"});
  ::unsetenv("FLEXRECON_TEST_KILL_INGEST_AFTER_RECORDS");
  CHECK(r.exit_code != 0);
  CHECK(r.out.find("replaced: ") == std::string::npos);
  r = run_flexrecon({"inspect", store});
  CHECK(r.out.find(file.string() + ": 659 events, sha256 ") != std::string::npos);
  CHECK(r.out.find(", read with --events-tz America/New_York\n") != std::string::npos);
  REQUIRE(run_flexrecon(store_case_args(store, dir / "after-kill")).exit_code == 0);
  CHECK(read_file(dir / "after-kill" / "findings.csv") == read_file(dir / "direct" / "findings.csv"));

  r = run_ingest(store, {file.string()}, {"--events-tz", "Europe/Berlin", "--replace"});
  CHECK(r.out.find("replaced: " + file.string()) != std::string::npos);
  r = run_flexrecon(other_zone);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  auto berlin_direct = case_args(file.string(), dir / "berlin-direct");
  berlin_direct.insert(berlin_direct.end(), {"--events-tz", "Europe/Berlin"});
  REQUIRE(run_flexrecon(berlin_direct).exit_code == 0);
  CHECK(read_file(dir / "berlin" / "findings.csv") == read_file(dir / "berlin-direct" / "findings.csv"));
  // Six hours off, the sessions are not the sample's.
  CHECK(read_file(dir / "berlin" / "findings.csv") != read_file(dir / "stored" / "findings.csv"));
  fs::remove_all(dir);
}
