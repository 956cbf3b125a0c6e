#include "pack/dossier_links.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace flexrecon {

namespace {

// The five entities an attribute value of ours can hold, and numeric ones: a hand-edited template
// may write `&#47;` for `/`.
std::string decode_entities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    unsigned long code = 0;
    bool known = true;
    if (name == "amp") code = '&';
    else if (name == "lt") code = '<';
    else if (name == "gt") code = '>';
    else if (name == "quot") code = '"';
    else if (name == "apos") code = '\'';
    else if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      code = digits.empty() ? 0 : std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      known = !digits.empty() && end && *end == '\0' && code > 0 && code < 0x80;
    } else {
      known = false;
    }
    if (!known) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(code);
    i = semi;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_percent(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool has_scheme(std::string_view link) {
  // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any `/`, `?` or `#`.
  if (link.empty() || !std::isalpha(static_cast<unsigned char>(link[0]))) return false;
  for (char c : link) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// `folder` + `link`, with `.` and `..` resolved; empty when `..` climbs above the pack.
std::string resolve(std::string_view folder, std::string_view link) {
  std::vector<std::string> parts;
  auto push = [&](std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t slash = std::min(path.find('/', start), path.size());
      const std::string_view part = path.substr(start, slash - start);
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.emplace_back(part);
      }
      start = slash + 1;
    }
    return true;
  };
  if (!push(folder) || !push(link) || parts.empty()) return "";
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

std::vector<std::string> linked_pack_files(std::string_view html, std::string_view page_path) {
  const std::size_t slash = page_path.rfind('/');
  const std::string_view folder = slash == std::string_view::npos ? std::string_view() : page_path.substr(0, slash);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < html.size(); ++i) {
    // ` href=` or ` src=` (any case), then a quoted value.
    std::size_t name_len = 0;
    auto attribute_at = [&](std::string_view name) {
      if (i + name.size() + 1 >= html.size()) return false;
      for (std::size_t k = 0; k < name.size(); ++k)
        if (std::tolower(static_cast<unsigned char>(html[i + k])) != name[k]) return false;
      const unsigned char before = i ? static_cast<unsigned char>(html[i - 1]) : ' ';
      return std::isspace(before) && html[i + name.size()] == '=';
    };
    if (attribute_at("href")) name_len = 4;
    else if (attribute_at("src")) name_len = 3;
    else continue;
    std::size_t v = i + name_len + 1;
    const char quote = html[v];
    if (quote != '"' && quote != '\'') continue;
    const std::size_t end = html.find(quote, v + 1);
    if (end == std::string_view::npos) break;
    std::string link = decode_entities(html.substr(v + 1, end - v - 1));
    i = end;
    link.erase(std::min(link.find('#'), link.size()));
    link.erase(std::min(link.find('?'), link.size()));
    if (link.empty() || has_scheme(link)) continue;
    link = decode_percent(link);
    std::replace(link.begin(), link.end(), '\\', '/');  // browsers read `\` in a path as `/`
    std::string target = link[0] == '/' ? std::string() : resolve(folder, link);
    if (target.empty()) target = "outside:" + link;
    if (seen.insert(target).second) out.push_back(target);
  }
  return out;
}

}  // namespace flexrecon
