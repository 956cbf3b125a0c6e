// Behaviour of the EVTX reader a user relies on: damaged files lose only the damaged part, with a
// reject naming where; streaming gives the same result however the bytes arrive; never a crash.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <set>

#include "evtx/binxml.h"
#include "evtx/binxml_value.h"
#include "evtx/crc32.h"
#include "evtx_test_support.h"

using namespace flexrecon;
using namespace flexrecon::evtx_test;

namespace {

constexpr std::size_t kHeader = 4096;
constexpr std::size_t kChunk = 65536;

const std::filesystem::path kManyChunks = "EVTX-to-MITRE-Attack/TA0002-Execution/T1047-Windows Management Instrumentation/"
                                          "ID4688-5145-WMIexec execution via SMB.evtx";
const std::filesystem::path kLogons = "EVTX-to-MITRE-Attack/TA0008-Lateral Movement/"
                                      "T1550-Use Alternate Authentication Material/ID4624-Mimikatz Pass the hash.evtx";

std::uint32_t le32(const std::string& b, std::size_t pos) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + pos, 4);
  return v;
}
std::uint64_t le64(const std::string& b, std::size_t pos) {
  std::uint64_t v;
  std::memcpy(&v, b.data() + pos, 8);
  return v;
}
void put32(std::string& b, std::size_t pos, std::uint32_t v) { std::memcpy(b.data() + pos, &v, 4); }

std::size_t chunk_at(std::size_t n) { return kHeader + n * kChunk; }
bool is_chunk(const std::string& b, std::size_t n) {
  return b.size() >= chunk_at(n) + kChunk && std::memcmp(b.data() + chunk_at(n), "ElfChnk\0", 8) == 0;
}

// Recomputes a chunk's two checksums, so a deliberate change reaches the record decoder instead of
// being stopped by the checksum test.
void fix_checksums(std::string& b, std::size_t n) {
  auto* c = reinterpret_cast<std::uint8_t*>(b.data() + chunk_at(n));
  std::uint32_t free_space = le32(b, chunk_at(n) + 48);
  if (free_space >= 512 && free_space <= kChunk)
    put32(b, chunk_at(n) + 52, evtx::crc32_update(0, c + 512, free_space - 512));
  std::uint32_t crc = evtx::crc32_update(0, c, 120);
  put32(b, chunk_at(n) + 124, evtx::crc32_update(crc, c + 128, 384));
}

std::set<std::uint64_t> ids_of(const std::vector<Event>& events) {
  std::set<std::uint64_t> ids;
  for (const auto& e : events) ids.insert(e.record_id);
  return ids;
}

std::string sample(const std::filesystem::path& rel) {
  return read_file(flexrecon::test::require_shared(std::filesystem::path("public-evtx") / rel));
}

}  // namespace

TEST_CASE("the EVTX signature is recognised from the first bytes") {
  CHECK(looks_like_evtx(std::string_view("ElfFile\0\x01\x02", 10)));
  CHECK_FALSE(looks_like_evtx("<Event xmlns='x'>"));
  CHECK_FALSE(looks_like_evtx("ElfFile"));  // too short to hold the signature
  CHECK_FALSE(looks_like_evtx(std::string_view("ElfChnk\0", 8)));
}

TEST_CASE("a stream that is not EVTX is rejected as a whole file with no events") {
  auto r = read_bytes("<Event><System></System></Event>");
  CHECK(r.events.empty());
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "file");
  CHECK(r.rejects[0].source == "test.evtx");
}

TEST_CASE("an EVTX file header cut short is rejected as a file") {
  auto r = read_bytes(std::string("ElfFile\0", 8) + std::string(100, '\0'));
  CHECK(r.events.empty());
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "file");
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("truncated"));
}

TEST_CASE("a logon event carries its header, normalised host, channel and named fields") {
  const std::string bytes = sample(kLogons);
  if (bytes.empty()) return;
  auto r = read_bytes(bytes);
  CHECK(r.rejects.empty());
  const Event* logon = nullptr;
  for (const auto& e : r.events)
    if (e.event_id == 4624) logon = logon ? logon : &e;
  REQUIRE(logon != nullptr);
  CHECK(logon->source == 7);
  CHECK(logon->line == 0);
  CHECK(logon->channel_name == "Security");
  CHECK(logon->channel == Channel::Security);
  CHECK(logon->provider == "Microsoft-Windows-Security-Auditing");
  // host: lower-case, up to the first dot of Computer
  std::string expected_host = logon->computer.substr(0, logon->computer.find('.'));
  for (auto& ch : expected_host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  CHECK(logon->host == expected_host);
  std::set<std::string> names;
  for (const auto& f : logon->fields) names.insert(f.name);
  for (const char* n : {"LogonType", "TargetUserName", "TargetDomainName", "TargetUserSid", "TargetLogonId"})
    CHECK(names.count(n) == 1);
  for (const auto& f : logon->fields) {
    if (f.name == "TargetUserSid") CHECK(f.value.rfind("S-1-", 0) == 0);
    if (f.name == "TargetLogonId") CHECK(f.value.rfind("0x", 0) == 0);
  }
}

TEST_CASE("reading an EVTX file in small pieces gives the same events as reading it at once") {
  const std::string bytes = sample(kManyChunks);
  if (bytes.empty()) return;
  auto whole = read_bytes(bytes);
  auto pieces = read_bytes(bytes, 777);
  REQUIRE(whole.events.size() == pieces.events.size());
  CHECK(pieces.rejects.empty());
  for (std::size_t i = 0; i < whole.events.size(); ++i) {
    CHECK(whole.events[i].record_id == pieces.events[i].record_id);
    CHECK(whole.events[i].time == pieces.events[i].time);
    CHECK(whole.events[i].fields.size() == pieces.events[i].fields.size());
  }
}

// Positions [begin, end) in delivery order of the records chunk `n` holds (chunk headers count their
// records; a log's EventRecordIDs need not match the record numbers, e.g. in exported logs).
std::pair<std::size_t, std::size_t> records_of_chunk(const std::string& b, std::size_t n) {
  std::size_t begin = 0;
  for (std::size_t k = 0; k < n; ++k) begin += le64(b, chunk_at(k) + 16) - le64(b, chunk_at(k) + 8) + 1;
  return {begin, begin + le64(b, chunk_at(n) + 16) - le64(b, chunk_at(n) + 8) + 1};
}

std::set<std::uint64_t> ids_outside(const std::vector<Event>& events, std::pair<std::size_t, std::size_t> range) {
  std::set<std::uint64_t> ids;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (i < range.first || i >= range.second) ids.insert(events[i].record_id);
  return ids;
}

TEST_CASE("a chunk whose checksum fails is rejected alone and the other chunks' records still arrive") {
  std::string bytes = sample(kManyChunks);
  if (bytes.empty()) return;
  REQUIRE(is_chunk(bytes, 3));
  const auto all = read_bytes(bytes).events;
  const auto range = records_of_chunk(bytes, 3);
  REQUIRE(range.second > range.first);
  bytes[chunk_at(3) + 1000] ^= 0x5a;  // inside the records, checksum not updated

  auto r = read_bytes(bytes);
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "chunk 3");
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("checksum"));
  CHECK(ids_of(r.events) == ids_outside(all, range));
  CHECK(r.events.size() == all.size() - (range.second - range.first));
}

TEST_CASE("a record with corrupt Binary XML is rejected alone, located by chunk and offset") {
  std::string bytes = sample(kManyChunks);
  if (bytes.empty()) return;
  const auto all = read_bytes(bytes).events;
  const auto range = records_of_chunk(bytes, 1);
  // The first record of chunk 1 starts at chunk offset 512; its Binary XML 24 bytes later. An
  // impossible token there breaks that record only: the template definitions it holds stay intact.
  const std::size_t record = chunk_at(1) + 512;
  bytes[record + 24] = static_cast<char>(0x1f);
  fix_checksums(bytes, 1);

  auto r = read_bytes(bytes);
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "chunk 1 offset 0x200");
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("corrupt Binary XML"));
  CHECK(ids_of(r.events) == ids_outside(all, {range.first, range.first + 1}));
  CHECK(r.events.size() == all.size() - 1);
}

TEST_CASE("an EVTX file cut short keeps every whole chunk's records and reports the cut chunk") {
  std::string bytes = sample(kManyChunks);
  if (bytes.empty()) return;
  REQUIRE(is_chunk(bytes, 2));
  const auto all = read_bytes(bytes).events;
  const auto cut = records_of_chunk(bytes, 2);
  bytes.resize(chunk_at(2) + 30000);

  auto r = read_bytes(bytes);
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].location == "chunk 2");
  CHECK_THAT(r.rejects[0].reason, Catch::Contains("truncated"));
  CHECK(ids_of(r.events) == ids_outside(all, {cut.first, all.size()}));
}

TEST_CASE("never-written (all-zero) chunks after the last one are skipped without a reject") {
  std::string bytes = sample(kLogons);
  if (bytes.empty()) return;
  const auto before = read_bytes(bytes);
  bytes += std::string(2 * kChunk, '\0');
  const auto after = read_bytes(bytes);
  CHECK(after.rejects.empty());
  CHECK(ids_of(after.events) == ids_of(before.events));
}

TEST_CASE("an event that expands past the event size limit is rejected alone, not delivered") {
  const std::string bytes = sample(kLogons);
  if (bytes.empty()) return;
  const auto normal = read_bytes(bytes);
  EventReadOptions small;
  small.max_event_bytes = 200;
  MemorySource src(bytes);
  std::vector<Event> events;
  Rejects rejects;
  read_evtx_stream(src, "x.evtx", 0, small, [&](Event&& e) { events.push_back(std::move(e)); }, rejects);
  CHECK(events.empty());
  CHECK(rejects.size() == normal.events.size());
  for (const auto& rej : rejects) CHECK_THAT(rej.reason, Catch::Contains("size limit"));
}

TEST_CASE("damaged EVTX files (flipped bytes with valid checksums, truncation) never crash or hang") {
  std::vector<std::string> files;
  const std::filesystem::path time_change = "EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1070.006-Timestomp/"
                                            "ID4616-system time changed.evtx";
  const std::filesystem::path classic = "EVTX-ATTACK-SAMPLES/Credential Access/"
                                        "Zerologon_CVE-2020-1472_DFIR_System_NetLogon_Error_EventID_5805.evtx";
  for (const auto& rel : {kManyChunks, kLogons, time_change, classic}) {
    std::string b = sample(rel);
    if (!b.empty()) files.push_back(std::move(b));
  }
  if (files.empty()) return;
  std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: the same damage on every run
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t runs = 0, rejected = 0;
  for (const auto& original : files) {
    const std::size_t chunks = (original.size() - kHeader) / kChunk;
    std::size_t used = 0;
    while (used < chunks && is_chunk(original, used)) ++used;
    const auto baseline = read_bytes(original).events.size();
    // Fewer rounds for the large file keep the run short; FLEXRECON_FUZZ_ROUNDS=N multiplies them.
    const char* more = std::getenv("FLEXRECON_FUZZ_ROUNDS");
    const int rounds = (used > 2 ? 40 : 150) * (more ? std::max(1, std::atoi(more)) : 1);
    for (int round = 0; round < rounds; ++round) {
      std::string b = original;
      const std::size_t n = next() % used;
      const int flips = 1 + static_cast<int>(next() % 8);
      for (int k = 0; k < flips; ++k) {
        // Mostly inside the written records of the chunk, sometimes its header.
        const std::size_t free_space = std::min<std::size_t>(le32(original, chunk_at(n) + 48), kChunk);
        const std::size_t span = next() % 4 == 0 ? 512 : free_space;
        b[chunk_at(n) + next() % span] ^= static_cast<char>(1 + next() % 255);
      }
      if (round % 3 != 0) fix_checksums(b, n);
      if (round % 10 == 0) b.resize(kHeader + next() % (b.size() - kHeader));
      ReadResult r;
      REQUIRE_NOTHROW(r = read_bytes(b, 1 + next() % 70000));
      CHECK(r.events.size() <= baseline + static_cast<std::size_t>(flips));
      for (const auto& rej : r.rejects) {
        CHECK(!rej.location.empty());
        CHECK(!rej.reason.empty());
      }
      rejected += r.rejects.empty() ? 0 : 1;
      ++runs;
    }
  }
  CHECK(runs >= 40);
  CHECK(rejected > 0);  // the damage was seen, not silently swallowed
}

TEST_CASE("the decoder's reused tree keeps no more than a typical record's memory after outsized records") {
  using evtx::XmlTree;
  const std::size_t bound = XmlTree::kKeptNodes * (sizeof(XmlTree::Node) + XmlTree::kKeptTextBytes) +
                            XmlTree::kKeptNodes * sizeof(XmlTree::Attribute);
  XmlTree tree;
  tree.clear();
  // Records shrinking one after another, each with one huge text in its last element: a tree that
  // kept every buffer would end up holding all of them.
  // The first has more elements than are kept; the others fewer, so their buffers stay in the tree.
  for (int record = 0; record < 40; ++record) {
    const int elements = record == 0 ? 3000 : 1000 - 20 * record;
    for (int k = 0; k < elements; ++k) {
      const std::uint32_t n = tree.add_node(XmlTree::root(), "Data");
      tree.node(n).text.assign(k + 1 == elements ? 1'000'000 : 20, 'x');
      if (k % 3 == 0) tree.add_attribute(n, "Name", tree.add_node(XmlTree::kNone, {}));
    }
    CHECK(tree.retained_bytes() > 1'000'000);
    tree.clear();
    CHECK(tree.retained_bytes() <= bound);
  }
  // What a typical record leaves is kept for the next one, and read back correctly.
  const std::uint32_t a = tree.add_node(XmlTree::root(), "EventID");
  tree.node(a).text = "4624";
  const std::uint32_t b = tree.add_node(a, "Inner");
  tree.add_attribute(b, "Name", tree.add_node(XmlTree::kNone, {}));
  CHECK(tree.child(XmlTree::root(), "EventID") == a);
  CHECK(tree.node(tree.child(XmlTree::root(), "EventID")).text == "4624");
  CHECK(tree.child(a, "Inner") == b);
  CHECK(tree.child(a, "Missing") == XmlTree::kNone);
  CHECK(tree.attribute(b, "Name").empty());
  CHECK(tree.attribute(b, "Other").empty());
}

TEST_CASE("the per-chunk name cache stays bounded however many long names a crafted chunk points at") {
  // Read at any even offset, this chunk holds a name of 8,192 characters U+2000: 24 KiB of UTF-8.
  std::vector<std::uint8_t> chunk(65536);
  for (std::size_t k = 1; k < chunk.size(); k += 2) chunk[k] = 0x20;
  std::string expected;
  for (int k = 0; k < 8192; ++k) expected += "\xE2\x80\x80";
  evtx::ChunkDecoder decoder;
  decoder.start_chunk(evtx::ByteView(chunk.data(), chunk.size()));
  bool all_right = true;
  for (std::size_t offset = 0; offset < 400; offset += 2) {
    all_right = all_right && decoder.name_at(offset) == expected;
    CHECK(decoder.cached_name_bytes() <= evtx::ChunkDecoder::kCachedNameBytes);
  }
  CHECK(all_right);
  CHECK(decoder.cached_name_bytes() > evtx::ChunkDecoder::kCachedNameBytes - expected.size());
  CHECK(decoder.name_at(0) == expected);    // cached before the bound was reached
  CHECK(decoder.name_at(398) == expected);  // decoded again, past the bound
  decoder.start_chunk(evtx::ByteView(chunk.data(), chunk.size()));
  CHECK(decoder.cached_name_bytes() == 0);
}

TEST_CASE("the chunk CRC32 is the standard one, whole or in pieces of any length") {
  const std::string check = "123456789";
  const auto* p = reinterpret_cast<const std::uint8_t*>(check.data());
  CHECK(evtx::crc32_update(0, p, check.size()) == 0xCBF43926u);  // the CRC-32 check value
  CHECK(evtx::crc32_update(0, p, 0) == 0u);
  // 8-byte steps and the byte-wise tail must agree wherever the pieces are cut.
  std::string data;
  for (int k = 0; k < 1000; ++k) data += static_cast<char>((k * 37 + 11) & 0xff);
  const auto* d = reinterpret_cast<const std::uint8_t*>(data.data());
  const std::uint32_t whole = evtx::crc32_update(0, d, data.size());
  for (std::size_t cut : {1u, 3u, 7u, 8u, 9u, 500u, 999u}) {
    CHECK(evtx::crc32_update(evtx::crc32_update(0, d, cut), d + cut, data.size() - cut) == whole);
  }
}

TEST_CASE("FILETIME values print as exact UTC timestamps with 100 ns precision") {
  CHECK(evtx::format_filetime(0) == "1601-01-01T00:00:00.0000000Z");
  CHECK(evtx::format_filetime(116444736000000000ull) == "1970-01-01T00:00:00.0000000Z");
  // 2024-02-29T12:34:56Z is 1709210096 s after the Unix epoch.
  CHECK(evtx::format_filetime(1709210096ull * 10'000'000 + 116444736000000000ull + 1234567) ==
        "2024-02-29T12:34:56.1234567Z");
  CHECK(evtx::format_filetime(2650467743999999999ull) == "9999-12-31T23:59:59.9999999Z");
  CHECK(evtx::format_filetime(2650467744000000000ull) == "0x24c85a5ed1c04000");  // past 9999: the raw number
}

TEST_CASE("substitution values render as Windows and python-evtx print them") {
  using evtx::ByteView;
  using evtx::render_value;
  auto view = [](const std::vector<std::uint8_t>& v) { return ByteView(v.data(), v.size()); };
  // S-1-5-21-1-2-3-1001: revision 1, 4 sub-authorities, authority 5 (big-endian 48-bit)
  const std::vector<std::uint8_t> sid{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xE9, 3, 0, 0};
  CHECK(render_value(0x13, view(sid)) == "S-1-5-21-1-2-3-1001");
  const std::vector<std::uint8_t> guid{0x56, 0x61, 0x8b, 0x43, 0x81, 0xa4, 0xb7, 0x8b,
                                       0x01, 0xf5, 0xa8, 0x6c, 0x88, 0x18, 0x02, 0x17};
  CHECK(render_value(0x0f, view(guid)) == "{438b6156-a481-8bb7-01f5-a86c88180217}");
  CHECK(render_value(0x15, view({0xe7, 3, 0, 0, 0, 0, 0, 0})) == "0x00000000000003e7");
  CHECK(render_value(0x14, view({0x84, 0, 0, 0})) == "0x00000084");
  CHECK(render_value(0x07, view({0xff, 0xff, 0xff, 0xff})) == "-1");
  CHECK(render_value(0x08, view({0xff, 0xff, 0xff, 0xff})) == "4294967295");
  CHECK(render_value(0x0d, view({1, 0, 0, 0})) == "True");
  CHECK(render_value(0x0e, view({0x22, 0, 0, 0xc0})) == "IgAAwA==");
  CHECK(render_value(0x0c, view({0, 0, 0, 0, 0, 0, 0xf8, 0x3f})) == "1.5");
  CHECK(render_value(0x0c, view({0, 0, 0, 0, 0, 0, 0xf0, 0x3f})) == "1.0");
  CHECK(render_value(0x01, view({'a', 0, 'b', 0, 0, 0})) == "ab");  // trailing NUL dropped
  CHECK(render_value(0x81, view({'a', 0, 0, 0, 'b', 0, 0, 0})) == "<string>a</string>\n<string>b</string>\n");
  CHECK_THROWS_AS(render_value(0x11, view({1, 2, 3})), evtx::DecodeError);  // a FILETIME needs 8 bytes
}
