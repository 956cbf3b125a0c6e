// Helpers shared by the EVTX tests: in-memory byte sources and the public sample files.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "evtx/evtx_reader.h"

namespace flexrecon::evtx_test {

// Serves a byte string in pieces of at most `step` bytes, as a slow pipe or archive member would.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string data, std::size_t step = 1 << 20) : data_(std::move(data)), step_(step) {}
  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t k = std::min({n, step_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path samples_dir() { return std::filesystem::path(FLEXRECON_SHARED_DATA) / "public-evtx"; }
inline std::filesystem::path oracle_dir() { return std::filesystem::path(FLEXRECON_SHARED_DATA) / "public-evtx-xml"; }

// Every sample .evtx, sorted so runs are reproducible.
inline std::vector<std::filesystem::path> sample_files() {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(samples_dir())) return out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(samples_dir()))
    if (entry.is_regular_file() && entry.path().extension() == ".evtx") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

struct ReadResult {
  std::vector<Event> events;
  Rejects rejects;
};

inline ReadResult read_bytes(std::string bytes, std::size_t step = 1 << 20) {
  ReadResult r;
  MemorySource src(std::move(bytes), step);
  read_evtx_stream(src, "test.evtx", 7, EventReadOptions{}, [&](Event&& e) { r.events.push_back(std::move(e)); },
                   r.rejects);
  return r;
}

}  // namespace flexrecon::evtx_test
