#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <filesystem>

#include "ingest/input_units.h"
#include "ingest/xml_event_parser.h"
#include "ingest_test_support.h"
#include "util/sha256.h"

using namespace flexrecon;
using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kT1 = "2025-03-03T08:01:02Z";
const std::string kT2 = "2025-03-03T08:05:00Z";

struct Result {
  SourceTable sources;
  EventStore store;
  Rejects rejects;
};

Result read_inputs(const std::vector<std::string>& paths, const EventReadOptions& options = {}) {
  Result r;
  read_event_inputs(paths, options, r.sources, r.store, r.rejects);
  return r;
}

std::vector<std::string> source_names(const Result& r) {
  std::vector<std::string> names;
  for (const auto& f : r.sources.all()) names.push_back(f.name);
  return names;
}

std::string two_events(std::uint64_t first_record) {
  return "<Events>\n" + logon_4624(first_record, kT1) + "\n" + process_4688(first_record + 1, kT2) + "\n</Events>\n";
}

}  // namespace

TEST_CASE("a directory is walked recursively in sorted order and each file is a registered source") {
  TempDir dir;
  dir.write("b/z.xml", two_events(10));
  dir.write("b/a.xml", two_events(20));
  dir.write("a.xml", two_events(30));
  const auto r = read_inputs({dir.path().string()});
  const std::string base = dir.path().string();
  CHECK(source_names(r) == std::vector<std::string>{base + "/a.xml", base + "/b/a.xml", base + "/b/z.xml"});
  CHECK(r.rejects.empty());
  CHECK(r.store.counts.files == 3);
  CHECK(r.store.counts.read == 6);
  CHECK(r.store.counts.relevant == 3);
  CHECK(r.store.hosts.at("ws-0042").security.size() == 6);
  for (const auto& f : r.sources.all()) {
    CHECK(f.kind == SourceKind::Events);
    CHECK(f.format == "eventviewer-xml");
  }
}

TEST_CASE("a source's hash and size are of exactly the bytes of the file") {
  TempDir dir;
  const std::string bytes = "\xEF\xBB\xBF" + two_events(1);
  const auto path = dir.write("s.xml", bytes);
  const auto r = read_inputs({path});
  REQUIRE(r.sources.all().size() == 1);
  CHECK(r.sources.at(0).sha256 == sha256_hex(bytes));
  CHECK(r.sources.at(0).size == bytes.size());
}

TEST_CASE("progress is reported once per file with its size") {
  TempDir dir;
  const auto a = dir.write("a.xml", two_events(1));
  const auto b = dir.write("b.xml", two_events(5));
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  EventReadOptions options;
  options.on_progress = [&](const std::string& file, std::uint64_t bytes) { seen.emplace_back(file, bytes); };
  read_inputs({a, b}, options);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].first == a);
  CHECK(seen[1].second == two_events(5).size());
}

TEST_CASE("the progress plan counts every input file and its size on disk before any is read, an archive by its compressed size") {
  TempDir dir;
  const auto a = dir.write("in/a.xml", two_events(1));
  const auto zip = dir.write("in/b.zip", make_archive(ArchiveKind::Zip, {{"x.xml", two_events(3)}, {"y.xml", two_events(7)}}));
  const auto c = dir.write("in/c.xml", two_events(11));
  const auto missing = dir.file("missing.xml");
  std::vector<EventInputPlan> plans;
  std::vector<std::pair<std::string, std::uint64_t>> done;
  std::uint64_t bytes_read = 0;
  EventReadOptions options;
  options.on_plan = [&](const EventInputPlan& plan) {
    CHECK(done.empty());
    CHECK(bytes_read == 0);
    plans.push_back(plan);
  };
  options.on_bytes_read = [&](std::uint64_t n) { bytes_read += n; };
  options.on_progress = [&](const std::string& file, std::uint64_t bytes) { done.emplace_back(file, bytes); };
  read_inputs({dir.file("in"), missing}, options);
  const std::uint64_t on_disk = fs::file_size(a) + fs::file_size(zip) + fs::file_size(c);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].files == 4);
  CHECK(plans[0].bytes == on_disk);
  // Once per input file, the archive once (not per member), the missing file too (nothing read).
  CHECK(done == std::vector<std::pair<std::string, std::uint64_t>>{
                    {a, fs::file_size(a)}, {zip, fs::file_size(zip)}, {c, fs::file_size(c)}, {missing, 0}});
  CHECK(bytes_read == on_disk);
}

TEST_CASE("with --jobs every byte read is reported, and files in input order") {
  TempDir dir;
  std::vector<std::string> paths;
  std::uint64_t on_disk = 0;
  for (int i = 0; i < 6; ++i) {
    std::string big = "<Events>\n";
    for (int k = 0; k < 200 * (i + 1); ++k) big += logon_4624(static_cast<std::uint64_t>(i * 10000 + k + 1), kT1) + "\n";
    paths.push_back(dir.write("f" + std::to_string(i) + ".xml", big + "</Events>\n"));
    on_disk += fs::file_size(paths.back());
  }
  std::atomic<std::uint64_t> bytes_read{0};
  std::vector<std::string> done;
  EventReadOptions options;
  options.jobs = 3;
  options.on_bytes_read = [&](std::uint64_t n) { bytes_read += n; };
  options.on_progress = [&](const std::string& file, std::uint64_t) { done.push_back(file); };
  read_inputs(paths, options);
  CHECK(bytes_read.load() == on_disk);
  CHECK(done == paths);
}

// A merge slower than the readers (a busy machine): readers that finish their files go on to the
// next ones only as far as the bound on reading ahead allows, and wait there; the reader of the file
// being merged never waits on that bound, so nothing stalls and the files still arrive in order.
TEST_CASE("with --jobs a slow merge holds the readers back without stalling or reordering them") {
  TempDir dir;
  std::vector<std::string> paths;
  std::uint64_t events = 0;
  // The second file is long (its reader fills its own queue and waits for the merge); the ten after
  // it are short, so the other readers finish them and queue ahead until the bound stops them. When
  // the merge reaches the long file, its reader must go on although the queues ahead are full.
  for (int i = 0; i < 12; ++i) {
    const int n = i == 1 ? 20'000 : 2'500;  // batches of 1,024 records: 20 and 3
    std::string body = "<Events>\n";
    for (int k = 0; k < n; ++k, ++events) body += logon_4624(static_cast<std::uint64_t>(i * 100000 + k + 1), kT1) + "\n";
    // Named so the canonical order (by path) is the order written.
    paths.push_back(dir.write(std::string("f") + static_cast<char>('a' + i) + ".xml", body + "</Events>\n"));
  }
  std::vector<std::string> done;
  EventReadOptions options;
  options.jobs = 3;
  options.on_progress = [&](const std::string& file, std::uint64_t) {
    done.push_back(file);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the readers run on meanwhile
  };
  const auto r = read_inputs(paths, options);
  CHECK(done == paths);
  CHECK(r.store.counts.read == events);
  CHECK(r.store.counts.duplicates == 0);
}

TEST_CASE("an .evtx file is reported done once, not once per chunk") {
  const auto evtx = flexrecon::test::require_shared("public-evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/"
                                                    "ID5145-4624-DonPAPI full extraction.evtx")
                        .string();
  REQUIRE(fs::file_size(evtx) > 2 * 65536);  // several chunks
  std::vector<std::pair<std::string, std::uint64_t>> done;
  EventReadOptions options;
  options.on_progress = [&](const std::string& file, std::uint64_t bytes) { done.emplace_back(file, bytes); };
  read_inputs({evtx}, options);
  CHECK(done == std::vector<std::pair<std::string, std::uint64_t>>{{evtx, fs::file_size(evtx)}});
}

TEST_CASE("missing, empty and unrecognised files are rejected as files and the run goes on") {
  TempDir dir;
  const auto empty = dir.write("empty.xml", "");
  const auto junk = dir.write("notes.txt", "just some notes, not events\n");
  const auto good = dir.write("good.xml", two_events(1));
  const auto r = read_inputs({dir.file("missing.xml"), empty, junk, good});
  // Read in canonical path order (empty, good, missing, notes), whatever the command line's order.
  REQUIRE(r.rejects.size() == 3);
  CHECK(r.rejects[0].source == empty);
  CHECK(r.rejects[0].location == "file");
  CHECK(r.rejects[0].reason == "empty file");
  CHECK(r.rejects[1].source == dir.file("missing.xml"));
  CHECK(r.rejects[1].reason == "no such file or directory");
  CHECK(r.rejects[2].reason == "not a recognised event format");
  CHECK(r.store.counts.files_rejected == 3);
  CHECK(r.store.counts.files == 1);
  CHECK(r.store.counts.read == 2);
  // Every file given stays in the chain of custody: hashed when readable, with the reason.
  CHECK(source_names(r) == std::vector<std::string>{empty, good, dir.file("missing.xml"), junk});
  CHECK(r.sources.at(0).sha256 == sha256_hex(""));
  CHECK(r.sources.at(1).error.empty());
  CHECK(r.sources.at(2).sha256.empty());
  CHECK(r.sources.at(2).error == "no such file or directory");
  CHECK(r.sources.at(3).sha256 == sha256_hex("just some notes, not events\n"));
  CHECK(r.sources.at(3).error == "not a recognised event format");
}

TEST_CASE("inputs are read in path order component by component, whatever order the command line names them in") {
  TempDir dir;
  // A folder `a` sorts before the file `a.xml` (component `a` < `a.xml`), although the string
  // "a/x.xml" sorts after "a.xml" ('/' > '.'): the order a walk of the parent folder yields.
  const auto in_folder = dir.write("a/x.xml", two_events(1));
  const auto beside = dir.write("a.xml", two_events(3));
  const auto last = dir.write("b.xml", two_events(5));
  const std::vector<std::string> expected = {in_folder, beside, last};
  CHECK(source_names(read_inputs({last, beside, dir.file("a")})) == expected);
  CHECK(source_names(read_inputs({dir.file("a"), last, beside})) == expected);
  CHECK(source_names(read_inputs({dir.path().string()})) == expected);
  CHECK(unit_path_less("a/x.xml", "a.xml"));
  CHECK_FALSE(unit_path_less("a.xml", "a/x.xml"));
  CHECK(unit_path_less("logs/ws-1/Security.xml", "logs/ws-1/System.xml"));
}

TEST_CASE("FIFOs and sockets in a walked directory are reported, never opened") {
  TempDir dir;
  dir.write("a.xml", two_events(1));
  REQUIRE(::mkfifo(dir.file("pipe").c_str(), 0600) == 0);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock = dir.file("sock");
  const bool bound = sock.size() < sizeof(addr.sun_path) &&
                     (std::copy(sock.begin(), sock.end(), addr.sun_path), ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  // If reading the FIFO were attempted this would block forever: no writer ever opens it.
  const auto r = read_inputs({dir.path().string()});
  ::close(fd);
  CHECK(r.store.counts.read == 2);
  REQUIRE(r.rejects.size() == (bound ? 2u : 1u));
  CHECK(r.rejects[0].source == dir.file("pipe"));
  CHECK(r.rejects[0].reason == "skipped: FIFO");
  if (bound) CHECK(r.rejects[1].reason == "skipped: socket");
}

TEST_CASE("symlinks to directories are not followed during a walk - symlinks to files are read") {
  TempDir dir;
  dir.write("real/a.xml", two_events(1));
  dir.write("other/b.xml", two_events(5));
  std::filesystem::create_directory_symlink(dir.path() / "real", dir.path() / "other" / "loop");
  std::filesystem::create_symlink(dir.path() / "real" / "a.xml", dir.path() / "other" / "c.xml");
  const auto r = read_inputs({(dir.path() / "other").string()});
  // The link is listed too (chain of custody: every path found is accounted for), with its reason.
  CHECK(source_names(r) ==
        std::vector<std::string>{dir.file("other/b.xml"), dir.file("other/c.xml"), dir.file("other/loop")});
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].source == dir.file("other/loop"));
  CHECK(r.rejects[0].reason == "symbolic link to a directory not followed");
}

TEST_CASE("a zip of event files is read in place - members are named archive!path") {
  TempDir dir;
  const auto zip = dir.write("logs.zip", make_archive(ArchiveKind::Zip, {{"dc1/security.xml", two_events(1)},
                                                                         {"dc1/", ""},
                                                                         {"ws/system.xml", two_events(100)}}));
  const auto r = read_inputs({zip});
  CHECK(r.rejects.empty());
  CHECK(source_names(r) == std::vector<std::string>{zip, zip + "!dc1/security.xml", zip + "!ws/system.xml"});
  CHECK(r.sources.at(0).format == "archive");  // the archive file itself, hashed as it is on disk
  CHECK(r.sources.at(0).sha256 == sha256_file(zip));
  CHECK(r.store.counts.read == 4);
  CHECK(r.store.counts.files == 2);
  // The member's hash is of the decompressed member, what the reader saw.
  CHECK(r.sources.at(1).sha256 == sha256_hex(two_events(1)));
  CHECK(r.sources.at(1).size == two_events(1).size());
}

TEST_CASE("tar, tar.gz and a bare .gz are read in place, detected by content not name") {
  TempDir dir;
  const auto tgz = dir.write("export.tgz", make_archive(ArchiveKind::TarGz, {{"a.xml", two_events(1)}, {"b.xml", two_events(3)}}));
  const auto tar = dir.write("export.dat", make_archive(ArchiveKind::Tar, {{"c.xml", two_events(5)}}));
  const auto gz = dir.write("security.xml.gz", make_archive(ArchiveKind::Gz, {{"x", two_events(7)}}));
  const auto r = read_inputs({tgz, tar, gz});
  for (const auto& rej : r.rejects) FAIL_CHECK(rej.source << ": " << rej.reason);
  // Canonical path order: export.dat, export.tgz, security.xml.gz; members in archive order.
  CHECK(source_names(r) == std::vector<std::string>{tar, tar + "!c.xml", tgz, tgz + "!a.xml", tgz + "!b.xml", gz,
                                                    gz + "!security.xml"});
  CHECK(r.store.counts.read == 8);
}

TEST_CASE("a zip inside a zip is read through the outer archive, never extracted") {
  TempDir dir;
  const std::string inner = make_archive(ArchiveKind::Zip, {{"deep/events.xml", two_events(1)}});
  const auto outer = dir.write("outer.zip", make_archive(ArchiveKind::Zip, {{"inner.zip", inner}, {"top.xml", two_events(9)}}));
  const auto r = read_inputs({outer});
  CHECK(r.rejects.empty());
  CHECK(source_names(r) == std::vector<std::string>{outer, outer + "!inner.zip", outer + "!inner.zip!deep/events.xml",
                                                    outer + "!top.xml"});
  CHECK(r.store.counts.read == 4);
}

TEST_CASE("archives nested deeper than the limit are rejected, shallower levels still read") {
  TempDir dir;
  std::string nested = make_archive(ArchiveKind::Zip, {{"e.xml", two_events(1)}});
  for (int level = 2; level <= 5; ++level) nested = make_archive(ArchiveKind::Zip, {{"l" + std::to_string(level) + ".zip", nested}});
  const auto path = dir.write("l6.zip", nested);  // six levels of zip around e.xml
  SECTION("default limit of 4") {
    const auto r = read_inputs({path});
    CHECK(r.store.counts.read == 0);
    REQUIRE(r.rejects.size() == 1);
    CHECK(r.rejects[0].source == path + "!l5.zip!l4.zip!l3.zip!l2.zip");
    CHECK(r.rejects[0].reason == "archive nested deeper than 4 levels");
  }
  SECTION("a limit of 6 reaches the events") {
    EventReadOptions options;
    options.max_archive_nesting = 6;
    const auto r = read_inputs({path}, options);
    CHECK(r.rejects.empty());
    CHECK(r.store.counts.read == 2);
  }
}

TEST_CASE("a member that expands past the ratio or the absolute cap is rejected") {
  TempDir dir;
  // Looks like event XML, so the reader consumes all of it: 8 MiB of blanks inside <Events>.
  const std::string padded = "<Events>" + std::string(8 << 20, ' ') + "</Events>";
  const auto bomb = dir.write("bomb.zip", make_archive(ArchiveKind::Zip, {{"bomb.xml", padded}}));
  SECTION("ratio") {
    EventReadOptions options;
    options.max_expansion_ratio = 10;
    const auto r = read_inputs({bomb}, options);
    REQUIRE(r.rejects.size() >= 1);
    CHECK(r.rejects[0].source == bomb + "!bomb.xml");
    CHECK(r.rejects[0].reason.starts_with("member expands more than 10:1 ("));
  }
  SECTION("cap") {
    EventReadOptions options;
    options.max_member_bytes = 1 << 20;
    const auto r = read_inputs({bomb}, options);
    REQUIRE(r.rejects.size() >= 1);
    CHECK(r.rejects[0].reason == "member expands beyond 1048576 bytes");
  }
  SECTION("default bounds let an ordinary compressible log through") {
    std::string log = "<Events>\n";
    for (int i = 1; i <= 3000; ++i) log += logon_4624(static_cast<std::uint64_t>(i), kT1) + "\n";
    log += "</Events>\n";
    const auto ok = dir.write("ok.zip", make_archive(ArchiveKind::Zip, {{"big.xml", log}}));
    const auto r = read_inputs({ok});
    CHECK(r.rejects.empty());
    CHECK(r.store.counts.read == 3000);
  }
}

TEST_CASE("a truncated tar.gz is rejected as a file with the reason, and the run goes on") {
  TempDir dir;
  std::string tgz = make_archive(ArchiveKind::TarGz, {{"a.xml", two_events(1)}});
  const auto truncated = dir.write("cut.tar.gz", tgz.substr(0, tgz.size() / 2));
  const auto good = dir.write("good.xml", two_events(50));
  const auto r = read_inputs({truncated, good});
  REQUIRE_FALSE(r.rejects.empty());
  CHECK(r.store.counts.files_rejected == r.rejects.size());
  for (const auto& rej : r.rejects) {
    CHECK(rej.source.starts_with(truncated));
    CHECK(rej.location == "file");
    CHECK(rej.reason.starts_with("corrupt archive"));
    CHECK(rej.reason.find('\n') == std::string::npos);
  }
  CHECK(r.sources.all().back().name == good);
}

TEST_CASE("a damaged zip member is rejected with the reason, and the archive is reported as corrupt") {
  TempDir dir;
  std::string log = "<Events>\n";
  for (int i = 1; i <= 200; ++i) log += logon_4624(static_cast<std::uint64_t>(i), kT1, "WS-" + std::to_string(i * 7919)) + "\n";
  log += "</Events>\n";
  std::string zip = make_archive(ArchiveKind::Zip, {{"a.xml", log}, {"b.xml", two_events(1000)}});
  // Inside a.xml's deflate data: local header (30 bytes) + name (5) + a little.
  for (std::size_t i = 200; i < 240; ++i) zip[i] = static_cast<char>(zip[i] ^ 0x5A);
  const auto path = dir.write("damaged.zip", zip);
  const auto good = dir.write("good.xml", two_events(50));
  const auto r = read_inputs({path, good});
  REQUIRE(r.rejects.size() >= 1);
  CHECK(r.rejects[0].source == path + "!a.xml");
  CHECK(r.rejects[0].location == "file");
  CHECK(r.rejects[0].reason.starts_with("corrupt archive member: "));
  CHECK(r.sources.all().back().name == good);
  CHECK(r.store.counts.read == 2);
}

TEST_CASE("member paths with ../ or an absolute path are only names: nothing is written anywhere") {
  TempDir dir;
  const auto zip = dir.write("evil.zip", make_archive(ArchiveKind::Zip, {{"../../escaped.xml", two_events(1)}, {"/tmp/abs-flexrecon.xml", two_events(3)}}));
  const auto r = read_inputs({zip});
  CHECK(r.rejects.empty());
  CHECK(source_names(r) == std::vector<std::string>{zip, zip + "!../../escaped.xml", zip + "!/tmp/abs-flexrecon.xml"});
  CHECK(r.store.counts.read == 4);
  CHECK_FALSE(std::filesystem::exists(dir.path().parent_path().parent_path() / "escaped.xml"));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("malformed events inside a file are counted as rejected events, not rejected files") {
  TempDir dir;
  const auto path = dir.write("mixed.xml", "<Events>\n" + logon_4624(1, kT1) + "\n<Event><System></System></Event>\n</Events>");
  const auto r = read_inputs({path});
  CHECK(r.store.counts.read == 1);
  CHECK(r.store.counts.rejected == 1);
  CHECK(r.store.counts.files_rejected == 0);
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "line 3");
  CHECK(r.rejects[0].reason == "missing EventID");
}

TEST_CASE("reading with several jobs gives the same store, sources and rejects as one job") {
  const std::vector<std::string> paths = {std::string(FLEXRECON_SOURCE_DIR) + "/samples/events",
                                          flexrecon::test::require_shared("public-evtx-xml").string(),
                                          "/nonexistent/events.xml"};
  auto read = [&](int jobs, flexrecon::SourceTable& sources, flexrecon::EventStore& store, flexrecon::Rejects& rejects) {
    flexrecon::EventReadOptions options;
    options.jobs = jobs;
    flexrecon::read_event_inputs(paths, options, sources, store, rejects);
  };
  flexrecon::SourceTable s1, s3;
  flexrecon::EventStore e1, e3;
  flexrecon::Rejects r1, r3;
  read(1, s1, e1, r1);
  read(3, s3, e3, r3);
  REQUIRE(s1.all().size() == s3.all().size());
  for (std::size_t i = 0; i < s1.all().size(); ++i) {
    CHECK(s1.all()[i].name == s3.all()[i].name);
    CHECK(s1.all()[i].sha256 == s3.all()[i].sha256);
  }
  CHECK(e1.counts.read == e3.counts.read);
  CHECK(e1.counts.by_channel_and_id == e3.counts.by_channel_and_id);
  REQUIRE(e1.hosts.size() == e3.hosts.size());
  for (const auto& [host, events] : e1.hosts) {
    const auto& other = e3.hosts.at(host);
    REQUIRE(events.events.size() == other.events.size());
    for (std::size_t i = 0; i < events.events.size(); ++i) {
      CHECK(events.events[i].ref() == other.events[i].ref());
      CHECK(events.events[i].time == other.events[i].time);
    }
    CHECK(events.security.size() == other.security.size());
  }
  REQUIRE(r1.size() == r3.size());
  for (std::size_t i = 0; i < r1.size(); ++i) CHECK(r1[i].source == r3[i].source);
  CHECK(e1.counts.read > 4000);
}

// Zeros read as a tar's end-of-archive blocks: libarchive sees an empty .tar.gz.
TEST_CASE("a compressed file of zeros is reported as an archive holding no files") {
  TempDir dir;
  const std::string path = dir.write("zeros.gz", make_archive(ArchiveKind::Gz, {{"zeros", std::string(65536, '\0')}}));
  SourceTable sources;
  EventStore store;
  Rejects rejects;
  read_event_inputs({path}, {}, sources, store, rejects);
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].source == path);
  CHECK(rejects[0].location == "file");
  CHECK(rejects[0].reason == "archive holds no files");
  CHECK(store.counts.files_rejected == 1);
}

namespace {

// A reproducer fuzzing found; a missing shared/data folder fails the test rather than skipping it.
std::string fuzz_repro(const std::string& name) {
  const std::string path = std::string(FLEXRECON_SHARED_DATA) + "/fuzz-repro/" + name;
  REQUIRE(std::filesystem::exists(path));
  return path;
}

// The expanded byte count a "member expands more than R:1 (N bytes from C compressed)" reason names.
std::uint64_t expanded_bytes(const std::string& reason) {
  const auto open = reason.find('(');
  REQUIRE(open != std::string::npos);
  return std::stoull(reason.substr(open + 1));
}

}  // namespace

TEST_CASE("the 1 GB gzip bombs from fuzzing are refused by the 1000:1 ratio after a few MB, and the run goes on") {
  for (const std::string name : {"splitter_open_tag_1g.xml.gz", "splitter_comment_1g.xml.gz"}) {
    INFO(name);
    const std::string path = fuzz_repro(name);
    const std::string member = path + "!" + name.substr(0, name.size() - 3);
    const auto r = read_inputs({path, path + ".missing"});
    REQUIRE(r.rejects.size() == 3);
    CHECK(r.rejects[0].source == member);
    CHECK(r.rejects[0].location == "file");
    CHECK(r.rejects[0].reason.starts_with("member expands more than 1000:1 ("));
    // The ratio fires at 1000 x the 4 KiB floor plus at most one read, not after 65 MB or 1 GB.
    CHECK(expanded_bytes(r.rejects[0].reason) <= 1000 * 4096 + (1 << 18));
    CHECK(r.rejects[1].reason == "archive not read beyond over-expanding member " + member);
    CHECK(r.rejects[2].source == path + ".missing");
    CHECK(r.store.counts.read == 0);
  }
}

TEST_CASE("the quadratic-sniff zip from fuzzing (20 members of `<a` then 65,530 `<`) is read, each member rejected") {
  const std::string path = fuzz_repro("sniff_quadratic_x20.zip");
  const auto r = read_inputs({path});
  REQUIRE(r.rejects.size() == 20);
  for (std::size_t i = 0; i < r.rejects.size(); ++i) {
    CHECK(r.rejects[i].source == path + "!m" + (i < 10 ? "0" : "") + std::to_string(i) + ".xml");
    CHECK(r.rejects[i].reason == "not a recognised event format");
  }
  CHECK(r.store.counts.files_rejected == 20);
}

TEST_CASE("the expansion ratio is taken against the compressed bytes used, with a 4 KiB floor") {
  TempDir dir;
  SECTION("a bomb is refused once it passes 1000 x the floor, long before it expands whole") {
    const auto bomb = dir.write("bomb.xml.gz", make_archive(ArchiveKind::Gz, {{"bomb.xml", "<Events>" + std::string(60 << 20, ' ')}}));
    const auto r = read_inputs({bomb});
    REQUIRE(r.rejects.size() == 2);
    CHECK(r.rejects[0].reason.starts_with("member expands more than 1000:1 ("));
    CHECK(expanded_bytes(r.rejects[0].reason) <= 1000 * 4096 + (1 << 18));
  }
  SECTION("a small member compressed 500:1 and expanding under 1000 x the floor is read whole") {
    const std::string xml = "<Events>\n" + logon_4624(1, kT1) + std::string(3 << 20, ' ') + "\n</Events>\n";
    const auto small = dir.write("small.xml.gz", make_archive(ArchiveKind::Gz, {{"small.xml", xml}}));
    REQUIRE(std::filesystem::file_size(small) * 500 < xml.size());
    const auto r = read_inputs({small});
    CHECK(r.rejects.empty());
    CHECK(r.store.counts.read == 1);
  }
}

TEST_CASE("an event file with no <Event> element is a rejected file, not a rejected event") {
  TempDir dir;
  const auto empty = dir.write("empty.xml", "<?xml version=\"1.0\"?>\n<Events>\n</Events>\n");
  const auto r = read_inputs({empty});
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].source == empty);
  CHECK(r.rejects[0].location == "file");
  CHECK(r.rejects[0].reason == "no <Event> element in the file");
  CHECK(r.store.counts.files_rejected == 1);
  CHECK(r.store.counts.rejected == 0);
  // Still a registered source: its hash is recorded like any file that was read.
  CHECK(source_names(r) == std::vector<std::string>{empty});
}

// A direct run takes content fingerprints only where copies of a record can meet (a host and
// channel whose EventRecordIDs overlap between files, or do not rise within one), by reading those
// files again: read_event_inputs, fingerprint_where_copies_meet.
namespace {

std::string security_events(std::initializer_list<std::uint64_t> records, const std::string& user = "jdoe") {
  std::string text;
  for (const std::uint64_t r : records) text += logon_4624(r, kT1, "WS-0042.corp.example", user) + "\n";
  return text;
}

// The units read_event_inputs reads again, by name, after reading `dir`.
std::vector<std::string> read_again(const std::string& dir, EventCounts* counts = nullptr,
                                    std::vector<DuplicateConflict>* conflicts = nullptr) {
  SourceTable sources;
  Rejects rejects;
  IngestedEvents events;
  read_event_inputs({dir}, EventReadOptions{}, sources, events, rejects);
  std::vector<std::string> names;
  for (const SourceId id : events.builder().units_to_fingerprint()) names.push_back(fs::path(sources.all()[id].name).filename());
  events.for_each_host(1, [](HostEvents&&) {});
  if (counts) *counts = events.counts();
  if (conflicts) *conflicts = events.conflicts();
  return names;
}

// A reading of `dir`, every host assembled, with its progress calls kept: each plan, and the files
// done in order (by name).
struct ObservedReading {
  std::vector<EventInputPlan> plans;
  std::vector<std::string> done;
  SourceTable sources;
  Rejects rejects;
  IngestedEvents events;
  explicit ObservedReading(const std::string& dir) {
    EventReadOptions options;
    options.on_plan = [&](const EventInputPlan& plan) { plans.push_back(plan); };
    options.on_progress = [&](const std::string& file, std::uint64_t) { done.push_back(fs::path(file).filename()); };
    read_event_inputs({dir}, options, sources, events, rejects);
    events.for_each_host(1, [](HostEvents&&) {});
  }
};

}  // namespace

TEST_CASE("files whose record ids do not overlap are read once, whatever order their names put them in") {
  TempDir dir;
  dir.write("a.xml", security_events({201, 202, 203}));
  dir.write("b.xml", security_events({1, 2, 3}));
  dir.write("c.xml", security_events({4, 5, 200}));  // touches b's range and a's: the ranges merge
  dir.write("d.xml", security_events({300, 310, 320}));
  EventCounts counts;
  CHECK(read_again(dir.path().string(), &counts).empty());
  CHECK(counts.read == 12);
  CHECK(counts.duplicates == 0);
}

TEST_CASE("where copies meet, every file of that host and channel is read again and copies and conflicts are found") {
  TempDir dir;
  dir.write("a.xml", security_events({1, 2, 3}));
  dir.write("b.xml", security_events({10, 11}));
  dir.write("c.xml", security_events({2}) + security_events({3}, "mallory"));  // a copy of 2, a changed 3
  // Another host's file: its ids overlap nothing of its own, so it is not read again.
  dir.write("z.xml", logon_4624(2, kT1, "WS-0099.corp.example") + "\n");
  EventCounts counts;
  std::vector<DuplicateConflict> conflicts;
  CHECK(read_again(dir.path().string(), &counts, &conflicts) == std::vector<std::string>{"a.xml", "b.xml", "c.xml"});
  CHECK(counts.duplicates == 2);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].record_id == 3);
}

TEST_CASE("ids that do not rise within one file are read again: a record twice in one export") {
  TempDir dir;
  dir.write("a.xml", security_events({5, 6, 5}));
  EventCounts counts;
  CHECK(read_again(dir.path().string(), &counts) == std::vector<std::string>{"a.xml"});
  CHECK(counts.duplicates == 1);
}

TEST_CASE("a host and channel spread over more id ranges than are watched counts as overlapping") {
  TempDir dir;
  const std::size_t files = EventStoreBuilder::kMaxWatchedRanges + 1;
  for (std::size_t i = 0; i < files; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "f%04zu.xml", i);
    dir.write(name, security_events({1000 - 3 * i}));  // descending, never touching: a range each
  }
  EventCounts counts;
  CHECK(read_again(dir.path().string(), &counts).size() == files);
  CHECK(counts.duplicates == 0);
}

TEST_CASE("a file that changes between its first reading and the second stops the run") {
  TempDir dir;
  const std::string a = dir.write("a.xml", security_events({1, 2}));
  dir.write("b.xml", security_events({2, 3}));
  EventReadOptions options;
  options.on_progress = [&](const std::string& file, std::uint64_t) {
    if (fs::path(file).filename() == "b.xml") dir.write("a.xml", security_events({1, 2}, "mallory"));
  };
  SourceTable sources;
  Rejects rejects;
  IngestedEvents events;
  try {
    read_event_inputs({dir.path().string()}, options, sources, events, rejects);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(a + ": changed while this run was reading it") != std::string::npos);
    CHECK(e.kind() == ErrorKind::InputUnusable);
  }
}

TEST_CASE("files read again for fingerprints count in the reading's plan and progress") {
  TempDir dir;
  dir.write("a.xml", security_events({1, 2}));
  dir.write("b.xml", security_events({2, 3}));
  dir.write("c.xml", logon_4624(7, kT1, "WS-0099.corp.example") + "\n");
  const ObservedReading r(dir.path().string());
  REQUIRE(r.plans.size() == 2);
  CHECK(r.plans[0].files == 3);
  CHECK(r.plans[1].files == 5);
  CHECK(r.plans[1].bytes == r.plans[0].bytes + fs::file_size(dir.path() / "a.xml") + fs::file_size(dir.path() / "b.xml"));
  CHECK(r.done == std::vector<std::string>{"a.xml", "b.xml", "c.xml", "a.xml", "b.xml"});
}

TEST_CASE("a first reading leaves unused events' fields unread, and a copy that differs only there is still a conflict") {
  TempDir dir;
  std::string changed = process_4688(2, kT1);
  changed.replace(changed.find("notepad.exe</Data></EventData>"), 11, "mimikatz.ex");
  dir.write("a.xml", process_4688(1, kT1) + "\n" + process_4688(2, kT1) + "\n");
  dir.write("b.xml", changed + "\n");
  // What the first reading hands on: the unused 4688 without its fields, a used 4624 with them.
  EventReadOptions first;
  first.content_fingerprints = false;
  std::vector<Event> seen;
  XmlEventParser parser(first);
  for (const std::string& text : {process_4688(9, kT1), logon_4624(10, kT1)}) {
    std::string copy = text;
    Event e;
    std::string why;
    REQUIRE(parser.parse(copy, e, why));
    seen.push_back(e);
  }
  CHECK(seen[0].fields.empty());
  CHECK(seen[1].field("TargetUserName") == "jdoe");
  EventCounts counts;
  std::vector<DuplicateConflict> conflicts;
  CHECK(read_again(dir.path().string(), &counts, &conflicts) == std::vector<std::string>{"a.xml", "b.xml"});
  CHECK(counts.duplicates == 1);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].record_id == 2);
}

TEST_CASE("of files with the same bytes one is read again, and its fingerprints serve the others") {
  TempDir dir;
  dir.write("a.xml", security_events({1, 2, 3}));
  dir.write("b.xml", security_events({1, 2, 3}));              // the same bytes: a batch sent twice
  dir.write("c.xml", security_events({3}, "mallory"));          // a changed copy of 3
  const ObservedReading r(dir.path().string());
  CHECK(r.done == std::vector<std::string>{"a.xml", "b.xml", "c.xml", "a.xml", "c.xml"});
  REQUIRE(r.plans.size() == 2);
  CHECK(r.plans[1].files == 5);
  CHECK(r.events.counts().duplicates == 4);
  // 3 of c differs from 3 of a (kept: first in input order); b's copies of a are identical.
  REQUIRE(r.events.conflicts().size() == 1);
  CHECK(r.events.conflicts()[0].record_id == 3);
}
