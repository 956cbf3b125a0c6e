// The native reader against an independent one: every public sample .evtx read here must give the
// records python-evtx found in it (public-evtx-xml/, same relative path), with the same header values
// and named fields. Where the two print a value differently on purpose, `same_value` says why.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <pugixml.hpp>
#include <regex>
#include <set>

#include "evtx_test_support.h"
#include "flexrecon/time.h"

using namespace flexrecon;
using namespace flexrecon::evtx_test;

namespace {

struct OracleEvent {
  std::string record_id, event_id, time, computer, channel, provider;
  std::vector<EventField> fields;
};

std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (auto c : n.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<OracleEvent> load_oracle(const std::filesystem::path& xml) {
  pugi::xml_document doc;
  const auto ok = doc.load_file(xml.c_str(), pugi::parse_default);
  REQUIRE(ok);
  std::vector<OracleEvent> out;
  for (auto ev : doc.child("Events").children("Event")) {
    OracleEvent o;
    auto sys = ev.child("System");
    o.record_id = trimmed(text_of(sys.child("EventRecordID")));
    o.event_id = trimmed(text_of(sys.child("EventID")));
    o.time = sys.child("TimeCreated").attribute("SystemTime").value();
    o.computer = trimmed(text_of(sys.child("Computer")));
    o.channel = trimmed(text_of(sys.child("Channel")));
    o.provider = trimmed(sys.child("Provider").attribute("Name").value());
    int unnamed = 0;
    for (auto d : ev.child("EventData").children()) {
      if (d.type() != pugi::node_element) continue;
      std::string name = d.name();
      if (name == "Data") {
        name = d.attribute("Name").value();
        if (name.empty()) name = "Data" + std::to_string(++unnamed);
      }
      o.fields.push_back({name, trimmed(text_of(d))});
    }
    for (auto wrapper : ev.child("UserData").children()) {
      if (wrapper.type() != pugi::node_element) continue;
      for (auto d : wrapper.children())
        if (d.type() == pugi::node_element) o.fields.push_back({d.name(), trimmed(text_of(d))});
    }
    out.push_back(std::move(o));
  }
  return out;
}

// python-evtx converts FILETIMEs through a double, which moves them by up to ~2 us; the native reader
// is exact. Timestamps therefore match when they are within 2 us of each other.
bool same_time(const std::string& a, const std::string& b) {
  auto ta = parse_timestamp(a);
  auto tb = parse_timestamp(b);
  return ta && tb && std::llabs(*ta - *tb) <= 2;
}

// python-evtx misplaces the empty items of a string array (it resumes scanning two bytes early after
// an item), so string arrays are compared on their non-empty items, in order.
std::string without_empty_items(std::string s) {
  const std::string empty = "<string></string>\n";
  for (auto p = s.find(empty); p != std::string::npos; p = s.find(empty)) s.erase(p, empty.size());
  return trimmed(s);
}

bool same_value(const std::string& native, const std::string& oracle) {
  if (native == oracle) return true;
  if (native.rfind("<string>", 0) == 0 && without_empty_items(native) == without_empty_items(oracle)) return true;
  static const std::regex stamp(R"(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?)");
  return std::regex_match(oracle, stamp) && same_time(native, oracle);
}

// Makes control and non-ASCII bytes visible in failure messages.
std::string visible(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

bool is_logon_related(int id) {
  static const std::set<int> ids{4624, 4634, 4647, 4778, 4779, 4616, 1102, 1149, 4608, 4609};
  return ids.count(id) != 0;
}

}  // namespace

TEST_CASE("every public sample EVTX file yields the records, headers and named fields python-evtx found") {
  const auto files = sample_files();
  std::size_t records = 0, header_ok = 0, exact_time = 0, fields = 0, fields_ok = 0, logon_fields = 0,
              logon_fields_ok = 0, files_ok = 0, count_mismatch_files = 0;
  std::vector<std::string> problems;
  auto note = [&](const std::string& s) {
    if (problems.size() < 40) problems.push_back(s);
  };
  for (const auto& file : files) {
    auto rel = std::filesystem::relative(file, samples_dir());
    auto xml = oracle_dir() / rel;
    xml.replace_extension(".xml");
    const auto oracle = load_oracle(xml);
    const auto got = read_bytes(read_file(file));
    bool file_ok = got.events.size() == oracle.size() && got.rejects.empty();
    if (got.events.size() != oracle.size()) {
      ++count_mismatch_files;
      note(rel.string() + ": " + std::to_string(got.events.size()) + " records, oracle " +
           std::to_string(oracle.size()));
    }
    for (const auto& r : got.rejects) note(rel.string() + ": reject " + r.location + ": " + r.reason);
    const std::size_t n = std::min(got.events.size(), oracle.size());
    records += oracle.size();
    for (std::size_t i = 0; i < n; ++i) {
      const Event& e = got.events[i];
      const OracleEvent& o = oracle[i];
      const bool header = std::to_string(e.record_id) == o.record_id && std::to_string(e.event_id) == o.event_id &&
                          same_time(format_utc_precise(e.time), o.time) && e.computer == o.computer &&
                          e.channel_name == o.channel && e.provider == o.provider;
      if (header) {
        ++header_ok;
      } else {
        file_ok = false;
        note(rel.string() + " #" + o.record_id + ": header differs (got id " + std::to_string(e.record_id) + " event " +
             std::to_string(e.event_id) + " " + format_utc_precise(e.time) + " " + e.computer + " " + e.channel_name +
             " " + e.provider + "; oracle " + o.event_id + " " + o.time + ")");
      }
      if (auto ot = parse_timestamp(o.time); ot && *ot == e.time) ++exact_time;
      const bool logon = is_logon_related(e.event_id);
      if (e.fields.size() != o.fields.size()) {
        file_ok = false;
        note(rel.string() + " #" + o.record_id + ": " + std::to_string(e.fields.size()) + " fields, oracle " +
             std::to_string(o.fields.size()));
      }
      for (std::size_t k = 0; k < o.fields.size(); ++k) {
        ++fields;
        if (logon) ++logon_fields;
        const bool ok = k < e.fields.size() && e.fields[k].name == o.fields[k].name &&
                        same_value(e.fields[k].value, o.fields[k].value);
        if (ok) {
          ++fields_ok;
          if (logon) ++logon_fields_ok;
        } else {
          file_ok = false;
          note(rel.string() + " #" + o.record_id + " field " + o.fields[k].name + ": got '" +
               (k < e.fields.size() ? e.fields[k].name + "'='" + visible(e.fields[k].value) : std::string("<none>")) +
               "' oracle '" + visible(o.fields[k].value) + "'");
        }
      }
    }
    if (file_ok) ++files_ok;
  }
  std::cout << "EVTX oracle: files " << files_ok << "/" << files.size() << " fully equal; records with equal "
            << "headers " << header_ok << "/" << records << " (time exact to the us: " << exact_time
            << "); named fields " << fields_ok << "/" << fields << "; logon-related fields " << logon_fields_ok
            << "/" << logon_fields << "\n";
  for (const auto& p : problems) std::cout << "  " << p << "\n";
  CHECK(count_mismatch_files == 0);
  CHECK(header_ok == records);
  CHECK(logon_fields_ok == logon_fields);
  CHECK(fields_ok == fields);
}
