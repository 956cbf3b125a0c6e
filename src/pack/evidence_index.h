// Resolves an EvidenceRef (file + record or line) to what the run holds about it: a metering row,
// an inventory row, an event, or only the Security-log mark of a record that was not relevant.
// Sorted vectors, not maps: the index is built over every event of the run, possibly millions.
#pragma once

#include <cstddef>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flexrecon/reconcile.h"

namespace flexrecon {

class EvidenceIndex {
 public:
  explicit EvidenceIndex(const ReconcileResult& result);

  std::optional<std::size_t> metering_row(const EvidenceRef& ref) const;   // index into result.rows
  std::optional<std::size_t> inventory_row(const EvidenceRef& ref) const;  // index into result.inventory
  // The event's ordinal in host order then event order (the events table's id), first copy wins
  // when a file holds the same EventRecordID twice (forwarded events from several machines).
  std::optional<std::size_t> event_ordinal(const EvidenceRef& ref) const;
  // The same, preferring the copy of `host` when several hosts' events share the reference: the
  // citing claim's host tells them apart. The first copy when none is that host's.
  std::optional<std::size_t> event_ordinal(const EvidenceRef& ref, std::string_view host) const;
  // The event, decoded when its host holds its events packed (HostEvents::packed): a copy either way.
  std::optional<Event> event(const EvidenceRef& ref) const;
  // For a Security record known only from coverage: its host and mark. Record-id references search
  // the hosts' marks (not indexed: only a few are ever cited); line references (SIEM exports) are
  // indexed, as a line alone does not say which host's marks to search.
  struct Mark {
    const std::string* host = nullptr;
    const SecurityMark* mark = nullptr;
  };
  std::optional<Mark> mark(const EvidenceRef& ref) const;

  // The events in ordinal order: how many, and one of them (decoded when packed).
  std::size_t event_count() const { return events_.size(); }
  Event event_at(std::size_t ordinal) const;
  // The same into `into`, reusing its strings (PackedEvents::at).
  void event_at(std::size_t ordinal, Event& into) const;

  // What the index holds, in bytes: 24 per event plus the rows' and hosts' entries (docs/scale.md).
  std::size_t memory_bytes() const;

 private:
  // key -> position in the owning vector (a row, an event ordinal): 16 bytes, one per cited event.
  struct Entry {
    std::uint64_t position;  // the reference's record id or line
    SourceId source;
    std::uint32_t at;
    auto key() const { return std::pair(source, position); }
  };
  static std::vector<Entry>::const_iterator first_of(const std::vector<Entry>& v, const EvidenceRef& ref);
  static std::optional<std::size_t> find(const std::vector<Entry>& v, const EvidenceRef& ref);
  static void sort_entries(std::vector<Entry>& v);

  std::vector<Entry> metering_;
  std::vector<Entry> inventory_;
  std::vector<Entry> event_keys_;
  std::vector<Entry> event_lines_;  // events cited by line (SIEM exports)
  // Security records of SIEM exports, cited by line: one per record, sorted by (source, line).
  std::vector<std::pair<std::pair<SourceId, std::uint64_t>, std::pair<const std::string*, const SecurityMark*>>> mark_lines_;
  // Where an ordinal's event is: its host's entry in hosts_ (whose name, every event of a host's list
  // has, picks a host's copy of a shared reference) and its position in `events`, or past their end
  // in `packed`. Not a copy of the event: with its key the index costs 24 bytes a cited event, and
  // one index serves every file of the pack.
  struct Slot {
    std::uint32_t host;
    std::uint32_t index;
  };
  std::vector<Slot> events_;
  std::vector<const std::pair<const std::string, HostEvents>*> hosts_;  // (name, events) of each host
  const EventStore& store_;
};

// format_ref, but never throws on a reference to an unknown source.
std::string format_ref_safe(const SourceTable& sources, const EvidenceRef& ref);
// The same text appended to `out`, without a string of its own (the evidence store's bulk rows).
void append_ref_safe(std::string& out, const SourceTable& sources, const EvidenceRef& ref);

}  // namespace flexrecon
