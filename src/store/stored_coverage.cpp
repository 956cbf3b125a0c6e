// `inspect STORE`'s coverage: every record of the store decoded a bucket at a time (memory holds one
// bucket), grouped by host and channel, with the EventRecordID gaps a run's coverage would see.
#include <algorithm>
#include <map>
#include <tuple>

#include "flexrecon/case_store.h"
#include "ingest/record_spill.h"
#include "util/strings.h"

namespace flexrecon {

std::vector<StoredChannelCoverage> stored_coverage(const CaseStore& store) {
  std::vector<StoredChannelCoverage> out;
  std::vector<std::uint32_t> identity_hosts(store.host_names().size()), identity_channels(store.channel_names().size());
  for (std::uint32_t i = 0; i < identity_hosts.size(); ++i) identity_hosts[i] = i;
  for (std::uint32_t i = 0; i < identity_channels.size(); ++i) identity_channels[i] = i;
  // Channels compare case-insensitively, as a run groups them.
  std::vector<std::string> channel_keys;
  for (const std::string& c : store.channel_names()) channel_keys.push_back(to_lower(c));
  // How many units read each stored unit's records: itself and its copies (the same bytes ingested
  // under other names), whose records a run counts again, as duplicates.
  std::map<std::int64_t, int> readers;
  for (const StoredUnit& u : store.units()) ++readers[u.records_of];
  for (std::uint32_t bucket = 0; bucket < RecordSpill::kBuckets; ++bucket) {
    std::vector<SpilledRecord> records;
    std::vector<RecordSpill::ContentRef> contents;  // not read: coverage needs the headers alone
    for (const auto& [unit, bytes] : store.blobs(bucket)) {
      RecordSpill::Renumbering ids;
      ids.hosts = &identity_hosts;
      ids.channels = &identity_channels;
      const auto it = readers.find(unit);
      for (int k = 0; k < (it == readers.end() ? 1 : it->second); ++k)
        RecordSpill::decode_headers(bytes, 0, 0, "the case store " + store.path() + " (unit " + std::to_string(unit) + ")",
                                    ErrorKind::InputUnusable, &ids, records, contents);
    }
    std::sort(records.begin(), records.end(), [&](const SpilledRecord& a, const SpilledRecord& b) {
      return std::tie(store.host_names()[a.host], channel_keys[a.channel], a.record_id, a.seq) <
             std::tie(store.host_names()[b.host], channel_keys[b.channel], b.record_id, b.seq);
    });
    for (std::size_t i = 0; i < records.size();) {
      StoredChannelCoverage c;
      const SpilledRecord& head = records[i];
      c.host = store.host_names()[head.host];
      c.channel = store.channel_names()[head.channel];
      c.first_time = c.last_time = head.time;
      const SpilledRecord* previous = nullptr;
      for (; i < records.size() && records[i].host == head.host && channel_keys[records[i].channel] == channel_keys[head.channel]; ++i) {
        const SpilledRecord& r = records[i];
        ++c.records;
        c.first_time = std::min(c.first_time, r.time);
        c.last_time = std::max(c.last_time, r.time);
        if (r.record_id == 0) continue;  // cannot be told apart nor placed
        if (previous && previous->record_id == r.record_id) {
          ++c.duplicates;
          if (previous->fingerprint != r.fingerprint) ++c.conflicts;
          continue;
        }
        if (!c.distinct) c.first_record = r.record_id;
        else if (r.record_id > c.last_record + 1) c.gaps.emplace_back(c.last_record + 1, r.record_id - 1);
        c.last_record = r.record_id;
        ++c.distinct;
        previous = &r;
      }
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(), [](const StoredChannelCoverage& a, const StoredChannelCoverage& b) {
    return std::tie(a.host, a.channel) < std::tie(b.host, b.channel);
  });
  return out;
}

}  // namespace flexrecon
