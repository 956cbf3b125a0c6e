// The replay driver: a main() for the normal (GCC) build that feeds every file given on the command
// line -- directories walked recursively, in sorted order -- through the harness's
// LLVMFuzzerTestOneInput once, the way `fuzz_x -runs=0 corpus/` does under libFuzzer. CI uses it to
// replay the seed corpora and every reproducer in seconds, without clang or a campaign.
//
//   fuzz_<harness>_replay [--timeout=SECONDS] [--rss-limit-mb=MB] PATH...
//
// Like libFuzzer it fails on a crash (the harness aborts or throws), on an input that runs longer than
// --timeout (SIGALRM kills the process) and, outside sanitizer builds, on an input that needs more
// than --rss-limit-mb of address space (allocation fails, std::bad_alloc escapes). A PATH that does
// not exist is a failure too: a missing corpus must not pass as an empty one.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// Every regular file under `path` (or `path` itself), sorted so runs replay in the same order.
bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path());
    }
    if (ec) return false;
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    return true;
  }
  if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
    return true;
  }
  return false;
}

bool read_file(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned timeout_seconds = 10;
  unsigned long rss_limit_mb = 2048;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--timeout=")) {
      timeout_seconds = static_cast<unsigned>(std::strtoul(argv[i] + 10, nullptr, 10));
    } else if (arg.starts_with("--rss-limit-mb=")) {
      rss_limit_mb = std::strtoul(argv[i] + 15, nullptr, 10);
    } else if (!collect(arg, files)) {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs given\n");
    return 2;
  }
  if (rss_limit_mb > 0 && !kAddressSanitizer) {
    const rlim_t bytes = static_cast<rlim_t>(rss_limit_mb) << 20;
    const rlimit limit{bytes, bytes};
    setrlimit(RLIMIT_AS, &limit);
  }

  const auto start = std::chrono::steady_clock::now();
  double slowest_ms = 0;
  std::string slowest;
  std::string bytes;
  for (const fs::path& file : files) {
    if (!read_file(file, bytes)) {
      std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
      return 2;
    }
    // Named before running, so a crash or a timeout says which input did it.
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
    const auto t0 = std::chrono::steady_clock::now();
    alarm(timeout_seconds);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    alarm(0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms > slowest_ms) {
      slowest_ms = ms;
      slowest = file.string();
    }
  }
  const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("replayed %zu inputs in %.0f ms; slowest %.0f ms: %s\n", files.size(), total_ms, slowest_ms, slowest.c_str());
  return 0;
}
