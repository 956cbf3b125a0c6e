#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "flexrecon/event_store.h"

using namespace flexrecon;

namespace {

// The oracle: a plain text count of `<EventID` elements per id, independent of the reader.
std::map<int, std::uint64_t> count_event_ids(const std::string& text) {
  std::map<int, std::uint64_t> counts;
  for (auto at = text.find("<EventID"); at != std::string::npos; at = text.find("<EventID", at + 1)) {
    const auto gt = text.find('>', at);
    const auto lt = text.find('<', gt);
    ++counts[std::stoi(text.substr(gt + 1, lt - gt - 1))];
  }
  return counts;
}

}  // namespace

TEST_CASE("every public sample rendered by python-evtx is read whole: per-id counts match, nothing rejected") {
  const std::filesystem::path root = std::string(FLEXRECON_SHARED_DATA) + "/public-evtx-xml";
  if (!std::filesystem::exists(root)) {
    WARN("public samples not present at " << root);
    return;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 50);

  std::uint64_t total = 0;
  for (const auto& file : files) {
    INFO(file);
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto expected = count_event_ids(text);

    SourceTable sources;
    EventStore store;
    Rejects rejects;
    read_event_inputs({file}, {}, sources, store, rejects);
    for (const auto& r : rejects) FAIL_CHECK(r.source << " " << r.location << ": " << r.reason);
    REQUIRE(sources.all().size() == 1);
    CHECK(sources.at(0).format == "eventviewer-xml");
    CHECK(sources.at(0).size == text.size());

    std::map<int, std::uint64_t> got;
    for (const auto& [key, n] : store.counts.by_channel_and_id) got[key.second] += n;
    CHECK(got == expected);
    total += store.counts.read;
  }
  CHECK(total > 1000);
}

TEST_CASE("EVTX files are detected by content and read through the EVTX reader, event for event like their XML rendering") {
  const std::filesystem::path root = std::string(FLEXRECON_SHARED_DATA) + "/public-evtx";
  if (!std::filesystem::exists(root)) {
    WARN("public samples not present at " << root);
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".evtx") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    auto xml = std::string(FLEXRECON_SHARED_DATA) + "/public-evtx-xml/" +
               std::filesystem::relative(file, root).replace_extension(".xml").string();
    if (!std::filesystem::exists(xml)) continue;
    INFO(file.string());
    std::ifstream in(xml, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::uint64_t expected = 0;
    for (const auto& [id, n] : count_event_ids(text)) expected += n;

    SourceTable sources;
    EventStore store;
    Rejects rejects;
    read_event_inputs({file.string()}, {}, sources, store, rejects);
    REQUIRE(sources.all().size() == 1);
    CHECK(sources.at(0).format == "evtx");
    CHECK(store.counts.read == expected);
  }
}
