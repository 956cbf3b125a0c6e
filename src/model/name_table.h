// One table per enum of the model, read both ways: the name written into the pack (or accepted on
// the command line and in settings.ini) for each value, and the value for a name. Keeping both
// directions in one table means a new value cannot be printable but unparsable, or the reverse.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "util/strings.h"

namespace flexrecon {

template <typename Enum, std::size_t N>
class NameTable {
 public:
  constexpr explicit NameTable(std::array<std::pair<Enum, std::string_view>, N> entries) : entries_(entries) {}

  // The name of `value`; `fallback` for a value missing from the table (a cast integer).
  constexpr std::string_view name(Enum value, std::string_view fallback) const {
    for (const auto& [v, n] : entries_)
      if (v == value) return n;
    return fallback;
  }
  // The value called `text`, compared case-insensitively after trimming (names come from people).
  std::optional<Enum> parse(std::string_view text) const {
    text = trim(text);
    for (const auto& [v, n] : entries_)
      if (iequals(text, n)) return v;
    return std::nullopt;
  }

 private:
  std::array<std::pair<Enum, std::string_view>, N> entries_;
};

}  // namespace flexrecon
