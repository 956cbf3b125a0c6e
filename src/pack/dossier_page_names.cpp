#include "pack/dossier_page_names.h"

#include "util/sha256.h"

namespace flexrecon {

namespace {

constexpr std::size_t kMaxComponent = 64;
constexpr std::size_t kKeptWhenLong = 40;

bool kept_as_is(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::string page_name_component(std::string_view text) {
  if (text.empty()) return "_";  // a lone `_` is no escape, so no other text gives it
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (kept_as_is(c)) {
      out += static_cast<char>(c);
    } else {
      out += '_';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  if (out.size() <= kMaxComponent) return out;
  // Shortened: cut before an escape rather than inside one, then the hash of the whole text keeps
  // the name unique. Its length (at most 40 + 1 + 64) tells it from every unshortened name.
  std::size_t keep = kKeptWhenLong;
  while (keep > 0 && (out[keep - 1] == '_' || (keep > 1 && out[keep - 2] == '_'))) --keep;
  return out.substr(0, keep) + "_" + sha256_hex(text);
}

std::string exhibit_page_path(std::string_view rule, std::string_view host, std::size_t part) {
  std::string path = std::string(kExhibitFolder) + "/" + page_name_component(rule) + "." + page_name_component(host);
  if (part > 1) path += "." + std::to_string(part);
  return path + ".html";
}

std::string appendix_page_path(std::string_view list, std::size_t part) {
  return std::string(kAppendixFolder) + "/" + page_name_component(list) + "-" + std::to_string(part) + ".html";
}

}  // namespace flexrecon
