// Helpers shared by the EVTX tests: in-memory byte sources and the public sample files.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "evtx/evtx_reader.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

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

using flexrecon::test::read_file;

inline std::filesystem::path samples_dir() { return std::filesystem::path(FLEXRECON_SHARED_DATA) / "public-evtx"; }
inline std::filesystem::path oracle_dir() { return std::filesystem::path(FLEXRECON_SHARED_DATA) / "public-evtx-xml"; }

// Every sample .evtx, sorted so runs are reproducible; the test fails when there is none.
inline std::vector<std::filesystem::path> sample_files() { return flexrecon::test::require_shared_files("public-evtx", ".evtx"); }

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
