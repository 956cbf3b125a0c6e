// The evidence store's time text: fixed-width UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so stored times
// sort and compare as text (docs/evidence-store.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "flexrecon/time.h"

namespace flexrecon {

// True for kMinInstant / kMaxInstant and beyond: an open end, not a time.
bool is_open_end(Instant t);

// `t` as the store writes it; "" for an open end.
std::string iso_fixed(Instant t);

// The same text written into a buffer of its own, for the store's bulk insert: a pack writes two or
// three times a row over hundreds of thousands of rows, where a std::string and snprintf per time
// were a seventh of the store's cost. The text is byte for byte iso_fixed's.
class FixedTime {
 public:
  // The text of `t`, valid until the next call on this object; nullopt for an open end.
  std::optional<std::string_view> format(Instant t);
  std::optional<std::string_view> format(const std::optional<Instant>& t) {
    return t ? format(*t) : std::nullopt;
  }

 private:
  static constexpr std::size_t kSize = 27;  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  char text_[kSize] = {};
  std::string rare_;  // a year outside 0000-9999: iso_fixed's text as it is
};

}  // namespace flexrecon
