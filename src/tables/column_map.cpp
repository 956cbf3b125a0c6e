#include "tables/column_map.h"

#include "util/strings.h"

namespace flexrecon {

namespace {

std::string_view unquote(std::string_view s) {
  s = trim(s);
  while (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') || (s.front() == '\'' && s.back() == '\''))) {
    s = trim(s.substr(1, s.size() - 2));
  }
  return s;
}

}  // namespace

std::string column_key(std::string_view header_name) {
  std::string key;
  for (char c : to_lower(unquote(header_name))) {
    if (c != ' ' && c != '_' && c != '-' && c != '\t') key.push_back(c);
  }
  return key;
}

std::string quoted(std::string_view value) {
  constexpr std::size_t kShown = 80;
  if (value.size() <= kShown) return "'" + std::string(value) + "'";
  return "'" + truncate_utf8(value, kShown) + "...'";
}

ColumnMap::ColumnMap(const std::vector<std::string>& header) {
  std::size_t n = header.size();
  if (n > 1 && trim(header.back()).empty()) --n;
  for (std::size_t i = 0; i < n; ++i) {
    names_.emplace_back(unquote(header[i]));
    keys_.push_back(column_key(header[i]));
  }
  claimed_.assign(n, false);
}

std::optional<std::size_t> ColumnMap::claim(std::initializer_list<std::string_view> aliases) {
  for (std::string_view alias : aliases) {
    const std::string key = column_key(alias);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (!claimed_[i] && keys_[i] == key) {
        claimed_[i] = true;
        return i;
      }
    }
  }
  return std::nullopt;
}

std::string ColumnMap::check(CsvRecord& record) const {
  if (record.unterminated) return "unterminated quoted field";
  if (record.overlong) return "record longer than " + std::to_string(CsvReader::kMaxRecordBytes >> 20) + " MiB";
  if (record.oversized) {
    const std::size_t i = *record.oversized;
    std::string where = "field " + std::to_string(i + 1);
    if (i < names_.size() && !names_[i].empty()) where += " (" + names_[i] + ")";
    return where + " longer than 1 MiB";
  }
  if (record.fields.size() == names_.size() + 1 && record.fields.back().empty()) record.fields.pop_back();
  if (record.fields.size() != names_.size()) {
    return "expected " + std::to_string(names_.size()) + " fields, found " + std::to_string(record.fields.size());
  }
  return "";
}

Reject row_reject(const std::string& path, const CsvRecord& record, std::string reason) {
  return Reject{path, "line " + std::to_string(record.line), std::move(reason)};
}

}  // namespace flexrecon
