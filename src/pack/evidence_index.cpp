#include "pack/evidence_index.h"

#include <algorithm>
#include <charconv>

namespace flexrecon {

namespace {

// Stable, so that among equal keys the first in input order is found first.
void sort_entries(std::vector<std::pair<std::pair<SourceId, std::uint64_t>, std::size_t>>& v) {
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace

EvidenceIndex::EvidenceIndex(const ReconcileResult& result) : store_(result.events) {
  for (std::size_t i = 0; i < result.rows.size(); ++i)
    metering_.push_back({{result.rows[i].source, result.rows[i].line}, i});
  for (std::size_t i = 0; i < result.inventory.size(); ++i)
    inventory_.push_back({{result.inventory[i].source, result.inventory[i].line}, i});
  // Sized once: grown by doubling, these two lists (48 bytes an event) held up to twice that.
  std::size_t events = 0;
  for (const auto& [host, he] : result.events.hosts) events += he.events.size() + he.packed.size();
  events_.reserve(events);
  event_keys_.reserve(events);  // most are cited by record id; the spare goes below when not
  for (const auto& [host, he] : result.events.hosts) {
    const auto add = [&](const Event& e, std::size_t index) {
      // SIEM events are cited by line (Event::ref), XML and EVTX events by record id.
      (e.ref_by_line ? event_lines_ : event_keys_).push_back({{e.source, e.ref_by_line ? e.line : e.record_id}, events_.size()});
      events_.push_back({&he, index, &*event_hosts_.insert(e.host).first});
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

std::optional<std::size_t> EvidenceIndex::find(const std::vector<Entry>& v, const EvidenceRef& ref) {
  const Key key{ref.source, ref.position};
  auto it = std::lower_bound(v.begin(), v.end(), key, [](const Entry& e, const Key& k) { return e.first < k; });
  if (it == v.end() || it->first != key) return std::nullopt;
  return it->second;
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
  const Key key{ref.source, ref.position};
  auto it = std::lower_bound(v.begin(), v.end(), key, [](const Entry& e, const Key& k) { return e.first < k; });
  if (it == v.end() || it->first != key) return std::nullopt;
  for (auto same = it; same != v.end() && same->first == key; ++same)
    if (*events_[same->second].event_host == host) return same->second;
  return it->second;
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
  const std::vector<Event>& held = slot.host->events;
  if (slot.index < held.size())
    into = held[slot.index];
  else
    slot.host->packed.at(slot.index - held.size(), into);
}

std::optional<EvidenceIndex::Mark> EvidenceIndex::mark(const EvidenceRef& ref) const {
  if (ref.is_line) {
    const Key key{ref.source, ref.position};
    auto it = std::lower_bound(mark_lines_.begin(), mark_lines_.end(), key,
                               [](const auto& e, const Key& k) { return e.first < k; });
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
