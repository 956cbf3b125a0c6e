#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "ingest/event_store_builder.h"
#include "ingest/record_spill.h"
#include "support/shared_data.h"

using namespace flexrecon;

namespace {

Event make(const std::string& host, Channel channel, int id, std::uint64_t record, Instant time, SourceId source = 0) {
  Event e;
  e.host = host;
  e.computer = host;
  e.channel = channel;
  e.channel_name = channel == Channel::Security ? "Security"
                   : channel == Channel::System ? "System"
                   : channel == Channel::LocalSessionManager
                       ? "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"
                       : "Microsoft-Windows-Sysmon/Operational";
  e.event_id = id;
  e.record_id = record;
  e.time = time;
  e.source = source;
  e.fields = {{"TargetUserName", "jdoe"}, {"LogonType", "2"}};
  return e;
}

}  // namespace

TEST_CASE("the same record from two overlapping exports counts once") {
  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(make("ws-1", Channel::Security, 4624, 10, 1000, 0));
  builder.add(make("ws-1", Channel::Security, 4624, 10, 1000, 1));
  builder.finish();
  CHECK(store.counts.read == 2);
  CHECK(store.counts.duplicates == 1);
  CHECK(store.counts.relevant == 1);
  CHECK(store.conflicts.empty());
  REQUIRE(store.hosts.count("ws-1") == 1);
  CHECK(store.hosts["ws-1"].events.size() == 1);
  CHECK(store.hosts["ws-1"].events[0].source == 0);
  CHECK(store.hosts["ws-1"].security.size() == 1);
  CHECK(store.counts.by_channel_and_id[{"Security", 4624}] == 2);
}

TEST_CASE("two differing copies of one record keep the first in input order and report a conflict") {
  EventStore store;
  EventStoreBuilder builder(store);
  auto first = make("ws-1", Channel::Security, 4624, 10, 1000, 0);
  auto second = make("ws-1", Channel::Security, 4624, 10, 1000, 1);
  second.fields[0].value = "mallory";
  builder.add(std::move(first));
  builder.add(std::move(second));
  builder.finish();
  CHECK(store.counts.duplicates == 1);
  REQUIRE(store.conflicts.size() == 1);
  const auto& c = store.conflicts[0];
  CHECK(c.host == "ws-1");
  CHECK(c.channel == "Security");
  CHECK(c.record_id == 10);
  CHECK(c.kept == EvidenceRef{0, 10, false});
  CHECK(c.dropped == EvidenceRef{1, 10, false});
  REQUIRE(store.hosts["ws-1"].events.size() == 1);
  CHECK(store.hosts["ws-1"].events[0].field("TargetUserName") == "jdoe");
}

TEST_CASE("a different time or event id on the same record is a conflict too") {
  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(make("ws-1", Channel::Security, 4624, 10, 1000, 0));
  builder.add(make("ws-1", Channel::Security, 4624, 10, 1000 + 5 * kSecond, 1));
  builder.add(make("ws-1", Channel::Security, 4634, 10, 1000, 2));
  builder.finish();
  CHECK(store.counts.duplicates == 2);
  CHECK(store.conflicts.size() == 2);
}

TEST_CASE("one record as two export tools spell it is an identical copy, not a conflict") {
  // wevtutil: short hex, upper-case GUID, 7 fraction digits; python-evtx/EVTX: padded hex,
  // lower-case GUID, a microsecond lost to a float, an empty field written out.
  EventStore store;
  EventStoreBuilder builder(store);
  auto wevtutil = make("ws-1", Channel::Security, 4616, 10, 1'000'000'000'000'123);
  wevtutil.fields = {{"SubjectLogonId", "0x3e7"}, {"LogonGuid", "{54849625-5478-4994-A5BA-3E3B0328C30D}"},
                     {"PreviousTime", "2019-03-20T09:21:36.535000000Z"}};
  auto python = make("ws-1", Channel::Security, 4616, 10, 1'000'000'000'000'122, 1);
  python.fields = {{"SubjectLogonId", "0x00000000000003e7"}, {"LogonGuid", "{54849625-5478-4994-a5ba-3e3b0328c30d}"},
                   {"PreviousTime", "2019-03-20 09:21:36.535000"}, {"IpAddress", ""}};
  builder.add(std::move(wevtutil));
  builder.add(std::move(python));
  builder.finish();
  CHECK(store.counts.duplicates == 1);
  CHECK(store.conflicts.empty());
}

TEST_CASE("an .evtx file and its XML export read together overlap as identical copies") {
  const std::string base = flexrecon::test::require_shared("").string();
  const std::string name = "EVTX-ATTACK-SAMPLES/Lateral Movement/LM_4624_mimikatz_sekurlsa_pth_source_machine";
  SourceTable sources;
  EventStore store;
  Rejects rejects;
  read_event_inputs({base + "/public-evtx/" + name + ".evtx", base + "/public-evtx-xml/" + name + ".xml"}, {}, sources,
                    store, rejects);
  CHECK(rejects.empty());
  REQUIRE(store.counts.read > 0);
  CHECK(store.counts.duplicates * 2 == store.counts.read);
  CHECK(store.conflicts.empty());
}

TEST_CASE("the same record id on another host or in another channel is not a duplicate") {
  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(make("ws-1", Channel::Security, 4624, 10, 1000));
  builder.add(make("ws-2", Channel::Security, 4624, 10, 1000));
  builder.add(make("ws-1", Channel::System, 6005, 10, 1000));
  builder.finish();
  CHECK(store.counts.duplicates == 0);
  CHECK(store.counts.relevant == 3);
  CHECK(store.hosts.size() == 2);
}

TEST_CASE("every Security record marks coverage, relevant or not - only relevant events are kept") {
  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(make("ws-1", Channel::Security, 4688, 12, 3000));
  builder.add(make("ws-1", Channel::Security, 4624, 11, 2000));
  builder.add(make("ws-1", Channel::Other, 1, 5, 2500));
  builder.finish();
  const auto& host = store.hosts["ws-1"];
  REQUIRE(host.security.size() == 2);
  CHECK(host.security[0].record_id == 11);
  CHECK(host.security[1].record_id == 12);
  CHECK(host.security[1].time == 3000);
  REQUIRE(host.events.size() == 1);
  CHECK(host.events[0].event_id == 4624);
  CHECK(store.counts.read == 3);
  CHECK(store.counts.relevant == 1);
  CHECK(store.counts.by_channel_and_id[{"Microsoft-Windows-Sysmon/Operational", 1}] == 1);
}

TEST_CASE("kept events are ordered by time, then channel, then record id, whatever the input order") {
  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(make("ws-1", Channel::LocalSessionManager, 21, 3, 1000));
  builder.add(make("ws-1", Channel::Security, 4624, 9, 1000));
  builder.add(make("ws-1", Channel::Security, 4624, 8, 1000));
  builder.add(make("ws-1", Channel::System, 6005, 1, 500));
  builder.finish();
  const auto& events = store.hosts["ws-1"].events;
  REQUIRE(events.size() == 4);
  CHECK(events[0].event_id == 6005);
  CHECK(events[1].record_id == 8);
  CHECK(events[2].record_id == 9);
  CHECK(events[3].channel == Channel::LocalSessionManager);
}

// Memory must grow with hosts, never with events read (issue: archives of a year for thousands of
// hosts). The builder's own account of what it holds is checked as events stream through it.
TEST_CASE("the ingest holds no key per event: its memory stays flat as a host's events stream in") {
  IngestedEvents ingested;
  EventStoreBuilder& builder = ingested.builder();
  std::uint64_t record = 1;
  const auto stream = [&](int n) {
    for (int i = 0; i < n; ++i, ++record) {
      auto e = make("ws-" + std::to_string(record % 8), record % 3 ? Channel::Security : Channel::System,
                    record % 5 ? 4688 : 4624, record, static_cast<Instant>(record) * kSecond);
      e.fields.push_back({"CommandLine", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"});
      builder.add(std::move(e));
    }
  };
  stream(20'000);
  const std::size_t after_20k = ingested.memory_bytes();
  stream(380'000);
  const std::size_t after_400k = ingested.memory_bytes();
  INFO("memory after 20k events " << after_20k << " bytes, after 400k " << after_400k);
  // 256 bucket buffers of at most 32 KiB plus some names: a bound independent of the events read.
  CHECK(after_400k <= 256 * 64 * 1024 + 64 * 1024);
  CHECK(after_400k <= after_20k + 256 * 64 * 1024);  // buffers may fill; nothing else may grow
  CHECK(ingested.spill_bytes() > 400'000 * 30);     // the events went to disk instead (30 bytes: a header at least)

  std::size_t hosts = 0, largest_host = 0;
  ingested.for_each_host(1, [&](HostEvents&& he) {
    ++hosts;
    largest_host = std::max(largest_host, he.security.size() + he.events.size());
  });
  CHECK(hosts == 8);
  CHECK(ingested.counts().read == 400'000);
  CHECK(ingested.counts().duplicates == 0);
  // Only one host's records are in memory at a time while assembling: about an eighth here.
  CHECK(largest_host <= 400'000 / 8 + 1'000);
}

// The spill is read back through a window of 256 KiB, so a host's bucket is never held whole beside
// the events decoded from it: records cut by the window's edge, and records larger than the window,
// must come back whole and in order.
TEST_CASE("a host's spilled records come back whole when they are larger than the read window") {
  IngestedEvents ingested;
  EventStoreBuilder& builder = ingested.builder();
  const auto value_for = [](std::uint64_t record) {
    const std::size_t size = record % 50 == 0 ? 300'000 : record % 7 == 0 ? 70'000 : 900;
    return std::string(size, static_cast<char>('a' + record % 26));
  };
  for (std::uint64_t record = 1; record <= 600; ++record) {
    auto e = make("ws-1", Channel::Security, 4624, record, static_cast<Instant>(record) * kSecond);
    e.fields = {{"TargetUserName", value_for(record)}, {"LogonType", "2"}};
    builder.add(std::move(e));
    if (record % 100 == 0) builder.add(make("ws-1", Channel::Security, 4688, record + 1'000'000, 0));  // not used
  }
  CHECK(ingested.spill_bytes() > 6'000'000);
  std::size_t hosts = 0;
  ingested.for_each_host(2, [&](HostEvents&& he) {
    ++hosts;
    CHECK(he.host == "ws-1");
    CHECK(he.security.size() == 606);
    REQUIRE(he.events.size() == 600);
    for (std::size_t i = 0; i < he.events.size(); ++i) {
      const HostEvent& e = he.events[i];
      INFO("event " << i);
      CHECK(e.record_id == i + 1);
      CHECK(e.field("TargetUserName") == value_for(e.record_id));
      CHECK(e.field("LogonType") == "2");
    }
  });
  CHECK(hosts == 1);
  CHECK(ingested.counts().read == 606);
}

// Hosts whose names hash to one bucket are read from it in one pass, then decoded a host at a time:
// each must get exactly its own events, whole, with duplicates and conflicts found within the host.
TEST_CASE("hosts sharing a spill bucket, their records interleaved, each get exactly their own events") {
  std::vector<std::string> names;
  const std::uint32_t bucket = RecordSpill::bucket_of("ws-0");
  for (int i = 0; names.size() < 3; ++i)
    if (RecordSpill::bucket_of("ws-" + std::to_string(i)) == bucket) names.push_back("ws-" + std::to_string(i));
  IngestedEvents ingested;
  EventStoreBuilder& builder = ingested.builder();
  const auto value_for = [](std::size_t host, std::uint64_t record) {
    return std::string(record % 40 == 0 ? 200'000 : 300 + host, static_cast<char>('a' + (record + host) % 26));
  };
  for (std::uint64_t record = 1; record <= 400; ++record)
    for (std::size_t h = 0; h < names.size(); ++h) {  // interleaved, as a SIEM export mixes hosts
      auto e = make(names[h], Channel::Security, 4624, record, static_cast<Instant>(record) * kSecond);
      e.fields = {{"TargetUserName", value_for(h, record)}, {"LogonType", "2"}};
      builder.add(std::move(e));
    }
  auto copy = make(names[1], Channel::Security, 4624, 7, 7 * kSecond);  // the same record again
  copy.fields = {{"TargetUserName", value_for(1, 7)}, {"LogonType", "2"}};
  builder.add(std::move(copy));
  auto changed = make(names[2], Channel::Security, 4624, 9, 9 * kSecond);  // a copy that differs
  changed.fields = {{"TargetUserName", "mallory"}, {"LogonType", "2"}};
  builder.add(std::move(changed));
  std::map<std::string, std::size_t> seen;
  ingested.for_each_host(2, [&](HostEvents&& he) {
    const auto h = static_cast<std::size_t>(std::find(names.begin(), names.end(), he.host) - names.begin());
    REQUIRE(h < names.size());
    seen[he.host] = he.events.size();
    CHECK(he.security.size() == 400);
    for (std::size_t i = 0; i < he.events.size(); ++i) {
      INFO(he.host << " event " << i);
      CHECK(he.events[i].record_id == i + 1);
      CHECK(he.events[i].channel_name() == "Security");
      CHECK(he.events[i].field("TargetUserName") == value_for(h, i + 1));
    }
  });
  CHECK(seen == std::map<std::string, std::size_t>{{names[0], 400}, {names[1], 400}, {names[2], 400}});
  CHECK(ingested.counts().duplicates == 2);
  REQUIRE(ingested.conflicts().size() == 1);
  CHECK(ingested.conflicts()[0].host == names[2]);
  CHECK(ingested.conflicts()[0].record_id == 9);
}

TEST_CASE("a spilled record's size is known from any prefix of it: 0 until it is whole, never a misreading") {
  // The window over a bucket file can end anywhere in a record: in a number, in the fingerprint, in
  // a field's text. Every cut must read as "not whole yet", and only the whole record as its size.
  auto used = make("ws-1", Channel::Security, 4624, 300'000, 1'700'000'000 * kSecond);
  used.provider = "Microsoft-Windows-Security-Auditing";
  used.fields = {{"TargetUserName", "jdoe"}, {"LogonType", "2"}, {"TargetLogonId", "0x3e7"}};
  SpilledRecord head = SpilledRecord::header_of(used);
  head.event = 0;
  for (std::size_t i = 0; i < head.fingerprint.size(); ++i) head.fingerprint[i] = static_cast<unsigned char>(0x80 | i);
  std::string content;
  RecordSpill::encode_content(used, content);
  std::string bytes;
  RecordSpill::encode_record(bytes, 4'000'000, 1'999, 3, head, content);
  const std::size_t first = bytes.size();
  SpilledRecord bare = head;  // a record whose event is not used: its header alone
  bare.event = SpilledRecord::kNoEvent;
  RecordSpill::encode_record(bytes, 4'000'001, 1'999, 3, bare, {});
  for (std::size_t cut = 0; cut < first; ++cut) {
    INFO("cut after " << cut << " of " << first << " bytes");
    CHECK(RecordSpill::record_size(std::string_view(bytes).substr(0, cut), "test") == 0);
  }
  CHECK(RecordSpill::record_size(std::string_view(bytes).substr(0, first), "test") == first);
  CHECK(RecordSpill::record_size(bytes, "test") == first);
  for (std::size_t cut = first; cut < bytes.size(); ++cut)
    CHECK(RecordSpill::record_size(std::string_view(bytes).substr(first, cut - first), "test") == 0);
  CHECK(RecordSpill::record_size(std::string_view(bytes).substr(first), "test") == bytes.size() - first);
  CHECK_THROWS_AS(RecordSpill::record_size(std::string(12, '\xFF'), "test"), Error);
}

TEST_CASE("used events keep the fields something reads - other events keep only their header") {
  EventStore store;
  EventStoreBuilder builder(store);
  auto logon = make("ws-1", Channel::Security, 4624, 10, 1000);
  logon.fields = {{"SubjectUserSid", "S-1-5-18"}, {"SubjectUserName", "WS-1$"}, {"SubjectDomainName", "CORP"},
                  {"SubjectLogonId", "0x3e7"}, {"TargetUserSid", "S-1-5-21-1"}, {"TargetUserName", "jdoe"},
                  {"LogonProcessName", "User32"}, {"LogonType", "2"}, {"TargetLogonId", "0x1234"}};
  builder.add(std::move(logon));
  builder.add(make("ws-1", Channel::Security, 4688, 11, 2000));
  builder.finish();
  const auto& host = store.hosts["ws-1"];
  REQUIRE(host.events.size() == 1);
  const HostEvent& e = host.events[0];
  CHECK(e.field("TargetUserName") == "jdoe");
  CHECK(e.field("LogonType") == "2");
  CHECK(e.field("TargetLogonId") == "0x1234");
  CHECK(e.field("TargetUserSid") == "S-1-5-21-1");
  CHECK_FALSE(e.has_field("LogonProcessName"));  // nothing reads it
  // The dossier describes a logon by its target: the Subject* fields it does not read go.
  CHECK(e.field("SubjectUserName") == "WS-1$");  // read (who cleared a log, on 1102)
  CHECK_FALSE(e.has_field("SubjectUserSid"));
  CHECK_FALSE(e.has_field("SubjectLogonId"));
  CHECK(e.field_count() == 5);
  REQUIRE(host.security.size() == 2);
}

TEST_CASE("a used event with none of the fields the dossier describes events by keeps its first four") {
  EventStore store;
  EventStoreBuilder builder(store);
  auto cleared = make("ws-1", Channel::Security, 1102, 10, 1000);
  cleared.fields = {{"SubjectUserSid", "S-1-5-21-7"}, {"SubjectUserName", "adm_itops"}, {"SubjectDomainName", "CORP"},
                    {"SubjectLogonId", "0x51a2"}, {"ClientProcessId", "4242"}};
  builder.add(std::move(cleared));
  builder.finish();
  const auto& host = store.hosts["ws-1"];
  REQUIRE(host.events.size() == 1);
  const HostEvent& e = host.events[0];
  CHECK(is_described_by_first_fields(e.to_event(host.host)));
  REQUIRE(e.field_count() == 4);  // the first four, in order: what the dossier shows of it
  CHECK(e.field_name(0) == "SubjectUserSid");
  CHECK(e.field_value(3) == "0x51a2");
  CHECK_FALSE(e.has_field("ClientProcessId"));
}

TEST_CASE("conflicts come out in the input order of the dropped copies, across hosts and buckets") {
  EventStore store;
  EventStoreBuilder builder(store);
  for (int h = 0; h < 300; ++h) builder.add(make("ws-" + std::to_string(h), Channel::Security, 4624, 7, 1000, 0));
  for (int h = 299; h >= 0; --h) {
    auto copy = make("ws-" + std::to_string(h), Channel::Security, 4624, 7, 1000, 1);
    copy.fields[0].value = "mallory";
    builder.add(std::move(copy));
  }
  builder.finish();
  REQUIRE(store.conflicts.size() == 300);
  CHECK(store.conflicts.front().host == "ws-299");
  CHECK(store.conflicts.back().host == "ws-0");
  CHECK(store.counts.duplicates == 300);
  CHECK(store.hosts.size() == 300);
}

TEST_CASE("a spill folder that cannot be made stops the run with a message naming it") {
  try {
    IngestedEvents ingested("/nonexistent-flexrecon-folder/sub");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("/nonexistent-flexrecon-folder/sub") != std::string::npos);
    CHECK(std::string(e.what()).find("TMPDIR") != std::string::npos);
  }
}

TEST_CASE("a reader's batch is handed on by bytes as well as by count, and its records arrive whole") {
  // A few events with large read fields must not make a reader hold thousands of them: the batch
  // says it is full once its bytes pass the bound, long before its record count does.
  Fingerprinter fingerprinter;
  PreparedBatch batch;
  const std::string long_name(1 << 20, 'u');
  std::size_t added = 0;
  while (!batch.full() && added < 4096) {
    Event e = make("ws-1", Channel::Security, 4624, added + 1, 1000 + static_cast<Instant>(added));
    e.fields = {{"TargetUserName", long_name}, {"LogonType", "2"}};
    batch.add(e, fingerprinter);
    ++added;
  }
  CHECK(batch.full());
  CHECK(added <= 9);

  EventStore store;
  EventStoreBuilder builder(store);
  builder.add(batch, 0);
  builder.finish();
  CHECK(store.counts.read == added);
  REQUIRE(store.hosts.count("ws-1") == 1);
  const HostEvents& host = store.hosts.at("ws-1");
  REQUIRE(host.events.size() == added);
  CHECK(host.events.front().field("TargetUserName") == long_name);
  CHECK(host.events.back().field("LogonType") == "2");

  batch.clear();
  CHECK(batch.empty());
  CHECK_FALSE(batch.full());
}
