// Case stores through the binary, as users run them: `ingest` into one or several stores, then
// `reconcile --store` gives the same findings, byte for byte, as reading the files directly.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/run_binary.h"
#include "support/shared_data.h"
#include "support/sqlite_file.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";
const std::string kCoverage = std::string(FLEXRECON_SOURCE_DIR) + "/tests/data/coverage-case";

// A case: its metering and options, and the folder of its event files.
struct Case {
  std::string name;
  std::string events;  // the folder given as --events in the direct run
  std::vector<std::string> options;
};

Case sample_case() {
  return {"samples", kSamples + "/events",
          {"--metering", kSamples + "/metering.csv", "--inventory", kSamples + "/inventory.csv", "--identities",
           kSamples + "/identities.csv", "--rates", kSamples + "/contract-rates.csv", "--as-of", "2026-11-30"}};
}
Case coverage_case() { return {"coverage", kCoverage + "/events", {"--metering", kCoverage + "/metering.csv"}}; }

// The input units of a folder as the walk names them (folder + "/" + relative path), sorted.
std::vector<std::string> units_of(const std::string& folder) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.is_regular_file()) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// What must not move between a direct run and any run from stores.
struct PackOutput {
  std::string findings;
  std::string rejects;
  nlohmann::json events;
};

PackOutput reconcile(const Case& c, const fs::path& out, const std::vector<std::string>& events,
                     const std::vector<std::string>& stores) {
  std::vector<std::string> args = {"reconcile"};
  args.insert(args.end(), c.options.begin(), c.options.end());
  if (!events.empty()) {
    args.push_back("--events");
    args.insert(args.end(), events.begin(), events.end());
  }
  if (!stores.empty()) {
    args.push_back("--store");
    args.insert(args.end(), stores.begin(), stores.end());
  }
  args.insert(args.end(), {"--quiet", "--force", "--out", out.string()});
  const auto r = run_flexrecon(args);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  return {read_file(out / "findings.csv"), read_file(out / "rejects.csv"),
          nlohmann::json::parse(read_file(out / "summary.json"))["events"]};
}

void require_ingested(const std::string& store, const std::vector<std::string>& events) {
  const auto r = run_ingest(store, events);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
}

// Files dealt at random: each to one of k shares (a store each), or, one time in `direct_one_in`,
// kept for the reconcile's --events.
struct Split {
  std::vector<std::vector<std::string>> shares;
  std::vector<std::string> direct;
};
Split random_split(const std::vector<std::string>& files, int k, unsigned direct_one_in, std::mt19937& random) {
  Split split;
  split.shares.resize(static_cast<std::size_t>(k));
  for (const auto& f : files) {
    const auto pick = random() % (direct_one_in * static_cast<unsigned>(k));
    if (pick < static_cast<unsigned>(k)) split.direct.push_back(f);
    else split.shares[pick % static_cast<unsigned>(k)].push_back(f);
  }
  return split;
}

// Each non-empty share ingested into a store of its own in `dir`, named by `tag` and the share, with
// the ingest options `extra(s)` (its files first put in an order of `random`'s when `shuffle_files`);
// returns the stores in an order of `random`'s.
std::vector<std::string> ingest_shares(const TempDir& dir, const std::string& tag, std::vector<std::vector<std::string>>& shares,
                                       bool shuffle_files, const std::function<std::vector<std::string>(int)>& extra,
                                       std::mt19937& random) {
  std::vector<std::string> stores;
  for (int s = 0; s < static_cast<int>(shares.size()); ++s) {
    if (shares[s].empty()) continue;
    if (shuffle_files) std::shuffle(shares[s].begin(), shares[s].end(), random);
    stores.push_back(dir.file(tag + "-" + std::to_string(s) + ".store"));
    const auto r = run_ingest(stores.back(), shares[s], extra(s));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
  }
  std::shuffle(stores.begin(), stores.end(), random);
  return stores;
}

// What must not move between a direct run and a run from stores, checked.
void check_same(const PackOutput& run, const PackOutput& direct) {
  CHECK(run.findings == direct.findings);
  CHECK(run.rejects == direct.rejects);
  CHECK(run.events == direct.events);
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("any split of the files across stores, in any order, reconciles to the direct run's findings") {
  // The sample with two of its files sent again under other names, one read before its original:
  // in one store, whichever is ingested second is a copy of the first.
  TempDir resent_dir;
  Case resent = sample_case();
  resent.name = "samples sent again";
  resent.events = (resent_dir.path() / "events").string();
  fs::copy(kSamples + "/events", resent.events, fs::copy_options::recursive);
  fs::copy_file(kSamples + "/events/ws-0104-logs.zip", resent_dir.path() / "events" / "a-resent.zip");
  fs::copy_file(kSamples + "/events/ws-0101/security.xml", resent_dir.path() / "events" / "zz-resent.xml");
  for (const Case& c : {sample_case(), coverage_case(), resent}) {
    TempDir dir;
    const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
    const std::vector<std::string> files = units_of(c.events);
    for (const unsigned seed : {1u, 2u, 3u}) {
      std::mt19937 random(seed);
      for (int k = 1; k <= 4; ++k) {
        INFO(c.name << ": seed " << seed << ", " << k << " stores");
        auto [shares, direct_files] = random_split(files, k, 5, random);
        // Every other store read with two threads: the order of the units stays the paths'.
        const std::vector<std::string> stores = ingest_shares(
            dir, "seed" + std::to_string(seed) + "-k" + std::to_string(k), shares, true,
            [](int s) { return s % 2 ? std::vector<std::string>{"--jobs", "2"} : std::vector<std::string>{}; }, random);
        std::shuffle(direct_files.begin(), direct_files.end(), random);
        const PackOutput split = reconcile(c, dir.path() / "split", direct_files, stores);
        check_same(split, direct);
      }
    }
  }
}

TEST_CASE("one host's files in different stores reconcile as if read together") {
  const Case c = sample_case();
  TempDir dir;
  const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
  // ts-01's three logs (Security, System, LocalSessionManager) in three stores, the rest in a fourth.
  std::vector<std::string> stores;
  std::vector<std::string> rest;
  for (const auto& f : units_of(c.events)) {
    if (f.find("/ts-01/") != std::string::npos) {
      stores.push_back(dir.file("ts-01-" + fs::path(f).stem().string() + ".store"));
      require_ingested(stores.back(), {f});
    } else {
      rest.push_back(f);
    }
  }
  REQUIRE(stores.size() == 3);
  stores.push_back(dir.file("rest.store"));
  require_ingested(stores.back(), rest);
  std::reverse(stores.begin(), stores.end());
  const PackOutput split = reconcile(c, dir.path() / "split", {}, stores);
  check_same(split, direct);
}

TEST_CASE("copies of one record in two stores count once, and a differing copy is a conflict") {
  const Case base = sample_case();
  TempDir dir;
  // ws-0102's Security log given twice: once as is, once with one record's content changed.
  const std::string original = read_file(kSamples + "/events/ws-0102/Security.xml");
  std::string changed = original;
  const auto at = changed.find("<Data Name=\"IpAddress\">10.1.1.20</Data>");
  REQUIRE(at != std::string::npos);
  changed.replace(at, std::string("<Data Name=\"IpAddress\">10.1.1.20</Data>").size(), "<Data Name=\"IpAddress\">10.9.9.99</Data>");
  fs::create_directories(dir.path() / "events");
  fs::copy(kSamples + "/events", dir.path() / "events", fs::copy_options::recursive);
  const std::string copy = dir.write("events/ws-0102/Security-copy.xml", original);
  const std::string altered = dir.write("events/ws-0102/Security-other.xml", changed);
  Case c = base;
  c.events = dir.file("events");
  const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
  REQUIRE(direct.events["conflicts"] == 1);
  REQUIRE(direct.rejects.find("conflicting duplicate") != std::string::npos);

  std::vector<std::string> rest;
  for (const auto& f : units_of(c.events))
    if (f != copy && f != altered) rest.push_back(f);
  require_ingested(dir.file("a.store"), rest);
  require_ingested(dir.file("b.store"), {copy});
  require_ingested(dir.file("c.store"), {altered});
  const PackOutput split = reconcile(c, dir.path() / "split", {}, {dir.file("c.store"), dir.file("a.store"), dir.file("b.store")});
  CHECK(split.events["duplicates"] == direct.events["duplicates"]);
  CHECK(split.events["conflicts"] == 1);
  CHECK(split.findings == direct.findings);
  CHECK(split.rejects == direct.rejects);

  SECTION("files named in reversed order keep the same copy: the order is the paths', not the command line's") {
    std::vector<std::string> files = units_of(c.events);
    std::reverse(files.begin(), files.end());
    const PackOutput reversed = reconcile(c, dir.path() / "reversed", files, {});
    check_same(reversed, direct);
  }
}

TEST_CASE("a second ingest of the same files skips each one and adds nothing, and a file added later is read") {
  const Case c = sample_case();
  TempDir dir;
  const std::string store = dir.file("case.store");
  std::vector<std::string> files = units_of(c.events);
  const std::string later = files.back();
  files.pop_back();
  require_ingested(store, files);
  const std::string units = sqlite_value(store, "SELECT COUNT(*) FROM units");
  const std::string blobs = sqlite_value(store, "SELECT COUNT(*) FROM record_blobs");
  CHECK(units == std::to_string(files.size()));

  const auto again = run_ingest(store, {c.events});
  INFO(again.out);
  REQUIRE(again.exit_code == 0);
  CHECK(count_lines_with(again.out, "skipped: ") == files.size());
  for (const auto& f : files) CHECK(again.out.find("skipped: " + f + ": already in " + store + " as " + f) != std::string::npos);
  CHECK(again.out.find(" 1 input files stored") != std::string::npos);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == std::to_string(files.size() + 1));
  CHECK(sqlite_value(store, "SELECT path FROM units ORDER BY id DESC LIMIT 1") == later);

  // Given a zone, they stay skipped, with nothing to say: a zone changes what a SIEM export's
  // zone-less times mean, and the sample's files are XML and EVTX.
  const auto third = run_ingest(store, {c.events}, {"--events-tz", "Europe/Berlin"});
  CHECK(third.out.find(" 0 input files stored") != std::string::npos);
  CHECK(count_lines_with(third.out, "skipped: ") == files.size() + 1);
  CHECK(third.out.find("--replace") == std::string::npos);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == std::to_string(files.size() + 1));
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM record_blobs") != blobs);  // the later file's records, once

  const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
  const PackOutput stored = reconcile(c, dir.path() / "stored", {}, {store});
  check_same(stored, direct);
}

TEST_CASE("a path that cannot be read is listed by a run from the store as by a direct run, and read once it can be") {
  const Case c = sample_case();
  TempDir dir;
  // The sample's files and a FIFO among them: never opened, reported (SPEC 6), in the custody list.
  const fs::path events = dir.path() / "events";
  fs::copy(c.events, events, fs::copy_options::recursive);
  const fs::path fifo = events / "ws-0100-pipe.xml";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  const std::string store = dir.file("case.store");
  const auto r = run_ingest(store, {events.string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("not stored: " + fifo.string() + ": skipped: FIFO") != std::string::npos);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units WHERE sha256 IS NULL") == "1");

  const PackOutput direct = reconcile(c, dir.path() / "direct", {events.string()}, {});
  const PackOutput stored = reconcile(c, dir.path() / "stored", {}, {store});
  CHECK(direct.rejects.find(fifo.string() + ",file,skipped: FIFO") != std::string::npos);
  CHECK(stored.rejects == direct.rejects);
  CHECK(stored.findings == direct.findings);
  CHECK(stored.events == direct.events);
  const std::string manifest = read_file(dir.path() / "stored" / "manifest.json");
  CHECK(manifest.find("\"name\": \"" + fifo.string() + "\"") != std::string::npos);

  // Recorded again, it stays one record; once it is a file, it is read and the record goes.
  REQUIRE(run_ingest(store, {events.string()}).exit_code == 0);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units WHERE sha256 IS NULL") == "1");
  fs::remove(fifo);
  const std::string first = units_of(c.events).front();
  std::ofstream(fifo, std::ios::binary) << read_file(first) << "\n";  // new bytes, the same events
  const auto again = run_ingest(store, {events.string()});
  INFO(again.out);
  CHECK(again.out.find(" 1 input files stored") != std::string::npos);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units WHERE sha256 IS NULL") == "0");
  const PackOutput direct_now = reconcile(c, dir.path() / "direct-now", {events.string()}, {});
  const PackOutput stored_now = reconcile(c, dir.path() / "stored-now", {}, {store});
  CHECK(stored_now.rejects == direct_now.rejects);
  CHECK(stored_now.findings == direct_now.findings);
  CHECK(stored_now.events == direct_now.events);

  // A path that reads again with content the store holds under another name is recorded as a copy
  // of it, and is no longer listed as unreadable either.
  fs::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  REQUIRE(run_ingest(store, {events.string()}).exit_code == 0);
  fs::remove(fifo);
  fs::copy_file(first, fifo);
  const auto same = run_ingest(store, {events.string()});
  INFO(same.out);
  const std::string stored_as = (events / fs::path(first).lexically_relative(c.events)).string();
  CHECK(same.out.find("copy: " + fifo.string() + ": the same bytes as " + stored_as + ", already in " + store) != std::string::npos);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units WHERE sha256 IS NULL") == "0");
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM unit_copies WHERE path = '" + fifo.string() + "'") == "1");
}

TEST_CASE("an ingest killed in the middle of a file leaves the store as before that file, and a rerun completes it") {
  const Case c = sample_case();
  TempDir dir;
  const std::string store = dir.file("case.store");
  const std::vector<std::string> files = units_of(c.events);
  require_ingested(store, {files[0]});
  const std::string units_before = sqlite_value(store, "SELECT group_concat(path, '|') FROM units");

  // The hook kills the ingest (SIGKILL) after 150 records: inside the second file's transaction
  // (the first file of this ingest has fewer), with record blobs already written in it.
  ::setenv("FLEXRECON_TEST_KILL_INGEST_AFTER_RECORDS", "150", 1);
  const auto killed = run_ingest(store, {c.events});
  ::unsetenv("FLEXRECON_TEST_KILL_INGEST_AFTER_RECORDS");
  INFO(killed.out);
  CHECK(killed.exit_code != 0);
  CHECK(killed.out.find("input files stored") == std::string::npos);  // it never got to its summary

  CHECK(sqlite_value(store, "PRAGMA integrity_check") == "ok");
  const std::string units_after = sqlite_value(store, "SELECT group_concat(path, '|') FROM units");
  // Units committed before the kill stay; the one being written is absent: every unit listed is whole.
  CHECK(units_after.rfind(units_before, 0) == 0);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units u WHERE records <> "
                     "(SELECT COALESCE(SUM(records), 0) FROM record_blobs b WHERE b.unit = u.id)") == "0");
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM record_blobs WHERE unit NOT IN (SELECT id FROM units)") == "0");

  const auto rerun = run_ingest(store, {c.events});
  INFO(rerun.out);
  REQUIRE(rerun.exit_code == 0);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == std::to_string(files.size()));
  const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
  const PackOutput stored = reconcile(c, dir.path() / "stored", {}, {store});
  CHECK(stored.findings == direct.findings);
  CHECK(stored.events == direct.events);
}

TEST_CASE("a second ingest into a store another ingest holds waits for it, says so, then completes") {
  const Case c = sample_case();
  TempDir dir;
  const std::string store = dir.file("case.store");
  require_ingested(store, {units_of(c.events)[0]});
  // This test holds the ingest lock (flock on the store), as a running ingest would.
  const int fd = ::open(store.c_str(), O_RDWR | O_CLOEXEC);  // not inherited by the ingest it starts
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const std::string log = dir.file("second.log");
  int status = -1;
  std::thread second([&] {
    const std::string cmd = shell_quote(FLEXRECON_BINARY) + " ingest --quiet --store " + shell_quote(store) + " --events " +
                            shell_quote(c.events) + " > " + shell_quote(log) + " 2>&1";
    status = std::system(cmd.c_str());
  });
  // Waits (polling the log, no fixed delay) until the second ingest reports the wait.
  const std::string expected = "waiting for another ingest into " + store + " (pid " + std::to_string(::getpid()) + ")";
  bool reported = false;
  for (int i = 0; i < 1200 && !reported; ++i) {
    reported = read_file(log).find(expected) != std::string::npos;
    if (!reported) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == "1");  // nothing written while it waits
  ::close(fd);  // releases the lock
  second.join();
  INFO(read_file(log));
  CHECK(reported);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == std::to_string(units_of(c.events).size()));
}

TEST_CASE("two ingests into one store at once never corrupt it: each file is stored once") {
  const Case c = sample_case();
  TempDir dir;
  const std::string store = dir.file("case.store");
  std::vector<std::string> files = units_of(c.events);
  // Overlapping halves: the files in both are stored by whichever ingest comes first, skipped by the other.
  const std::vector<std::string> first(files.begin(), files.begin() + 7);
  const std::vector<std::string> second(files.begin() + 3, files.end());
  RunResult a, b;
  std::thread ta([&] { a = run_ingest(store, first); });
  std::thread tb([&] { b = run_ingest(store, second); });
  ta.join();
  tb.join();
  INFO(a.out << "\n" << b.out);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(sqlite_value(store, "PRAGMA integrity_check") == "ok");
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM units") == std::to_string(files.size()));
  CHECK(count_lines_with(a.out + b.out, "skipped: ") == 4);
  const PackOutput direct = reconcile(c, dir.path() / "direct", {c.events}, {});
  const PackOutput stored = reconcile(c, dir.path() / "stored", {}, {store});
  CHECK(stored.findings == direct.findings);
  CHECK(stored.events == direct.events);
}

TEST_CASE("a file that is not a case store is refused, saying what it is, and left untouched") {
  const Case c = sample_case();
  TempDir dir;
  // A pack's evidence.sqlite, another application's SQLite database, a text file, a future store.
  reconcile(c, dir.path() / "pack", {c.events}, {});
  const std::string evidence = (dir.path() / "pack" / "evidence.sqlite").string();
  const std::string other = dir.file("other.db");
  sqlite_exec(other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('x');");
  const std::string text = dir.write("notes.txt", "just some notes\n");
  const std::string future = dir.file("future.store");
  require_ingested(future, {units_of(c.events)[0]});
  sqlite_exec(future, "PRAGMA user_version = 99");
  const struct {
    std::string path;
    std::string says;
  } foreign[] = {
      {evidence, "is not a flexrecon case store: it is an evidence pack's evidence.sqlite (evidence store schema 2)"},
      {other, "is not a flexrecon case store: it is a SQLite database of another application"},
      {text, "is not a flexrecon case store: it is not a SQLite database"},
      {future, "is a flexrecon case store of schema 99; this flexrecon (" FLEXRECON_VERSION ") reads schema 4"},
      {dir.path().string(), "is not a flexrecon case store: it is a directory"},
  };
  for (const auto& f : foreign) {
    INFO(f.path);
    const std::string before = fs::is_regular_file(f.path) ? read_file(f.path) : "";
    const auto in = run_ingest(f.path, {units_of(c.events)[1]});
    CHECK(in.exit_code == 3);
    CHECK(in.out.find("flexrecon: error: " + f.path + " " + f.says) != std::string::npos);
    std::vector<std::string> args = {"reconcile"};
    args.insert(args.end(), c.options.begin(), c.options.end());
    args.insert(args.end(), {"--store", f.path, "--quiet", "--out", dir.file("never")});
    const auto rec = run_flexrecon(args);
    CHECK(rec.exit_code == 3);
    CHECK(rec.out.find(f.says) != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("never")));
    if (fs::is_regular_file(f.path)) {
      CHECK(read_file(f.path) == before);
      const auto ins = run_flexrecon({"inspect", f.path});
      if (f.path != text) {  // a text file is not SQLite: inspect reads it as an event input instead
        CHECK(ins.exit_code == 3);
        CHECK(ins.out.find(f.says) != std::string::npos);
      }
    }
    CHECK_FALSE(fs::exists(f.path + "-journal"));
    CHECK_FALSE(fs::exists(f.path + "-wal"));
  }
}

TEST_CASE("inspect STORE lists the sources with their hashes, the hosts, record coverage and rejects") {
  TempDir dir;
  const std::string store = dir.file("case.store");
  const std::string empty = dir.write("empty.xml", "");
  require_ingested(store, {kSamples + "/events/ws-0104-logs.zip", empty});
  const auto r = run_flexrecon({"inspect", store});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(store + ": flexrecon case store, schema 4") != std::string::npos);
  CHECK(r.out.find("file " + kSamples + "/events/ws-0104-logs.zip!ws-0104/Security.xml: root-xml, ") != std::string::npos);
  CHECK(r.out.find("sha256 " + flexrecon::sha256_file(kSamples + "/events/ws-0104-logs.zip")) != std::string::npos);
  CHECK(r.out.find("hosts: ws-0104") != std::string::npos);
  CHECK(r.out.find("host ws-0104 Security: 101 records, EventRecordID 9001 .. 9103 (101 distinct, 1 gap)") != std::string::npos);
  CHECK(r.out.find("gap: records 9076 .. 9077 missing") != std::string::npos);
  CHECK(r.out.find("rejected " + empty + " file: empty file") != std::string::npos);
}

// In `dir`: a rules folder capping archive members at 1 MiB (returned), and `archive`, a .gz whose
// one member is ws-0101's log after a 2 MiB comment: read whole under the shipped cap, refused under
// this one before its first event.
fs::path capped_rules_and_archive(const TempDir& dir, const std::string& archive) {
  const fs::path rules = dir.path() / "rules";
  fs::copy(std::string(FLEXRECON_SOURCE_DIR) + "/rules", rules);
  std::string ini = read_file(rules / "settings.ini");
  const std::string shipped_cap = "max_archive_member_mib = 65536";
  REQUIRE(ini.find(shipped_cap) != std::string::npos);
  ini.replace(ini.find(shipped_cap), shipped_cap.size(), "max_archive_member_mib = 1");
  dir.write("rules/settings.ini", ini);
  const std::string log = read_file(kSamples + "/events/ws-0101/security.xml");
  const std::string big = "<Events>\n<!--" + std::string(2u << 20, ' ') + "-->\n" + log + "</Events>\n";
  const std::string plain = dir.write("big.xml", big);
  REQUIRE(std::system(("gzip -c " + shell_quote(plain) + " > " + shell_quote(archive)).c_str()) == 0);
  return rules;
}

TEST_CASE("a run whose rules cap archive members otherwise than the ingest did is refused, and reads the direct run's way once ingested again with those rules") {
  TempDir dir;
  const std::string archive = dir.file("big.xml.gz");
  const fs::path rules = capped_rules_and_archive(dir, archive);
  const std::string store = dir.file("case.store");
  require_ingested(store, {archive});
  auto r = run_flexrecon({"inspect", store});
  CHECK(r.out.find("hosts: ws-0101\n") != std::string::npos);

  Case capped = sample_case();
  capped.options.insert(capped.options.end(), {"--rules", rules.string()});
  std::vector<std::string> args = {"reconcile"};
  args.insert(args.end(), capped.options.begin(), capped.options.end());
  args.insert(args.end(), {"--store", store, "--quiet", "--out", dir.file("refused")});
  r = run_flexrecon(args);
  INFO(r.out);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find(store + " holds " + archive + " read with archive members capped at 65536 MiB, this run reads with "
                   "archive members capped at 1 MiB: ingest it again with `--rules " + rules.string() +
                   " --replace`, or run with the rules folder it was ingested with") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("refused")));

  r = run_ingest(store, {archive}, {"--rules", rules.string(), "--replace"});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("replaced: " + archive) != std::string::npos);
  const PackOutput direct = reconcile(capped, dir.path() / "direct", {archive}, {});
  const PackOutput stored = reconcile(capped, dir.path() / "stored", {}, {store});
  CHECK(direct.rejects.find("expands beyond 1048576 bytes") != std::string::npos);
  check_same(stored, direct);
  // The member is a reject now: its host is gone from what the store lists, though its name stays
  // in the store's name table.
  r = run_flexrecon({"inspect", store});
  CHECK(r.out.find(", 0 events, 0 hosts\n") != std::string::npos);
  CHECK(r.out.find("hosts: \n") != std::string::npos);
  CHECK(sqlite_value(store, "SELECT count(*) FROM hosts") == "1");
}

TEST_CASE("a file with the same bytes as one stored under another name is recorded as a copy, and runs read both as a direct run does") {
  const Case c = sample_case();
  TempDir dir;
  // The sample, and logs sent again under other names, in a folder read before the sample's: a
  // direct run keeps their records and its findings cite them, not the sample's files.
  const fs::path events = dir.path() / "events";
  fs::copy(c.events, events, fs::copy_options::recursive);
  const fs::path resent = dir.path() / "a-resent";
  fs::create_directories(resent / "zz");
  fs::copy_file(events / "ws-0104-logs.zip", resent / "aa-logs.zip");
  fs::copy_file(events / "ws-0101" / "security.xml", resent / "zz" / "ws-0101-again.xml");
  const std::vector<std::string> both = {events.string(), resent.string()};
  const PackOutput direct = reconcile(c, dir.path() / "direct", both, {});
  CHECK(direct.events["duplicates"] == 221);  // 101 + 120 records read twice
  CHECK(direct.findings.find((resent / "zz" / "ws-0101-again.xml").string()) != std::string::npos);

  // The sample first, the files sent again later: recorded as copies of what is stored.
  const std::string first = dir.file("first.store");
  require_ingested(first, {events.string()});
  auto r = run_ingest(first, {resent.string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("copy: " + (resent / "aa-logs.zip").string() + ": the same bytes as " + (events / "ws-0104-logs.zip").string() +
                   ", already in " + first + ": recorded as a copy, not read again") != std::string::npos);
  CHECK(r.out.find(" 0 input files stored (0 event files, 0 events, 0 rejects), 2 recorded as copies of files stored under another name, 0 skipped") !=
        std::string::npos);
  const PackOutput from_first = reconcile(c, dir.path() / "from-first", {}, {first});
  check_same(from_first, direct);
  const std::string manifest = read_file(dir.path() / "from-first" / "manifest.json");
  CHECK(manifest.find("\"name\": \"" + (resent / "aa-logs.zip").string() + "!ws-0104/Security.xml\"") != std::string::npos);
  r = run_flexrecon({"inspect", first});
  CHECK(r.out.find("input " + (resent / "zz" / "ws-0101-again.xml").string() + ": the same bytes as " +
                   (events / "ws-0101" / "security.xml").string()) != std::string::npos);
  // Its coverage counts the copy's records again, as duplicates, as the runs do.
  CHECK(r.out.find("host ws-0101 Security: 240 records, EventRecordID 20001 .. 20120 (120 distinct, 0 gaps), 120 duplicates (0 conflicting)") !=
        std::string::npos);

  // Both in one ingest: the first read (the walk's order: a-resent/ first) is stored, the other
  // recorded as its copy.
  const std::string together = dir.file("together.store");
  r = run_ingest(together, both);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("copy: " + (events / "ws-0104-logs.zip").string() + ": the same bytes as " + (resent / "aa-logs.zip").string()) !=
        std::string::npos);
  const PackOutput from_together = reconcile(c, dir.path() / "from-together", {}, {together});
  check_same(from_together, direct);

  // Once recorded, a copy is skipped like any file the store holds, and nothing is added.
  r = run_ingest(first, both);
  CHECK(r.out.find("copy: ") == std::string::npos);
  CHECK(r.out.find(" 0 input files stored (0 event files, 0 events, 0 rejects), 11 skipped as already stored") != std::string::npos);
  CHECK(sqlite_value(first, "SELECT COUNT(*) FROM unit_copies") == "2");
}

TEST_CASE("real exports split at random across stores reconcile as read directly: the public EVTX files, their XML renderings and SIEM archives") {
  // Real logs no one on the team wrote: each EVTX file's records again as python-evtx rendered them
  // (duplicates across formats, two of them conflicting copies) and three SIEM export archives.
  Case c;
  c.name = "public exports";
  c.options = {"--metering", kSamples + "/metering.csv"};
  std::vector<std::string> files;
  for (const char* folder : {"public-evtx", "public-evtx-xml", "public-siem"}) {
    const std::vector<std::string> more = units_of(require_shared(folder).string());
    files.insert(files.end(), more.begin(), more.end());
  }
  TempDir dir;
  const PackOutput direct = reconcile(c, dir.path() / "direct", files, {});
  REQUIRE(direct.events["duplicates"].get<int>() > 4000);
  REQUIRE(direct.events["conflicts"].get<int>() > 0);
  for (const unsigned seed : {1u, 2u}) {
    std::mt19937 random(seed);
    for (int k = 2; k <= 3; ++k) {
      INFO("seed " << seed << ", " << k << " stores");
      auto [shares, direct_files] = random_split(files, k, 4, random);
      const std::vector<std::string> stores = ingest_shares(
          dir, "seed" + std::to_string(seed) + "-k" + std::to_string(k), shares, false,
          [](int) { return std::vector<std::string>{"--jobs", "2"}; }, random);
      const PackOutput split = reconcile(c, dir.path() / "split", direct_files, stores);
      check_same(split, direct);
    }
  }
}

TEST_CASE("a file whose content changed since it was stored is stored beside it, said so, and runs read both") {
  const Case c = sample_case();
  TempDir dir;
  const std::string log = read_file(kSamples + "/events/ws-0101/security.xml");
  const std::string path = dir.write("ws-0101/security.xml", log);
  const std::string store = dir.file("case.store");
  require_ingested(store, {path});
  dir.write("ws-0101/security.xml", log + "\n");  // exported again: other bytes, the same events
  const auto r = run_ingest(store, {path});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("changed: " + path + ": stored beside the content the store already held under this name (sha256 " +
                   flexrecon::sha256_hex(log) + "): runs read both") != std::string::npos);
  CHECK(r.out.find(" 1 input files stored (1 event files, 120 events, 0 rejects)") != std::string::npos);
  // Both contents, ranked by (path, SHA-256): each record twice, identical, so duplicates and no conflict.
  const PackOutput stored = reconcile(c, dir.path() / "stored", {}, {store});
  CHECK(stored.events["read"] == 240);
  CHECK(stored.events["duplicates"] == 120);
  CHECK(stored.events["conflicts"] == 0);
  // Ingesting the same bytes again says nothing of a change.
  CHECK(run_ingest(store, {path}).out.find("changed: ") == std::string::npos);
}

TEST_CASE("a stored file read again with --replace under another name becomes the unit, and its first name a copy of it") {
  TempDir dir;
  const std::string first = dir.file("a/big.xml.gz");
  fs::create_directories(dir.path() / "a");
  const fs::path rules = capped_rules_and_archive(dir, first);
  const std::string again = dir.file("b/big.xml.gz");
  fs::create_directories(dir.path() / "b");
  fs::copy_file(first, again);
  const std::string store = dir.file("case.store");
  require_ingested(store, {first});  // under the shipped cap: the member is read
  const auto r = run_ingest(store, {again}, {"--rules", rules.string(), "--replace"});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("replaced: " + again + ": the copy stored as " + first + " was read with archive members capped at 65536 MiB") !=
        std::string::npos);
  CHECK(sqlite_value(store, "SELECT path FROM units WHERE sha256 IS NOT NULL") == again);
  CHECK(sqlite_value(store, "SELECT path FROM unit_copies") == first);
  // Both names now read under the 1 MiB cap, as a direct run with those rules reads them.
  Case capped = sample_case();
  capped.options.insert(capped.options.end(), {"--rules", rules.string()});
  const PackOutput direct = reconcile(capped, dir.path() / "direct", {first, again}, {});
  const PackOutput stored = reconcile(capped, dir.path() / "stored", {}, {store});
  CHECK(count_lines_with(direct.rejects, "expands beyond 1048576 bytes") == 2);
  check_same(stored, direct);
}
