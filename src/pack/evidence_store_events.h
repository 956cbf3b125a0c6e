// Which events evidence.sqlite holds, and the row each evidence reference lands on.
//
// An archive has millions of events; a claim rests on a few of them. The store keeps every event a
// finding, session, idle span, power span or coverage gap cites (its row is the event with the
// fields the reconstruction reads), and a `mark` row for each cited Security record the run knew
// only from its coverage scan (the neighbours of a record-number gap, the first and last record).
// Events nobody cites are counted in summary.json, not stored. This is the one place that decides
// what the store holds: the writer asks it for rows and row ids, and nothing else in the writer
// walks the event store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flexrecon/reconcile.h"
#include "pack/evidence_index.h"

namespace flexrecon {

class StoredEvents {
 public:
  // `index` must outlive this object.
  StoredEvents(const ReconcileResult& result, const EvidenceIndex& index);

  // A cited reference that is no event the run had: a Security record known from the coverage scan
  // (host and mark set), or a record id found nowhere (host and mark null: the row keeps the file
  // and the id, so the citation still resolves to its source).
  struct Mark {
    EvidenceRef ref;
    const std::string* host = nullptr;
    const SecurityMark* mark = nullptr;
  };

  // The cited events in the index's ordinal order (host, then time): rows 0 .. event_count()-1,
  // each decoded when asked for (a run holds its events packed).
  std::size_t event_count() const { return cited_count_; }
  Event event(std::size_t row) const { return index_.event_at(ordinal_of(row)); }
  void event(std::size_t row, Event& into) const { index_.event_at(ordinal_of(row), into); }
  // The cited marks, sorted by reference: the rows after the events, in this order.
  const std::vector<Mark>& marks() const { return marks_; }
  // events.id of the row `ref`, cited by a claim about `host`, resolves to: nullopt for a reference
  // that is no event (a metering, inventory or other input line). Where several hosts' events share
  // the reference (a forwarded-events export mixing machines), the row of `host`'s copy.
  std::optional<std::int64_t> row_id(const EvidenceRef& ref, std::string_view host) const;
  // The host a finding's references are resolved for: its charge's host ("" without one). A
  // session's are resolved for the session's host.
  static std::string_view citing_host(const ReconcileResult& result, const Finding& finding);

  // What the cited events' rows take, in bytes: two bits per event of the index, however many are
  // cited or however often (a list of the citations took 8 bytes each, and twice that as it grew).
  std::size_t memory_bytes() const;

 private:
  // `host`: the host the citing claim concerns (picks its copy of a shared reference); `entry`: the
  // event store's entry of the citing timeline's host, where a cited record's coverage mark is
  // looked up first; null when unknown.
  using HostEntry = std::pair<const std::string, HostEvents>;
  void cite(const EvidenceRef& ref, std::string_view host, const HostEntry* entry);
  // The EvidenceIndex ordinal of the event on `row` (< event_count()).
  std::size_t ordinal_of(std::size_t row) const;

  const EvidenceIndex& index_;
  // The cited events as a set of EvidenceIndex ordinals: bit `o % 64` of word `o / 64`; and, for
  // each word, how many cited events the words before it hold (a row is the rank of its ordinal).
  std::vector<std::uint64_t> cited_;
  std::vector<std::size_t> rows_before_;
  std::size_t cited_count_ = 0;
  std::vector<Mark> marks_;  // sorted by ref, unique
};

}  // namespace flexrecon
