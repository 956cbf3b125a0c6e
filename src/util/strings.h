// Small string helpers shared by every stage. ASCII only: names we compare are ASCII in practice,
// and non-ASCII bytes pass through untouched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flexrecon {

// ASCII lower-casing without the locale lookup std::tolower makes per character (the run never
// leaves the "C" locale, where std::tolower maps A-Z alone): bytes of other scripts pass unchanged.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
std::string to_lower(std::string_view s);
// Spaces, tabs, CR, LF. Inline: the readers trim every field value of every event.
inline std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}
bool iequals(std::string_view a, std::string_view b);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);
// Glob with `*` and `?`, case-insensitive (service-account patterns).
bool glob_match_ci(std::string_view pattern, std::string_view text);
// Strict decimal: optional sign, digits, optional `.digits`; no exponent, no `,`. nullopt-like: false.
bool parse_decimal(std::string_view s, double& out);
// Shortest fixed form for token amounts: 7 -> "7.0", 10.5 -> "10.5", 0.333333 -> "0.333333" (6 dp max).
std::string format_tokens(double v);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Every file of the pack is UTF-8, whatever the inputs were. These keep it so.
bool is_valid_utf8(std::string_view s);
// Windows-1252 text (what Excel writes when it saves "CSV" on a Western Windows) as UTF-8.
std::string windows1252_to_utf8(std::string_view s);
// Invalid UTF-8 sequences replaced by U+FFFD, valid text untouched.
std::string repair_utf8(std::string_view s);
// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8 character:
// every place that shortens text for a reason, a label or a message cuts here, so a multibyte
// character is dropped whole rather than split into bytes that are not UTF-8.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace flexrecon
