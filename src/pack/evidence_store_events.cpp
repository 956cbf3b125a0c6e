#include "pack/evidence_store_events.h"

#include <algorithm>
#include <bit>
#include <string>

#include "flexrecon/error.h"

namespace flexrecon {

namespace {

bool by_ref(const StoredEvents::Mark& a, const StoredEvents::Mark& b) { return a.ref < b.ref; }

// The host's coverage mark of a record-id reference: a binary search in that host's marks, where
// EvidenceIndex::mark would search every host's.
const SecurityMark* host_mark(const HostEvents& host, const EvidenceRef& ref) {
  auto it = std::lower_bound(host.security.begin(), host.security.end(), ref.position,
                             [](const SecurityMark& m, std::uint64_t id) { return m.record_id < id; });
  if (it == host.security.end() || it->record_id != ref.position || it->source != ref.source) return nullptr;
  return &*it;
}

}  // namespace

StoredEvents::StoredEvents(const ReconcileResult& result, const EvidenceIndex& index)
    : index_(index), cited_((index.event_count() + 63) / 64, 0) {
  const auto entry_of = [&](std::string_view host) -> const HostEntry* {
    const auto he = result.events.hosts.find(std::string(host));
    return he == result.events.hosts.end() ? nullptr : &*he;
  };
  // Timelines first: each cites records of its own host, so a mark is found in that host's marks.
  for (const auto& [name, tl] : result.timelines.hosts) {
    const HostEntry* entry = entry_of(name);
    const auto cite_all = [&](const std::vector<EvidenceRef>& refs, std::string_view host) {
      for (const EvidenceRef& ref : refs) cite(ref, host, entry);
    };
    for (const Session& s : tl.sessions) {
      cite_all(s.evidence, s.host);
      for (const IdleSpan& i : s.idle) cite_all(i.evidence, s.host);
    }
    for (const PowerSpan& p : tl.power_off) cite_all(p.evidence, name);
    for (const CoverageGap& g : tl.uncovered) cite_all(g.evidence, name);
  }
  for (const Finding& f : result.results.findings) {
    const std::string_view host = citing_host(result, f);
    const HostEntry* entry = entry_of(host);
    for (const EvidenceRef& ref : f.evidence) cite(ref, host, entry);
  }

  rows_before_.reserve(cited_.size());
  for (const std::uint64_t word : cited_) {
    rows_before_.push_back(cited_count_);
    cited_count_ += static_cast<std::size_t>(std::popcount(word));
  }

  // A record id not found among its host's marks: search every host once (rare: a finding citing a
  // record of another host), else keep the bare reference.
  std::stable_sort(marks_.begin(), marks_.end(), by_ref);
  const auto known = [&](const Mark& m) { return m.host != nullptr; };
  std::vector<Mark> resolved;
  for (std::size_t i = 0; i < marks_.size(); ++i) {
    if (i > 0 && marks_[i].ref == marks_[i - 1].ref) {
      if (!known(resolved.back()) && known(marks_[i])) resolved.back() = marks_[i];
      continue;
    }
    resolved.push_back(marks_[i]);
  }
  for (Mark& m : resolved) {
    if (known(m) || m.ref.is_line) continue;
    if (const auto found = index_.mark(m.ref)) {
      m.host = found->host;
      m.mark = found->mark;
    }
  }
  marks_ = std::move(resolved);
}

std::string_view StoredEvents::citing_host(const ReconcileResult& result, const Finding& finding) {
  return finding.row < result.rows.size() ? std::string_view(result.rows[finding.row].host) : std::string_view();
}

void StoredEvents::cite(const EvidenceRef& ref, std::string_view host, const HostEntry* entry) {
  if (ref.is_line && (index_.metering_row(ref) || index_.inventory_row(ref))) return;  // not an event
  if (const auto ordinal = index_.event_ordinal(ref, host)) {
    cited_[*ordinal / 64] |= std::uint64_t{1} << (*ordinal % 64);
    return;
  }
  if (ref.is_line) {
    // A SIEM export's line: a Security record cited for coverage, or a line of another input
    // (identity map, rate sheet), which the store resolves to its file alone.
    if (const auto m = index_.mark(ref)) marks_.push_back({ref, m->host, m->mark});
    return;
  }
  const SecurityMark* m = entry ? host_mark(entry->second, ref) : nullptr;
  marks_.push_back({ref, m ? &entry->first : nullptr, m});
}

std::optional<std::int64_t> StoredEvents::row_id(const EvidenceRef& ref, std::string_view host) const {
  if (const auto ordinal = index_.event_ordinal(ref, host)) {
    const std::uint64_t word = cited_[*ordinal / 64];
    const std::uint64_t bit = std::uint64_t{1} << (*ordinal % 64);
    if (!(word & bit)) return std::nullopt;
    return static_cast<std::int64_t>(rows_before_[*ordinal / 64] + static_cast<std::size_t>(std::popcount(word & (bit - 1))));
  }
  auto it = std::lower_bound(marks_.begin(), marks_.end(), Mark{ref}, by_ref);
  if (it == marks_.end() || it->ref != ref) return std::nullopt;
  return static_cast<std::int64_t>(cited_count_ + static_cast<std::size_t>(it - marks_.begin()));
}

std::size_t StoredEvents::ordinal_of(std::size_t row) const {
  if (row >= cited_count_) throw Error::internal("evidence.sqlite: event row " + std::to_string(row) + " of " + std::to_string(cited_count_));
  // The row's word is the last with at most `row` cited events before it; the row is the
  // (row - before)-th set bit of that word.
  const auto after = std::upper_bound(rows_before_.begin(), rows_before_.end(), row);
  const auto w = static_cast<std::size_t>(after - rows_before_.begin()) - 1;
  std::uint64_t word = cited_[w];
  for (std::size_t skip = row - rows_before_[w]; skip > 0; --skip) word &= word - 1;  // drop the lower set bits
  return w * 64 + static_cast<std::size_t>(std::countr_zero(word));
}

std::size_t StoredEvents::memory_bytes() const {
  return cited_.capacity() * sizeof(std::uint64_t) + rows_before_.capacity() * sizeof(std::size_t) +
         marks_.capacity() * sizeof(Mark);
}

}  // namespace flexrecon
