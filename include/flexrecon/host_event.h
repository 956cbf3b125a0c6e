// A used event as a host's reconstruction holds it: the header as members, its texts (channel name,
// provider, computer, each field's name and value) back to back in one buffer. The reconstruction
// holds every used event of the host being rebuilt at once, per thread: as an Event (four strings,
// a list of fields of two strings each) one took ~730 bytes and about six allocations; this takes
// ~400 bytes and one (docs/scale.md, "Peak memory").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "flexrecon/event.h"

namespace flexrecon {

class HostEvent {
 public:
  SourceId source = 0;
  std::uint64_t line = 0;
  bool ref_by_line = false;
  Channel channel = Channel::Other;
  int event_id = 0;
  std::uint64_t record_id = 0;
  Instant time = 0;

  HostEvent() = default;
  // Implicit: a host's events may be given as the readers' Events (tests, the store of `inspect`).
  // Event::host is not kept: a host's events all have its name (HostEvents::host).
  HostEvent(const Event& e);  // NOLINT(google-explicit-constructor)

  std::string_view channel_name() const { return text(0); }
  std::string_view provider() const { return text(1); }
  std::string_view computer() const { return text(2); }
  std::size_t field_count() const;
  std::string_view field_name(std::size_t i) const { return text(kFirstField + 2 * i); }
  std::string_view field_value(std::size_t i) const { return text(kFirstField + 2 * i + 1); }
  // As Event::field and Event::has_field: the first field called `name` (exact match).
  std::string_view field(std::string_view name) const;
  bool has_field(std::string_view name) const;
  EvidenceRef ref() const {
    return ref_by_line ? EvidenceRef{source, line, true} : EvidenceRef{source, record_id, false};
  }
  // The event as the readers give it, with `host` as its host (the pack's form).
  Event to_event(std::string_view host) const;

  // Sets the texts: channel name, provider, computer, then name and value of each field (so an odd
  // count, at least 3). One allocation; the views may point anywhere but into this event.
  void set_texts(std::span<const std::string_view> texts);
  // The heap bytes this event holds beside its own size (for memory bounds in tests).
  std::size_t heap_bytes() const { return text_.capacity() > 15 ? text_.capacity() + 1 : 0; }

 private:
  static constexpr std::size_t kFirstField = 3;
  std::string_view text(std::size_t k) const;
  std::size_t text_count() const;

  // [count: u32][end of each text: u32 x count][the texts' bytes]; empty for no texts at all.
  std::string text_;
};

// The header members an Event and a HostEvent share, by name: copied from one to the other.
template <typename To, typename From>
void copy_event_header(To& to, const From& from) {
  to.source = from.source;
  to.line = from.line;
  to.ref_by_line = from.ref_by_line;
  to.channel = from.channel;
  to.event_id = from.event_id;
  to.record_id = from.record_id;
  to.time = from.time;
}

}  // namespace flexrecon
