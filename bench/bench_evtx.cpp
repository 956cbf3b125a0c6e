// Throughput of the native EVTX reader on one thread, against Debian's `evtxexport` (libevtx-utils) on
// the same file. Numbers and the method: bench/README.md, section "EVTX reader".
//
// The bench file is built from real chunks: every written chunk of a public .evtx is copied N times,
// in order, into one new file, and every number that would otherwise repeat is rewritten so the
// result is one consistent log, not N copies of the same records:
//   - each record's EventRecordID, numbered 1, 2, 3... in file order, where the reader takes it:
//     the substitution value the record's template renders as <EventRecordID>, the one value of
//     type UInt64 (0x0a) among the record's values (Windows' System template has no other); and
//     the record header's number (offset 8), set to the same (in an exported log it differs);
//   - each chunk header's first/last event record number and identifier (offsets 8, 16, 24, 32);
//   - each chunk's event-records CRC32 (offset 52, over bytes 512 .. free-space offset) and header
//     CRC32 (offset 124, over bytes 0-119 and 128-511);
//   - the file header's first/last chunk number, next record identifier, chunk count, flags
//     (cleared: the copy is complete, not dirty) and CRC32 (offset 124, over bytes 0-119).
// The file is then checked: evtxexport must list every record, and flexrecon must read the same
// count with no reject and the record ids 1..N in order.
//
// Timing: read_event_stream over a FileSource (what `flexrecon reconcile` runs for an .evtx input,
// less hashing and the event store), counting events; then `evtxexport FILE > /dev/null`. Both are
// timed by wall clock and by CPU time (getrusage), since the machine may be shared.
//
// usage: flexrecon_bench_evtx [--source FILE.evtx] [--copies N] [--out FILE] [--runs R]
//                             [--read-only FILE] [--no-evtxexport]
//   --source     the .evtx whose chunks are replicated (default: the largest public Security log)
//   --copies     how many times its chunks are copied (default 64)
//   --out        where the bench file is written and kept (default: a temporary file, removed)
//   --runs       timed reads by flexrecon (default 3; the fastest counts)
//   --read-only  time an existing file only: no building, no evtxexport (for perf / callgrind)
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "evtx/crc32.h"
#include "flexrecon/event_store.h"
#include "ingest/byte_sources.h"

using namespace flexrecon;

namespace {

constexpr std::size_t kFileHeaderSize = 4096;
constexpr std::size_t kChunkSize = 65536;
constexpr std::size_t kChunkHeaderSize = 512;

// 1,023 records of a file server's Security log in 12 chunks (logons, privileges, share access):
// the largest Security log among the public samples.
const char* const kDefaultSource =
    FLEXRECON_SHARED_DATA "/public-evtx/EVTX-to-MITRE-Attack/TA0002-Execution/"
                          "T1047-Windows Management Instrumentation/ID4688-5145-WMIexec execution via SMB.evtx";

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) p[k] = static_cast<std::uint8_t>(v >> (8 * k));
}
void put64(std::uint8_t* p, std::uint64_t v) {
  for (int k = 0; k < 8; ++k) p[k] = static_cast<std::uint8_t>(v >> (8 * k));
}

[[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

// Where, inside the chunk, the record at `pos` keeps its EventRecordID substitution value: the
// record's Binary XML is a fragment header, then one template instance (its definition inline the
// first time the chunk uses it), then the value descriptors and the values.
std::size_t record_id_value_offset(const std::uint8_t* chunk, std::size_t pos, std::size_t size) {
  const std::size_t end = pos + size - 4;
  std::size_t p = pos + 24;
  auto need = [&](std::size_t n) {
    if (p + n > end) fail("record at chunk offset " + std::to_string(pos) + " is not one template instance");
  };
  need(4);
  if (chunk[p] == 0x0f) p += 4;  // fragment header
  need(10);
  if ((chunk[p] & 0x1f) != 0x0c) fail("record at chunk offset " + std::to_string(pos) + " does not start with a template");
  p += 6;  // token, unknown byte, template identifier
  const std::uint32_t def = get32(chunk + p);
  p += 4;
  if (def == p) {  // the definition follows: next offset, GUID, body size, body
    need(24);
    p += 24 + get32(chunk + p + 20);
  }
  need(4);
  const std::uint32_t count = get32(chunk + p);
  p += 4;
  need(4ull * count);
  std::size_t value = p + 4ull * count;
  std::size_t found = 0;
  int uint64_values = 0;
  for (std::uint32_t k = 0; k < count; ++k) {
    const std::uint16_t vsize = get16(chunk + p + 4 * k);
    const std::uint8_t type = chunk[p + 4 * k + 2];
    if (value + vsize > end) fail("record at chunk offset " + std::to_string(pos) + ": values run past the record");
    if (type == 0x0a && vsize == 8) {
      found = value;
      ++uint64_values;
    }
    value += vsize;
  }
  if (uint64_values != 1) {
    fail("record at chunk offset " + std::to_string(pos) + ": " + std::to_string(uint64_values) +
         " UInt64 values, so the EventRecordID is not known");
  }
  return found;
}

struct BenchFile {
  std::uint64_t records = 0;
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::size_t source_chunks = 0;
  std::uint64_t source_records = 0;
};

BenchFile build_bench_file(const std::string& source, std::uint64_t copies, const std::string& out_path) {
  std::ifstream in(source, std::ios::binary);
  if (!in) fail("cannot open " + source);
  const std::vector<std::uint8_t> src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (src.size() < kFileHeaderSize || std::memcmp(src.data(), "ElfFile\0", 8) != 0) fail(source + ": not an EVTX file");

  // The written chunks of the source, each checked before it is used.
  std::vector<const std::uint8_t*> chunks;
  for (std::size_t at = kFileHeaderSize; at + kChunkSize <= src.size(); at += kChunkSize) {
    const std::uint8_t* c = src.data() + at;
    if (std::memcmp(c, "ElfChnk\0", 8) != 0) continue;  // preallocated, never written
    std::uint32_t crc = evtx::crc32_update(0, c, 120);
    if (evtx::crc32_update(crc, c + 128, kChunkHeaderSize - 128) != get32(c + 124)) fail(source + ": a chunk has a bad header CRC");
    chunks.push_back(c);
  }
  if (chunks.empty()) fail(source + ": no written chunk");
  if (chunks.size() * copies > 0xffff) fail("more than 65,535 chunks: the file header cannot count them; use fewer copies");

  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) fail("cannot write " + out_path);
  BenchFile result;
  result.source_chunks = chunks.size();
  std::vector<std::uint8_t> header(src.begin(), src.begin() + kFileHeaderSize);
  out.write(reinterpret_cast<const char*>(header.data()), kFileHeaderSize);  // rewritten at the end

  std::uint64_t next_id = 1;
  std::vector<std::uint8_t> chunk(kChunkSize);
  for (std::uint64_t copy = 0; copy < copies; ++copy) {
    for (const std::uint8_t* original : chunks) {
      std::copy_n(original, kChunkSize, chunk.data());
      const std::size_t free_space = get32(chunk.data() + 48);
      if (free_space < kChunkHeaderSize || free_space > kChunkSize) fail(source + ": a chunk has a bad free-space offset");
      const std::uint64_t first = next_id;
      for (std::size_t pos = kChunkHeaderSize; pos + 24 <= free_space;) {
        if (get32(chunk.data() + pos) != 0x00002a2a) break;
        const std::size_t size = get32(chunk.data() + pos + 4);
        if (size < 28 || pos + size > free_space) fail(source + ": a record has a bad size");
        put64(chunk.data() + record_id_value_offset(chunk.data(), pos, size), next_id);
        put64(chunk.data() + pos + 8, next_id);
        ++next_id;
        pos += size;
      }
      if (next_id == first) fail(source + ": a chunk holds no record");
      if (copy == 0) result.source_records += next_id - first;
      put64(chunk.data() + 8, first);         // first event record number
      put64(chunk.data() + 16, next_id - 1);  // last event record number
      put64(chunk.data() + 24, first);        // first event record identifier
      put64(chunk.data() + 32, next_id - 1);  // last event record identifier
      put32(chunk.data() + 52, evtx::crc32_update(0, chunk.data() + kChunkHeaderSize, free_space - kChunkHeaderSize));
      const std::uint32_t crc = evtx::crc32_update(0, chunk.data(), 120);
      put32(chunk.data() + 124, evtx::crc32_update(crc, chunk.data() + 128, kChunkHeaderSize - 128));
      out.write(reinterpret_cast<const char*>(chunk.data()), kChunkSize);
      ++result.chunks;
    }
  }
  put64(header.data() + 8, 0);                   // first chunk number
  put64(header.data() + 16, result.chunks - 1);  // last chunk number
  put64(header.data() + 24, next_id);            // next record identifier
  put16(header.data() + 42, static_cast<std::uint16_t>(result.chunks));
  put32(header.data() + 120, 0);                 // flags: not dirty, not full
  put32(header.data() + 124, evtx::crc32_update(0, header.data(), 120));
  out.seekp(0);
  out.write(reinterpret_cast<const char*>(header.data()), kFileHeaderSize);
  out.close();
  if (!out) fail("write error on " + out_path);
  result.records = next_id - 1;
  result.bytes = kFileHeaderSize + result.chunks * kChunkSize;
  return result;
}

double cpu_seconds(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

struct ReadResult {
  Timing time;
  std::uint64_t events = 0;
  std::uint64_t out_of_order = 0;  // events whose record id is not the previous one + 1
  std::size_t rejects = 0;
  std::string first_reject;
};

// One read of the file by flexrecon, the way reconcile reads an .evtx input, on this thread.
ReadResult read_with_flexrecon(const std::string& path) {
  ReadResult r;
  Rejects rejects;
  std::uint64_t expected_id = 1;
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  FileSource in(path);
  read_event_stream(in, path, 0, EventReadOptions{}, [&](Event&& e) {
    ++r.events;
    if (e.record_id != expected_id) ++r.out_of_order;
    expected_id = e.record_id + 1;
  }, rejects);
  r.time.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  getrusage(RUSAGE_SELF, &after);
  r.time.cpu = cpu_seconds(after) - cpu_seconds(before);
  r.rejects = rejects.size();
  if (!rejects.empty()) r.first_reject = rejects.front().location + ": " + rejects.front().reason;
  return r;
}

// Runs `evtxexport FILE` with stdout to /dev/null (timed), or into a pipe (counting).
Timing run_evtxexport(const std::string& path, std::uint64_t* records) {
  int fds[2] = {-1, -1};
  if (records && pipe(fds) != 0) fail("pipe failed");
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    const int out = records ? fds[1] : open("/dev/null", O_WRONLY);
    dup2(out, 1);
    if (records) {
      close(fds[0]);
      close(fds[1]);
    }
    execlp("evtxexport", "evtxexport", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (records) {
    close(fds[1]);
    // Each record's text starts with "Event number\t...: N".
    std::FILE* f = fdopen(fds[0], "r");
    char line[4096];
    *records = 0;
    bool line_start = true;
    while (std::fgets(line, sizeof line, f)) {
      if (line_start && std::strncmp(line, "Event number", 12) == 0) ++*records;
      line_start = std::strchr(line, '\n') != nullptr;
    }
    std::fclose(f);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Timing t;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.cpu = cpu_seconds(usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("evtxexport failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
  return t;
}

void print_rate(const char* who, std::uint64_t records, std::uint64_t bytes, const Timing& t) {
  std::printf("%-11s wall %7.3f s  %9.0f records/s  %7.1f MB/s | cpu %7.3f s  %9.0f records/s\n", who, t.wall,
              static_cast<double>(records) / t.wall, static_cast<double>(bytes) / 1e6 / t.wall, t.cpu,
              static_cast<double>(records) / t.cpu);
}

}  // namespace

int main(int argc, char** argv) try {
  std::string source = kDefaultSource, out_path, read_only;
  std::uint64_t copies = 64;
  int runs = 3;
  bool with_evtxexport = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(a + " needs a value");
      return argv[++i];
    };
    if (a == "--source") source = value();
    else if (a == "--copies") copies = std::stoull(value());
    else if (a == "--out") out_path = value();
    else if (a == "--runs") runs = std::max(1, std::stoi(value()));
    else if (a == "--read-only") read_only = value();
    else if (a == "--no-evtxexport") with_evtxexport = false;
    else fail("unknown option " + a + " (see the comment at the top of bench/bench_evtx.cpp)");
  }

  if (!read_only.empty()) {
    const auto bytes = std::filesystem::file_size(read_only);
    for (int run = 0; run < runs; ++run) {
      const ReadResult r = read_with_flexrecon(read_only);
      std::printf("%llu events, %zu rejects\n", static_cast<unsigned long long>(r.events), r.rejects);
      print_rate("flexrecon", r.events, bytes, r.time);
    }
    return 0;
  }

  const bool own_file = out_path.empty();
  if (own_file) out_path = (std::filesystem::temp_directory_path() / ("flexrecon-bench-" + std::to_string(getpid()) + ".evtx")).string();
  const BenchFile file = build_bench_file(source, copies, out_path);
  std::printf("source     %s\n           %zu written chunks, %llu records\n", source.c_str(), file.source_chunks,
              static_cast<unsigned long long>(file.source_records));
  std::printf("bench file %s\n           %llu copies: %llu chunks, %llu records, %.1f MB\n", out_path.c_str(),
              static_cast<unsigned long long>(copies), static_cast<unsigned long long>(file.chunks),
              static_cast<unsigned long long>(file.records), static_cast<double>(file.bytes) / 1e6);

  bool valid = true;
  ReadResult best;
  for (int run = 0; run < runs; ++run) {
    const ReadResult r = read_with_flexrecon(out_path);
    if (r.events != file.records || r.rejects != 0 || r.out_of_order != 0) {
      std::printf("flexrecon read %llu events (%llu out of order), %zu rejects (first: %s): expected %llu, none\n",
                  static_cast<unsigned long long>(r.events), static_cast<unsigned long long>(r.out_of_order),
                  r.rejects, r.first_reject.c_str(), static_cast<unsigned long long>(file.records));
      valid = false;
    }
    print_rate("flexrecon", r.events, file.bytes, r.time);
    if (run == 0 || r.time.cpu < best.time.cpu) best = r;
  }
  if (valid) std::printf("flexrecon  read all %llu records, ids 1..%llu in order, no rejects\n",
                         static_cast<unsigned long long>(best.events), static_cast<unsigned long long>(file.records));

  if (with_evtxexport) {
    std::uint64_t listed = 0;
    run_evtxexport(out_path, &listed);
    if (listed != file.records) {
      std::printf("evtxexport listed %llu records, expected %llu\n", static_cast<unsigned long long>(listed),
                  static_cast<unsigned long long>(file.records));
      valid = false;
    } else {
      std::printf("evtxexport listed all %llu records\n", static_cast<unsigned long long>(listed));
    }
    const Timing ee = run_evtxexport(out_path, nullptr);
    print_rate("evtxexport", file.records, file.bytes, ee);
    std::printf("ratio      flexrecon (fastest run) / evtxexport: %.1fx wall, %.1fx cpu\n", ee.wall / best.time.wall,
                ee.cpu / best.time.cpu);
  }
  if (own_file) std::filesystem::remove(out_path);
  return valid ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "flexrecon_bench_evtx: %s\n", e.what());
  return 2;
}
