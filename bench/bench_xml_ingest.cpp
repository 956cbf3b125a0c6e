// flexrecon_bench_xml_ingest: how close flexrecon's XML ingest comes to the parser under it (issue 9
// target: single-thread ingest at >= 50% of a raw pugixml in-place parse of the same bytes).
//
//   flexrecon_bench_xml_ingest EVENTS_DIR
//
// 1. raw pugixml: every file of the folder is read into memory (not timed), then parsed in place
//    with load_buffer_inplace (parse_default | parse_fragment: wevtutil files are bare events with
//    no root). Only the parse is timed: the floor any XML reader built on pugixml pays.
// 2. flexrecon XML ingest (issue 9 item 2): read_event_inputs into IngestedEvents over the same files
//    with jobs = 1, timed whole: walking, reading, SHA-256 of each file, splitting into events,
//    parsing each, mapping fields, spilling every record to disk and fingerprinting the records
//    where copies can meet (none in a generated estate: docs/scale.md), i.e. what
//    `reconcile` spends reading the event inputs. The per-host assembly that follows (duplicates,
//    sorting, timelines) is reconstruction, not ingest: it is timed on its own line, outside the ratio.
// 1b. The same raw parse with its memory reused: pugixml allocates its nodes from an arena that is
//    kept from file to file instead of from malloc, whose default settings hand every multi-MB
//    document fresh pages from the kernel (page faults were most of step 1's CPU). The fastest a
//    program built on pugixml can parse these bytes: the honest floor, reported beside step 1.
// The three take turns over slices of about 48 MB of files (1, 2, 1b for each slice): run one after
// the other over the whole folder, each saw the machine at another speed (a shared VM's moves by a
// third within minutes), and single runs' ratios spread from 0.36 to 0.77. Taking turns also means
// the raw parse finds malloc warmed by the slice before, as any long-running parser would, rather
// than a fresh process's empty heap, and pays fewer page faults: its time is 0.9-1.2 s where it was
// 1.2-1.9 s alone. The ratio is the sums' (each slice's is printed as a spread).
// Both are reported in MB/s of file bytes, by wall clock and by CPU time; the ratio uses CPU time,
// which other processes on a shared machine do not inflate. Numbers: bench/README.md.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "flexrecon/event_store.h"

namespace fs = std::filesystem;

namespace {

struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = cpu_now();
  static double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double wall_seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
  double cpu_seconds() const { return cpu_now() - cpu; }
};

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(fs::file_size(path), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return bytes;
}

// 1b's arena: blocks allocated once and bumped through; freeing is a no-op, reset() starts over.
struct Arena {
  static constexpr std::size_t kBlock = 64u << 20;
  std::vector<std::pair<char*, std::size_t>> blocks;
  std::size_t block = 0, used = 0;
  void* allocate(std::size_t size) {
    size = (size + 15) & ~std::size_t{15};
    while (block < blocks.size() && used + size > blocks[block].second) {
      ++block;
      used = 0;
    }
    if (block == blocks.size()) {
      const std::size_t bytes = std::max(kBlock, size);
      blocks.emplace_back(static_cast<char*>(std::malloc(bytes)), bytes);
      if (!blocks.back().first) throw std::bad_alloc();
      used = 0;
    }
    void* p = blocks[block].first + used;
    used += size;
    return p;
  }
  void reset() { block = used = 0; }
  ~Arena() {
    for (auto& b : blocks) std::free(b.first);
  }
};
Arena arena;
void* arena_allocate(std::size_t size) { return arena.allocate(size); }
void arena_deallocate(void*) {}

void report(const char* what, std::uint64_t bytes, std::uint64_t events, double wall, double cpu) {
  std::printf("%-46s %8.1f MB  %9llu events  wall %7.2f s %7.1f MB/s   cpu %7.2f s %7.1f MB/s\n", what,
              static_cast<double>(bytes) / 1e6, static_cast<unsigned long long>(events), wall,
              static_cast<double>(bytes) / 1e6 / wall, cpu, static_cast<double>(bytes) / 1e6 / cpu);
}

// One slice of the folder's files, parsed each way in turn.
struct Totals {
  std::uint64_t events = 0;
  double wall = 0, cpu = 0;
  void add(std::uint64_t n, const Clock& clock) {
    events += n;
    wall += clock.wall_seconds();
    cpu += clock.cpu_seconds();
  }
};

// The files in slices of about kSliceBytes, in name order.
constexpr std::uint64_t kSliceBytes = 48u << 20;
std::vector<std::vector<fs::path>> slices_of(const std::vector<fs::path>& files) {
  std::vector<std::vector<fs::path>> slices(1);
  std::uint64_t bytes = 0;
  for (const auto& file : files) {
    if (bytes >= kSliceBytes) {
      slices.emplace_back();
      bytes = 0;
    }
    slices.back().push_back(file);
    bytes += fs::file_size(file);
  }
  return slices;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: flexrecon_bench_xml_ingest EVENTS_DIR\n");
    return 2;
  }
  const fs::path dir = argv[1];
  try {
    const auto files = files_under(dir);
    const auto slices = slices_of(files);
    std::uint64_t bytes = 0, failures = 0;
    Totals raw, reused, ingest, assembly;
    std::vector<double> slice_ratios;
    pugi::xml_document doc;
    const auto default_allocate = pugi::get_memory_allocation_function();
    const auto default_deallocate = pugi::get_memory_deallocation_function();
    flexrecon::Rejects rejects;
    // The three ways take turns slice by slice, so a change in the machine's speed (a shared VM's
    // varies by a third within minutes) falls on all three alike instead of on whichever ran then.
    for (const auto& slice : slices) {
      const double raw_cpu_before = raw.cpu, ingest_cpu_before = ingest.cpu;
      for (const auto& file : slice) {  // 1
        std::string buffer = slurp(file);  // also brings the file into the page cache for step 2
        bytes += buffer.size();
        const Clock clock;
        const auto result = doc.load_buffer_inplace(buffer.data(), buffer.size(),
                                                    pugi::parse_default | pugi::parse_fragment, pugi::encoding_utf8);
        std::uint64_t n = 0;
        const Clock not_counted;
        for (const auto& event : doc.children("Event")) {
          (void)event;
          ++n;
        }
        raw.add(n, clock);
        raw.wall -= not_counted.wall_seconds();
        raw.cpu -= not_counted.cpu_seconds();
        if (!result) ++failures;
      }
      {  // 2
        std::vector<std::string> paths;
        for (const auto& file : slice) paths.push_back(file.string());
        flexrecon::EventReadOptions options;
        options.jobs = 1;
        flexrecon::SourceTable sources;
        flexrecon::IngestedEvents events;
        const Clock clock;
        flexrecon::read_event_inputs(paths, options, sources, events, rejects);
        ingest.add(events.counts().read, clock);
        // Not part of the ingest: what assembling every host's lists from the spill costs afterwards.
        std::uint64_t kept = 0;
        const Clock assembling;
        events.for_each_host(1, [&](flexrecon::HostEvents&& he) { kept += he.events.size(); });
        assembly.add(kept, assembling);
      }
      {  // 1b: pugixml's memory from the arena (fresh copies: an in-place parse changes its buffer)
        pugi::set_memory_management_functions(arena_allocate, arena_deallocate);
        {
          pugi::xml_document arena_doc;
          for (const auto& file : slice) {
            std::string buffer = slurp(file);
            arena_doc.reset();
            arena.reset();
            const Clock clock;
            (void)arena_doc.load_buffer_inplace(buffer.data(), buffer.size(), pugi::parse_default | pugi::parse_fragment,
                                                pugi::encoding_utf8);
            reused.add(0, clock);
          }
        }
        pugi::set_memory_management_functions(default_allocate, default_deallocate);
      }
      slice_ratios.push_back((raw.cpu - raw_cpu_before) / (ingest.cpu - ingest_cpu_before));
    }
    std::printf("%zu files under %s, in %zu slices of about %llu MB taken in turn\n", files.size(), dir.c_str(),
                slices.size(), static_cast<unsigned long long>(kSliceBytes >> 20));
    report("raw pugixml load_buffer_inplace", bytes, raw.events, raw.wall, raw.cpu);
    report("raw pugixml, its memory reused (1b)", bytes, raw.events, reused.wall, reused.cpu);
    if (failures) std::printf("  (pugixml reported an error on %llu files)\n", static_cast<unsigned long long>(failures));
    report("flexrecon XML ingest (IngestedEvents), jobs 1", bytes, ingest.events, ingest.wall, ingest.cpu);
    report("  then per-host assembly (not in the ratio)", bytes, assembly.events, assembly.wall, assembly.cpu);
    std::printf("ratio (flexrecon / raw pugixml, MB/s by cpu time): %.2f   (by wall clock: %.2f)\n", raw.cpu / ingest.cpu,
                raw.wall / ingest.wall);
    std::printf("ratio (flexrecon / raw pugixml with its memory reused, MB/s by cpu time): %.2f   (by wall clock: %.2f)\n",
                reused.cpu / ingest.cpu, reused.wall / ingest.wall);
    std::sort(slice_ratios.begin(), slice_ratios.end());
    std::printf("slice by slice (cpu time): %.2f to %.2f, median %.2f\n", slice_ratios.front(), slice_ratios.back(),
                slice_ratios[slice_ratios.size() / 2]);
    std::printf("rejects: %zu\n", rejects.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flexrecon_bench_xml_ingest: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
