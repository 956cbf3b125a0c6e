// Instants written the way a reader of the test checks them: `at("2026-11-02T09:00:00Z")`.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "flexrecon/time.h"

namespace flexrecon::test {

// The instant `text` names (any form parse_timestamp accepts); a typo fails the test, never runs it
// at some other time.
inline Instant at(const std::string& text) {
  std::string why;
  const auto t = parse_timestamp(text, &why);
  if (!t) FAIL("bad test timestamp " << text << ": " << why);
  return *t;
}

}  // namespace flexrecon::test
