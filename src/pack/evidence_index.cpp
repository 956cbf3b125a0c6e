#include "pack/evidence_index.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "flexrecon/error.h"

namespace flexrecon {

// Among equal keys the first in input order must be found first. Every list is built in input order
// with increasing positions, so sorting by (key, position) gives stable_sort's order by key, in
// place: stable_sort would take a buffer the size of the list (for the events, megabytes at the
// peak of the run).
void EvidenceIndex::sort_entries(std::vector<Entry>& v) {
  std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.source, a.position, a.at) < std::tie(b.source, b.position, b.at);
  });
}

EvidenceIndex::EvidenceIndex(const ReconcileResult& result) : store_(result.events) {
  const auto position = [](std::size_t i) {
    if (i > UINT32_MAX) throw Error::internal("more than 4 billion rows or cited events in one pack");
    return static_cast<std::uint32_t>(i);
  };
  for (std::size_t i = 0; i < result.rows.size(); ++i)
    metering_.push_back({result.rows[i].line, result.rows[i].source, position(i)});
  for (std::size_t i = 0; i < result.inventory.size(); ++i)
    inventory_.push_back({result.inventory[i].line, result.inventory[i].source, position(i)});
  // Sized once: grown by doubling, these two lists held up to twice their size.
  std::size_t events = 0;
  for (const auto& [host, he] : result.events.hosts) events += he.events.size() + he.packed.size();
  events_.reserve(events);
  event_keys_.reserve(events);  // most are cited by record id; the spare goes below when not
  hosts_.reserve(result.events.hosts.size());
  for (const auto& entry : result.events.hosts) {
    const auto& [host, he] = entry;
    const auto host_id = position(hosts_.size());
    hosts_.push_back(&entry);
    // An Event or a HostEvent.
    const auto add = [&](const auto& e, std::size_t index) {
      // SIEM events are cited by line (Event::ref), XML and EVTX events by record id.
      (e.ref_by_line ? event_lines_ : event_keys_).push_back({e.ref_by_line ? e.line : e.record_id, e.source, position(events_.size())});
      events_.push_back({host_id, position(index)});
    };
    for (std::size_t i = 0; i < he.events.size(); ++i) add(he.events[i], i);
    Event packed;  // decoded into again and again: only its header is read here
    for (std::size_t i = 0; i < he.packed.size(); ++i) {
      he.packed.at(i, packed);
      add(packed, he.events.size() + i);
    }
    for (const SecurityMark& m : he.security)
      if (m.line) mark_lines_.push_back({{m.source, m.line}, {&host, &m}});
  }
  event_keys_.shrink_to_fit();
  event_lines_.shrink_to_fit();
  mark_lines_.shrink_to_fit();
  sort_entries(event_lines_);
  std::sort(mark_lines_.begin(), mark_lines_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  sort_entries(metering_);
  sort_entries(inventory_);
  sort_entries(event_keys_);
}

std::vector<EvidenceIndex::Entry>::const_iterator EvidenceIndex::first_of(const std::vector<Entry>& v, const EvidenceRef& ref) {
  const auto key = std::pair(ref.source, ref.position);
  return std::lower_bound(v.begin(), v.end(), key, [](const Entry& e, const auto& k) { return e.key() < k; });
}

std::optional<std::size_t> EvidenceIndex::find(const std::vector<Entry>& v, const EvidenceRef& ref) {
  const auto it = first_of(v, ref);
  if (it == v.end() || it->key() != std::pair(ref.source, ref.position)) return std::nullopt;
  return it->at;
}

std::optional<std::size_t> EvidenceIndex::metering_row(const EvidenceRef& ref) const {
  return ref.is_line ? find(metering_, ref) : std::nullopt;
}

std::optional<std::size_t> EvidenceIndex::inventory_row(const EvidenceRef& ref) const {
  return ref.is_line ? find(inventory_, ref) : std::nullopt;
}

std::optional<std::size_t> EvidenceIndex::event_ordinal(const EvidenceRef& ref) const {
  return find(ref.is_line ? event_lines_ : event_keys_, ref);
}

std::optional<std::size_t> EvidenceIndex::event_ordinal(const EvidenceRef& ref, std::string_view host) const {
  const std::vector<Entry>& v = ref.is_line ? event_lines_ : event_keys_;
  const auto key = std::pair(ref.source, ref.position);
  const auto it = first_of(v, ref);
  if (it == v.end() || it->key() != key) return std::nullopt;
  for (auto same = it; same != v.end() && same->key() == key; ++same)
    if (hosts_[events_[same->at].host]->first == host) return same->at;
  return it->at;
}

std::optional<Event> EvidenceIndex::event(const EvidenceRef& ref) const {
  auto i = event_ordinal(ref);
  if (!i) return std::nullopt;
  return event_at(*i);
}

Event EvidenceIndex::event_at(std::size_t ordinal) const {
  Event e;
  event_at(ordinal, e);
  return e;
}

void EvidenceIndex::event_at(std::size_t ordinal, Event& into) const {
  const Slot& slot = events_.at(ordinal);
  const auto& [name, host] = *hosts_[slot.host];
  if (slot.index < host.events.size())
    into = host.events[slot.index].to_event(name);
  else
    host.packed.at(slot.index - host.events.size(), into);
}

std::size_t EvidenceIndex::memory_bytes() const {
  std::size_t n = sizeof(*this);
  for (const auto* v : {&metering_, &inventory_, &event_keys_, &event_lines_}) n += v->capacity() * sizeof(Entry);
  n += mark_lines_.capacity() * sizeof(mark_lines_[0]) + events_.capacity() * sizeof(Slot) +
       hosts_.capacity() * sizeof(hosts_[0]);
  return n;
}

std::optional<EvidenceIndex::Mark> EvidenceIndex::mark(const EvidenceRef& ref) const {
  if (ref.is_line) {
    const auto key = std::pair(ref.source, ref.position);
    auto it = std::lower_bound(mark_lines_.begin(), mark_lines_.end(), key,
                               [](const auto& e, const auto& k) { return e.first < k; });
    if (it == mark_lines_.end() || it->first != key) return std::nullopt;
    return Mark{it->second.first, it->second.second};
  }
  for (const auto& [host, he] : store_.hosts) {
    // `security` is sorted by record_id, one entry per distinct id.
    auto it = std::lower_bound(he.security.begin(), he.security.end(), ref.position,
                               [](const SecurityMark& m, std::uint64_t id) { return m.record_id < id; });
    if (it != he.security.end() && it->record_id == ref.position && it->source == ref.source)
      return Mark{&host, &*it};
  }
  return std::nullopt;
}

std::string format_ref_safe(const SourceTable& sources, const EvidenceRef& ref) {
  if (ref.source < sources.all().size()) return format_ref(sources, ref);
  return "source#" + std::to_string(ref.source) + (ref.is_line ? ":" : "#") + std::to_string(ref.position);
}

void append_ref_safe(std::string& out, const SourceTable& sources, const EvidenceRef& ref) {
  const auto append_number = [&out](std::uint64_t v) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    out.append(digits, end);
  };
  if (ref.source < sources.all().size()) {
    out += sources.all()[ref.source].name;
  } else {
    out += "source#";
    append_number(ref.source);
  }
  out += ref.is_line ? ':' : '#';
  append_number(ref.position);
}

}  // namespace flexrecon
