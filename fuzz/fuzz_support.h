// Shared pieces of the fuzz harnesses: a scratch file for readers that only take a path, and the
// one rule for which exceptions a harness lets through.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "flexrecon/error.h"

namespace flexrecon::fuzz {

// A file holding the current input, for readers whose API takes a path. It lives in /dev/shm when
// there is one (no disk writes at thousands of executions per second) and is reused for every input
// of the process, so a campaign leaves one file behind at most, removed at exit.
class ScratchFile {
 public:
  explicit ScratchFile(std::string_view harness, std::string_view suffix = "") {
    const std::filesystem::path shm("/dev/shm");
    const std::filesystem::path dir = std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
    path_ = (dir / ("flexrecon-fuzz-" + std::string(harness) + "-" + std::to_string(::getpid()) + std::string(suffix))).string();
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Replaces the file's content with `data`; returns its path.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) throw std::runtime_error("fuzz harness cannot write its scratch file " + path_);
    return path_;
  }

 private:
  std::string path_;
};

// Readers of required inputs (metering, inventory, identities, rules files) are allowed to refuse a
// whole file with Error::input (exit 3, SPEC's "input unusable"): that is their contract, not a bug.
// Anything else escaping a reader -- Error::internal, Error::usage, std::bad_alloc, a Boost
// exception -- propagates out of the harness, so libFuzzer reports it as a crash with the input.
template <typename Body>
void allow_input_refusal(Body&& body) {
  try {
    body();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::InputUnusable) throw;
  }
}

}  // namespace flexrecon::fuzz
