#include "flexrecon/host_event.h"

#include <cstring>
#include <limits>
#include <vector>

#include "flexrecon/error.h"

namespace flexrecon {

namespace {

std::uint32_t read_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

HostEvent::HostEvent(const Event& e) {
  copy_event_header(*this, e);
  std::vector<std::string_view> texts{e.channel_name, e.provider, e.computer};
  texts.reserve(kFirstField + 2 * e.fields.size());
  for (const EventField& f : e.fields) {
    texts.emplace_back(f.name);
    texts.emplace_back(f.value);
  }
  set_texts(texts);
}

void HostEvent::set_texts(std::span<const std::string_view> texts) {
  if (texts.size() < kFirstField || (texts.size() - kFirstField) % 2 != 0)
    throw Error::internal("a host event's texts are its channel, provider, computer and name-value pairs");
  std::size_t bytes = 0;
  for (const std::string_view t : texts) bytes += t.size();
  const std::size_t head = sizeof(std::uint32_t) * (1 + texts.size());
  // Offsets are 32-bit: an event is at most 4 MiB (SPEC 6), far below.
  if (head + bytes > std::numeric_limits<std::uint32_t>::max()) throw Error::internal("a host event larger than 4 GiB");
  std::string out;
  out.resize(head + bytes);
  char* const base = out.data();
  const auto put_u32 = [](char* at, std::size_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    std::memcpy(at, &u, sizeof u);
  };
  put_u32(base, texts.size());
  std::size_t end = 0;
  for (std::size_t k = 0; k < texts.size(); ++k) {
    if (!texts[k].empty()) std::memcpy(base + head + end, texts[k].data(), texts[k].size());
    end += texts[k].size();
    put_u32(base + sizeof(std::uint32_t) * (1 + k), end);
  }
  text_ = std::move(out);
}

std::size_t HostEvent::text_count() const { return text_.empty() ? 0 : read_u32(text_.data()); }

std::string_view HostEvent::text(std::size_t k) const {
  const std::size_t count = text_count();
  if (k >= count) return {};
  const char* const ends = text_.data() + sizeof(std::uint32_t);
  const std::size_t begin = k == 0 ? 0 : read_u32(ends + sizeof(std::uint32_t) * (k - 1));
  const std::size_t end = read_u32(ends + sizeof(std::uint32_t) * k);
  return std::string_view(text_.data() + sizeof(std::uint32_t) * (1 + count) + begin, end - begin);
}

std::size_t HostEvent::field_count() const {
  const std::size_t count = text_count();
  return count < kFirstField ? 0 : (count - kFirstField) / 2;
}

std::string_view HostEvent::field(std::string_view name) const {
  for (std::size_t i = 0, n = field_count(); i < n; ++i)
    if (field_name(i) == name) return field_value(i);
  return {};
}

bool HostEvent::has_field(std::string_view name) const {
  for (std::size_t i = 0, n = field_count(); i < n; ++i)
    if (field_name(i) == name) return true;
  return false;
}

Event HostEvent::to_event(std::string_view host) const {
  Event e;
  copy_event_header(e, *this);
  e.channel_name.assign(channel_name());
  e.provider.assign(provider());
  e.computer.assign(computer());
  e.host.assign(host);
  const std::size_t n = field_count();
  e.fields.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    e.fields[i].name.assign(field_name(i));
    e.fields[i].value.assign(field_value(i));
  }
  return e;
}

}  // namespace flexrecon
