// Where each page of the dossier lives in the pack. Exhibit pages are named after the rule and the
// host of their charges, and a host name is whatever the metering export says: the name must be
// safe on any file system and in any URL, never leave the pack, never collide, and be the same
// on every run.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flexrecon {

inline constexpr const char* kDossierIndexName = "dossier.html";
inline constexpr const char* kExhibitFolder = "exhibits";
inline constexpr const char* kAppendixFolder = "appendix";

// One name component from arbitrary bytes: `a-z`, `0-9` and `-` are kept, every other byte
// (upper case, `.`, `/`, `_`, spaces, non-ASCII...) becomes `_` and two lower-case hex digits, so two
// different texts never give the same component, and none holds a dot. A component that would be
// longer than 64 characters keeps its first 40 and adds `_` and the text's full SHA-256 (64 hex
// digits). The empty text is `_`.
std::string page_name_component(std::string_view text);

// `exhibits/<rule>.<host>.html`, or `exhibits/<rule>.<host>.<part>.html` for part 2 and after of a
// host whose exhibits under one rule do not fit on one page.
std::string exhibit_page_path(std::string_view rule, std::string_view host, std::size_t part);

// `appendix/<list>-<part>.html`: a long list of the index (sources, evidence requests...) moved to
// pages of its own; `list` is one of the tool's own names.
std::string appendix_page_path(std::string_view list, std::size_t part);

}  // namespace flexrecon
