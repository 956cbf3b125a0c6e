// ../shared/data (FLEXRECON_SHARED_DATA): the public EVTX samples and their XML renderings that the
// readers are checked against. A test that needs them fails when they are missing, never skips: a
// green run has to mean the real samples were read.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace flexrecon::test {

// `relative` under the shared data folder; fails the running test when it does not exist.
inline std::filesystem::path require_shared(const std::filesystem::path& relative) {
  const std::filesystem::path p = std::filesystem::path(FLEXRECON_SHARED_DATA) / relative;
  if (!std::filesystem::exists(p)) FAIL("shared test data missing: " << p.string() << " (the tests need ../shared/data)");
  return p;
}

// Every regular file with extension `ext` under `relative` (which must exist), sorted so runs are
// reproducible; fails the test when there is none.
inline std::vector<std::filesystem::path> require_shared_files(const std::filesystem::path& relative,
                                                               const std::string& ext) {
  const auto root = require_shared(relative);
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  if (out.empty()) FAIL("no " << ext << " files under " << root.string());
  return out;
}

}  // namespace flexrecon::test
