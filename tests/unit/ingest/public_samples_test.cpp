#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "flexrecon/event_store.h"
#include "ingest_test_support.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

using namespace flexrecon;
using flexrecon::test::require_shared;

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
  const std::filesystem::path root = require_shared("public-evtx-xml");
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
  const std::filesystem::path root = require_shared("public-evtx");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".evtx") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    auto xml = std::string(FLEXRECON_SHARED_DATA) + "/public-evtx-xml/" +
               std::filesystem::relative(file, root).replace_extension(".xml").string();
    INFO(file.string());
    REQUIRE(std::filesystem::exists(xml));  // every sample has its XML rendering: none is skipped
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

TEST_CASE("an EVTX file and its XML rendering give every event the same fields under the same names") {
  // One field mapping (SPEC 1.2: EventData/Data[@Name], UserData/*/*) for both readers: a field the
  // EVTX path finds and the XML path misses would make the two inputs of one host disagree.
  const std::set<std::string> compared_values = {"TargetUserName", "TargetDomainName", "TargetLogonId", "LogonType",
                                                 "SubjectUserName", "User", "SessionID", "Address", "AccountName"};
  std::size_t events = 0, fields = 0;
  for (const auto& file : flexrecon::test::require_shared_files("public-evtx", ".evtx")) {
    const auto rel = std::filesystem::relative(file, require_shared("public-evtx"));
    const auto xml = require_shared(std::filesystem::path("public-evtx-xml") / rel.parent_path() /
                                    rel.filename().replace_extension(".xml"));
    INFO(rel.string());
    Rejects evtx_rejects, xml_rejects;
    const auto from_evtx = flexrecon::test::read_all(flexrecon::test::read_file(file), evtx_rejects);
    const auto from_xml = flexrecon::test::read_all(flexrecon::test::read_file(xml), xml_rejects);
    REQUIRE(from_evtx.size() == from_xml.size());
    for (std::size_t i = 0; i < from_evtx.size(); ++i) {
      const Event& a = from_evtx[i];
      const Event& b = from_xml[i];
      INFO("EventRecordID " << a.record_id);
      REQUIRE(a.record_id == b.record_id);
      CHECK(a.host == b.host);
      CHECK(a.channel == b.channel);
      std::vector<std::string> names_a, names_b;
      for (const auto& f : a.fields) names_a.push_back(f.name);
      for (const auto& f : b.fields) names_b.push_back(f.name);
      REQUIRE(names_a == names_b);
      for (std::size_t k = 0; k < a.fields.size(); ++k) {
        if (compared_values.count(a.fields[k].name)) CHECK(a.fields[k].value == b.fields[k].value);
      }
      ++events;
      fields += a.fields.size();
    }
  }
  CHECK(events > 1000);
  CHECK(fields > events);
}
