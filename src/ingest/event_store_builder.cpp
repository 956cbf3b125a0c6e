#include "ingest/event_store_builder.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "util/parallel.h"
#include "util/strings.h"

namespace flexrecon {

std::size_t PreparedBatch::put(std::string_view s) {
  const std::size_t at = bytes_.size();
  bytes_.append(s);
  return at;
}

void PreparedBatch::add(const Event& event, Fingerprinter& fingerprinter, bool fingerprint) {
  Record r;
  SpilledRecord& h = r.head;
  h = SpilledRecord::header_of(event);
  // Events without a record id are never compared with another copy: no fingerprint needed.
  if (event.record_id != 0) {
    if (fingerprint)
      h.fingerprint = fingerprinter.of(event);
    else
      h.fingerprinted = false;
  }
  r.host_at = put(event.host);
  r.host_size = event.host.size();
  r.channel_at = put(event.channel_name);
  r.channel_size = event.channel_name.size();
  // Only the header travels on for the others: host and channel (for the counts and the dedup key),
  // the record id, time and source (for coverage and references).
  if (is_relevant_event(event)) {
    h.event = 0;  // any value but kNoEvent: the spill stores the content
    r.content_at = bytes_.size();
    RecordSpill::encode_content(event, bytes_);
    r.content_size = bytes_.size() - r.content_at;
  }
  records_.push_back(r);
}

EventStoreBuilder::EventStoreBuilder(const std::string& spill_parent)
    : spill_(std::make_unique<RecordSpill>(spill_parent)) {}

EventStoreBuilder::EventStoreBuilder(EventStore& store) : EventStoreBuilder(std::string()) { target_ = &store; }

EventStoreBuilder::~EventStoreBuilder() = default;

std::uint32_t EventStoreBuilder::host_id(std::string_view host) {
  // Events come in runs of one host (a file per host, an archive member per host): check the last first.
  if (!host_names_.empty() && host_names_[last_host_] == host) return last_host_;
  auto it = host_ids_.find(host);
  if (it == host_ids_.end()) {
    it = host_ids_.emplace(std::string(host), static_cast<std::uint32_t>(host_names_.size())).first;
    host_names_.emplace_back(host);
    host_buckets_.push_back(RecordSpill::bucket_of(host));
    host_spilled_.emplace_back();
  }
  return last_host_ = it->second;
}

std::uint32_t EventStoreBuilder::channel_id(std::string_view channel) {
  if (!channel_names_.empty() && channel_names_[last_channel_] == channel) return last_channel_;
  auto it = channel_ids_.find(channel);
  if (it == channel_ids_.end()) {
    it = channel_ids_.emplace(std::string(channel), static_cast<std::uint32_t>(channel_names_.size())).first;
    channel_names_.emplace_back(channel);
    // Channels compare case-insensitively: `Security` and `SECURITY` hold the same records.
    const auto key = channel_key_ids_.try_emplace(to_lower(channel), static_cast<std::uint32_t>(channel_key_ids_.size()));
    channel_keys_.push_back(key.first->second);
  }
  return last_channel_ = it->second;
}

std::uint64_t& EventStoreBuilder::count_of(std::uint32_t channel, int event_id) {
  const std::uint64_t key = static_cast<std::uint64_t>(channel) << 32 | static_cast<std::uint32_t>(event_id);
  auto it = count_cache_.find(key);
  if (it == count_cache_.end())
    it = count_cache_.emplace(key, &counts_.by_channel_and_id[{channel_names_[channel], event_id}]).first;
  return *it->second;
}

void EventStoreBuilder::add(const PreparedBatch& batch, SourceId source_base) {
  const std::string& bytes = batch.bytes();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const PreparedBatch::Record& r = batch.record(i);
    SpilledRecord head = r.head;
    head.source += source_base;
    const std::uint32_t channel = channel_id(r.text(bytes, r.channel_at, r.channel_size));
    ++counts_.read;
    ++count_of(channel, head.event_id);
    const std::uint32_t host = host_id(r.text(bytes, r.host_at, r.host_size));
    if (!head.fingerprinted) watch(host, channel, head.record_id, source_base);
    spill_->add(seq_++, host, host_buckets_[host], channel, head, r.text(bytes, r.content_at, r.content_size));
    ++host_spilled_[host].records;
    host_spilled_[host].events += head.event != SpilledRecord::kNoEvent;
  }
}

void EventStoreBuilder::watch(std::uint32_t host, std::uint32_t channel, std::uint64_t record_id, SourceId unit) {
  // Records come in runs of one host and channel (a file per host and channel): the last pair first.
  const std::uint64_t key = watch_key(host, channel_keys_[channel]);
  if (key != last_watch_key_) {
    last_watch_ = &id_watches_[key];
    last_watch_key_ = key;
  }
  IdWatch& w = *last_watch_;
  if (w.units.empty() || w.unit != unit) {
    if (!w.units.empty()) close_unit(w);
    w.units.push_back(unit);
    w.unit = unit;
    w.lowest = w.highest = record_id;
    w.rising = true;
  } else {
    w.rising = w.rising && record_id > w.last;
    w.lowest = std::min(w.lowest, record_id);
    w.highest = std::max(w.highest, record_id);
  }
  w.last = record_id;
}

void EventStoreBuilder::close_unit(IdWatch& w) {
  if (!w.rising) w.overlaps = true;
  if (w.overlaps) return;  // settled: the ranges are no longer needed
  auto& ranges = w.ranges;
  // The first range ending at or after the unit's lowest id: the only one that can intersect it
  // or touch it from below.
  auto at = std::lower_bound(ranges.begin(), ranges.end(), w.lowest,
                             [](const std::pair<std::uint64_t, std::uint64_t>& r, std::uint64_t id) { return r.second < id; });
  if (at != ranges.end() && at->first <= w.highest) {
    w.overlaps = true;
    std::vector<std::pair<std::uint64_t, std::uint64_t>>().swap(ranges);
    return;
  }
  std::pair<std::uint64_t, std::uint64_t> merged{w.lowest, w.highest};
  if (at != ranges.begin() && std::prev(at)->second + 1 == merged.first) {
    --at;
    merged.first = at->first;
    at = ranges.erase(at);
  }
  if (at != ranges.end() && merged.second + 1 == at->first) {
    merged.second = at->second;
    at = ranges.erase(at);
  }
  ranges.insert(at, merged);
  if (ranges.size() > kMaxWatchedRanges) {
    w.overlaps = true;
    std::vector<std::pair<std::uint64_t, std::uint64_t>>().swap(ranges);
  }
}

std::vector<SourceId> EventStoreBuilder::units_to_fingerprint() const {
  if (!watches_closed_) {
    for (auto& [key, w] : id_watches_) close_unit(w);
    watches_closed_ = true;
  }
  std::vector<SourceId> units;
  for (const auto& [key, w] : id_watches_)
    if (w.overlaps) units.insert(units.end(), w.units.begin(), w.units.end());
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  return units;
}

bool EventStoreBuilder::needs_fingerprint(std::string_view host, std::string_view channel) const {
  const auto h = host_ids_.find(host);
  const auto c = channel_ids_.find(channel);
  if (h == host_ids_.end() || c == channel_ids_.end()) return false;
  const auto w = id_watches_.find(watch_key(h->second, channel_keys_[c->second]));
  return w != id_watches_.end() && w->second.overlaps;
}

void EventStoreBuilder::add_stored(const StoredUnits& store, const StoredUnit& unit, SourceId source_base) {
  auto in_run = std::find_if(stores_.begin(), stores_.end(), [&](const StoreInRun& s) { return s.store == &store; });
  if (in_run == stores_.end()) {
    StoreInRun s;
    s.store = &store;
    for (const std::string& host : store.host_names()) s.hosts.push_back(host_id(host));
    for (const std::string& channel : store.channel_names()) s.channels.push_back(channel_id(channel));
    stores_.push_back(std::move(s));
    in_run = stores_.end() - 1;
  }
  RecordSpill::Renumbering place;
  place.seq_base = seq_;
  place.source_base = source_base;
  StoredRecords& records = in_run->units[unit.records_of];
  records.readers.push_back(place);
  records.expected += unit.records;
  if (records.path.empty()) records.path = unit.copy_of.empty() ? unit.path : unit.copy_of;
  // The seq numbers the unit's records had when read: they keep their place among the run's.
  seq_ += unit.records;
  counts_.read += unit.records;
  for (const auto& [kind, n] : unit.by_channel_and_id) counts_.by_channel_and_id[kind] += n;
}

// What assembling one bucket found besides the hosts' lists.
struct EventStoreBuilder::BucketResult {
  std::uint64_t duplicates = 0;
  std::uint64_t relevant = 0;
  std::map<std::pair<std::size_t, std::int64_t>, std::uint64_t> decoded;  // (store, unit) -> records read
  std::vector<std::pair<std::uint64_t, DuplicateConflict>> conflicts;  // (seq of the dropped copy, conflict)
};

namespace {

// Puts the records of each host together, hosts in ascending order, in place. A bucket holds few
// hosts (a hash of the name picks it: about 8 each at 2,000 hosts), so each record is swapped at
// most once straight into its host's group (an American flag sort), where a comparison sort moved
// the 80-byte records about log n times each. The order within a host is left as it falls:
// assemble_host sorts each host's records totally.
void group_by_host(std::vector<SpilledRecord>& records) {
  std::vector<std::uint32_t> hosts;  // the bucket's hosts, ascending
  for (const SpilledRecord& r : records) {
    const auto at = std::lower_bound(hosts.begin(), hosts.end(), r.host);
    if (at == hosts.end() || *at != r.host) hosts.insert(at, r.host);
  }
  const auto group_of = [&hosts](std::uint32_t host) {
    return static_cast<std::size_t>(std::lower_bound(hosts.begin(), hosts.end(), host) - hosts.begin());
  };
  std::vector<std::size_t> next(hosts.size() + 1, 0);  // next[g]: where group g's next record goes
  for (const SpilledRecord& r : records) ++next[group_of(r.host) + 1];
  for (std::size_t g = 1; g < next.size(); ++g) next[g] += next[g - 1];
  std::vector<std::size_t> end(next.begin() + 1, next.end());
  for (std::size_t g = 0; g < hosts.size(); ++g)
    while (next[g] < end[g]) {
      const std::size_t home = group_of(records[next[g]].host);
      if (home == g)
        ++next[g];
      else
        std::swap(records[next[g]], records[next[home]++]);
    }
}

}  // namespace

void EventStoreBuilder::assemble_bucket(std::uint32_t bucket, BucketResult& out,
                                        const std::function<void(HostEvents&&)>& visit) const {
  // The bucket's bytes from every store: compact, held while its hosts are decoded (the run's own
  // spill is read from its file, through a window).
  struct Stored {
    std::string what;
    std::string bytes;
  };
  std::vector<Stored> stored;
  // One pass over the bucket for the headers of all its hosts' records (80 bytes each); a used
  // record's content is only located, and decoded into a HostEvent when its host's turn comes, so
  // memory holds one host's events however many hosts share the bucket (the bucket is a hash of
  // the name), and the bucket is read once, not once per host.
  std::vector<SpilledRecord> records;
  std::vector<RecordSpill::ContentRef> contents;
  Spilled spilled;  // what the run's spill holds for the bucket: the lists are sized for it
  for (std::uint32_t h = 0; h < host_buckets_.size(); ++h)
    if (host_buckets_[h] == bucket) {
      spilled.records += host_spilled_[h].records;
      spilled.events += host_spilled_[h].events;
    }
  records.reserve(spilled.records);
  contents.reserve(spilled.events);
  spill_->decode_bucket_headers(bucket, records, contents);
  // Fingerprints taken after the spill was written, for its records (in seq order: input order).
  for (const auto& [seq, fingerprint] : spill_->fingerprints(bucket)) {
    const auto at = std::lower_bound(records.begin(), records.end(), seq,
                                     [](const SpilledRecord& r, std::uint64_t s) { return r.seq < s; });
    if (at == records.end() || at->seq != seq)
      throw Error::internal(spill_->bucket_name(bucket) + " has a fingerprint for no record (seq " + std::to_string(seq) + ")");
    at->fingerprint = fingerprint;
    at->fingerprinted = true;
  }
  for (std::size_t store = 0; store < stores_.size(); ++store) {
    const StoreInRun& in_run = stores_[store];
    for (auto& [unit, bytes] : in_run.store->blobs(bucket)) {
      const auto held = in_run.units.find(unit);
      if (held == in_run.units.end()) continue;  // added to the store after the run listed its units
      Stored& s = stored.emplace_back(Stored{"the case store " + in_run.store->path() + " (unit " + std::to_string(unit) + ")",
                                             std::move(bytes)});
      // Once per unit reading these bytes: copies of one content are records of their own, as when
      // each file is read (their contents are decoded from the same bytes).
      for (RecordSpill::Renumbering renumber : held->second.readers) {
        renumber.hosts = &in_run.hosts;
        renumber.channels = &in_run.channels;
        const std::size_t before = records.size();
        RecordSpill::decode_headers(s.bytes, 0, static_cast<std::uint32_t>(stored.size() - 1), s.what, ErrorKind::InputUnusable,
                                    &renumber, records, contents);
        out.decoded[{store, unit}] += records.size() - before;
      }
    }
  }
  // Host by host (any order within: assemble_host sorts them totally), each host's events decoded
  // in the order of their bytes, so the file is read forward. In place: a bucket of one host (most
  // buckets, up to 256 hosts) needs no sort at all, and stable_sort would take a buffer as large as
  // the records.
  const bool one_host = std::all_of(records.begin(), records.end(),
                                    [&](const SpilledRecord& r) { return r.host == records.front().host; });
  if (!one_host) group_by_host(records);
  std::size_t begin = 0;
  while (begin < records.size()) {
    std::size_t end = begin;
    while (end < records.size() && records[end].host == records[begin].host) ++end;
    const bool last = end == records.size();
    std::vector<SpilledRecord> host_records;
    if (begin == 0 && last) {
      host_records = std::move(records);  // the bucket's only host
    } else {
      host_records.assign(records.begin() + static_cast<std::ptrdiff_t>(begin), records.begin() + static_cast<std::ptrdiff_t>(end));
    }
    std::vector<std::pair<RecordSpill::ContentRef, SpilledRecord*>> from_spill;
    std::vector<HostEvent> events;
    std::size_t used = 0;
    for (SpilledRecord& r : host_records) used += r.event != SpilledRecord::kNoEvent;
    events.reserve(used);
    for (SpilledRecord& r : host_records) {
      if (r.event == SpilledRecord::kNoEvent) continue;
      const RecordSpill::ContentRef ref = contents[r.event];
      if (ref.origin == RecordSpill::kSpillFile) {
        from_spill.emplace_back(ref, &r);
      } else {
        const Stored& s = stored[ref.origin];
        if (ref.offset + ref.size > s.bytes.size()) throw Error(ErrorKind::InputUnusable, s.what + " is damaged (a record is cut short)");
        r.event = static_cast<std::uint32_t>(events.size());
        events.push_back(RecordSpill::decode_content(std::string_view(s.bytes).substr(ref.offset, ref.size), r,
                                                     channel_names_.at(r.channel), s.what, ErrorKind::InputUnusable));
      }
    }
    std::sort(from_spill.begin(), from_spill.end(), [](const auto& a, const auto& b) { return a.first.offset < b.first.offset; });
    spill_->decode_contents(bucket, from_spill, channel_names_, events);
    if (last) {
      // Everything of the bucket is decoded: its headers and the stores' bytes go before the last
      // host's timeline is built, not after.
      std::vector<SpilledRecord>().swap(records);
      std::vector<RecordSpill::ContentRef>().swap(contents);
      std::vector<Stored>().swap(stored);
    }
    assemble_host(host_records, events, out, visit);
    begin = end;
  }
}

namespace {

// Makes `events` hold events[order[0]], events[order[1]]... and nothing else, in place: each event
// is moved along its cycle of the permutation once. `order` names distinct indexes.
void arrange(std::vector<HostEvent>& events, const std::vector<std::uint32_t>& order) {
  constexpr std::uint32_t kUnplaced = 0xFFFFFFFF;
  std::vector<std::uint32_t> to(events.size(), kUnplaced);  // old index -> new index
  for (std::size_t k = 0; k < order.size(); ++k) to[order[k]] = static_cast<std::uint32_t>(k);
  auto spare = static_cast<std::uint32_t>(order.size());  // the dropped ones fill the places after the kept
  for (auto& t : to)
    if (t == kUnplaced) t = spare++;
  for (std::size_t i = 0; i < events.size(); ++i)
    while (to[i] != i) {
      const std::uint32_t j = to[i];
      std::swap(events[i], events[j]);
      std::swap(to[i], to[j]);
    }
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(order.size()), events.end());
}

}  // namespace

void EventStoreBuilder::assemble_host(std::vector<SpilledRecord>& records, std::vector<HostEvent>& events, BucketResult& out,
                                      const std::function<void(HostEvents&&)>& visit) const {
  // Copies of one (channel, record id) together, first in input order first.
  std::sort(records.begin(), records.end(), [this](const SpilledRecord& a, const SpilledRecord& b) {
    return std::make_tuple(channel_keys_[a.channel], a.record_id, a.seq) <
           std::make_tuple(channel_keys_[b.channel], b.record_id, b.seq);
  });
  HostEvents he;
  he.host = host_names_[records.front().host];
  // The host's events are all of `events`: the kept ones are arranged in place and the list handed
  // on, instead of being moved into a second list of the same size held beside the first.
  std::vector<std::uint32_t> kept_events;  // indexes into `events`, in the order of the sorted records
  kept_events.reserve(events.size());
  for (std::size_t i = 0; i < records.size();) {
    const SpilledRecord& first = records[i++];
    if (first.channel_kind == Channel::Security && first.record_id != 0)
      he.security.push_back({first.record_id, first.time, first.source, first.event_id, first.ref_by_line ? first.line : 0});
    if (first.event != SpilledRecord::kNoEvent) {
      kept_events.push_back(first.event);
      ++out.relevant;
    }
    if (first.record_id == 0) continue;
    for (; i < records.size() && records[i].record_id == first.record_id &&
           channel_keys_[records[i].channel] == channel_keys_[first.channel];
         ++i) {
      const SpilledRecord& copy = records[i];
      ++out.duplicates;
      // Copies meet only where the run's ids did not only rise, and there every record was given
      // its fingerprint (read_event_inputs): one missing here is a fault of that bookkeeping.
      if (!copy.fingerprinted || !first.fingerprinted)
        throw Error::internal("a copy of EventRecordID " + std::to_string(copy.record_id) + " of " + he.host +
                              " has no fingerprint to compare");
      if (copy.fingerprint != first.fingerprint)
        out.conflicts.emplace_back(copy.seq, DuplicateConflict{he.host, channel_names_[copy.channel], copy.record_id,
                                                               first.ref(), copy.ref()});
    }
  }
  // Source and line make the order total, so equal timestamps never depend on input quirks; the
  // place in kept_events (channel, record id, input order) settles what even they leave equal.
  // The indexes are sorted, not the events, which are larger to move.
  std::stable_sort(kept_events.begin(), kept_events.end(), [&events](std::uint32_t i, std::uint32_t j) {
    const HostEvent& a = events[i];
    const HostEvent& b = events[j];
    return std::tie(a.time, a.channel, a.record_id, a.source, a.line) <
           std::tie(b.time, b.channel, b.record_id, b.source, b.line);
  });
  arrange(events, kept_events);
  he.events = std::move(events);
  std::sort(he.security.begin(), he.security.end(), [](const SecurityMark& a, const SecurityMark& b) {
    return std::tie(a.record_id, a.time, a.source) < std::tie(b.record_id, b.time, b.source);
  });
  // Everything decoded for the host is in `he` now: the records go before its timeline is built,
  // not after (a year of one host's records is megabytes, held once per thread).
  std::vector<SpilledRecord>().swap(records);
  visit(std::move(he));
}

void EventStoreBuilder::assemble(int jobs, const std::function<void(HostEvents&&)>& visit) {
  spill_->finish_writing();
  std::vector<BucketResult> results(RecordSpill::kBuckets);
  const auto threads = static_cast<std::size_t>(std::max(1, std::min(jobs, static_cast<int>(host_names_.size()))));
  for_each_in_parallel(RecordSpill::kBuckets, threads, [&](std::size_t bucket, std::size_t) {
    assemble_bucket(static_cast<std::uint32_t>(bucket), results[bucket], visit);
  });

  refuse_changed_stores(results);
  std::vector<std::pair<std::uint64_t, DuplicateConflict>> conflicts;
  for (BucketResult& r : results) {
    counts_.duplicates += r.duplicates;
    counts_.relevant += r.relevant;
    std::move(r.conflicts.begin(), r.conflicts.end(), std::back_inserter(conflicts));
  }
  // In input order of the dropped copy: the order the copies were met.
  std::sort(conflicts.begin(), conflicts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [seq, c] : conflicts) conflicts_.push_back(std::move(c));
}

void EventStoreBuilder::refuse_changed_stores(const std::vector<BucketResult>& results) const {
  std::map<std::pair<std::size_t, std::int64_t>, std::uint64_t> decoded;
  for (const BucketResult& r : results)
    for (const auto& [key, n] : r.decoded) decoded[key] += n;
  for (std::size_t store = 0; store < stores_.size(); ++store)
    for (const auto& [unit, records] : stores_[store].units) {
      const auto it = decoded.find({store, unit});
      const std::uint64_t found = it == decoded.end() ? 0 : it->second;
      // Findings from part of a file would be wrong without a sign: the run stops instead.
      if (found != records.expected)
        throw Error::input("the case store " + stores_[store].store->path() + " changed while this run read it: " +
                           records.path + " should give " + std::to_string(records.expected) + " records, " +
                           std::to_string(found) + " were found (an ingest --replace ran meanwhile?): run again");
    }
}

void EventStoreBuilder::finish() {
  EventStore& store = *target_;
  std::mutex mutex;
  assemble(1, [&](HostEvents&& he) {
    std::lock_guard<std::mutex> lock(mutex);
    std::string name = he.host;
    store.hosts.emplace(std::move(name), std::move(he));
  });
  store.counts = counts_;
  store.conflicts.insert(store.conflicts.end(), conflicts_.begin(), conflicts_.end());
}

std::size_t EventStoreBuilder::memory_bytes() const {
  std::size_t n = sizeof(*this) + spill_->memory_bytes();
  for (const auto& h : host_names_) n += 2 * (h.capacity() + 64);  // the name and its hash entry
  for (const auto& c : channel_names_) n += 3 * (c.capacity() + 64);
  n += counts_.by_channel_and_id.size() * 128 + count_cache_.size() * 48;
  for (const auto& [key, w] : id_watches_)
    n += sizeof(w) + 32 + w.units.capacity() * sizeof(SourceId) + w.ranges.capacity() * sizeof(w.ranges[0]);
  return n;
}

}  // namespace flexrecon

namespace flexrecon {

IngestedEvents::IngestedEvents(const std::string& spill_dir) : builder_(std::make_unique<EventStoreBuilder>(spill_dir)) {}
IngestedEvents::~IngestedEvents() = default;
IngestedEvents::IngestedEvents(IngestedEvents&&) noexcept = default;
IngestedEvents& IngestedEvents::operator=(IngestedEvents&&) noexcept = default;

void IngestedEvents::for_each_host(int jobs, const std::function<void(HostEvents&&)>& visit) { builder_->assemble(jobs, visit); }
const EventCounts& IngestedEvents::counts() const { return builder_->counts(); }
const std::vector<DuplicateConflict>& IngestedEvents::conflicts() const { return builder_->conflicts(); }
std::size_t IngestedEvents::hosts() const { return builder_->hosts(); }
std::size_t IngestedEvents::memory_bytes() const { return builder_->memory_bytes(); }
std::uint64_t IngestedEvents::spill_bytes() const { return builder_->spill().bytes_written(); }

}  // namespace flexrecon
