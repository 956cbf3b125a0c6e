// Reads the identity map: metering users (as the audit wrote them) to Windows accounts (SPEC 1.5).
#include "flexrecon/event.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "util/csv_reader.h"
#include "util/strings.h"

namespace flexrecon {

IdentityMap read_identity_map(const std::string& path, SourceTable& sources, Rejects& rejects) {
  std::ifstream in = open_table(path, "identity map");
  const SourceId id = sources.add(SourceFile{path, SourceKind::Identities, "identities-csv", "", 0, ""});
  CsvReader reader(in);
  IdentityMap map;
  CsvRecord record;
  // Columns by name when the file has the documented header; otherwise the first two columns, and
  // the first line is a mapping like the others.
  std::size_t user_col = 0;
  std::size_t account_col = 1;
  std::optional<ColumnMap> columns;
  bool have_record = reader.next(record);
  if (have_record) {
    ColumnMap header(record.fields);
    const auto u = header.claim({"metering_user", "user", "email"});
    const auto a = header.claim({"windows_account", "account"});
    if (u && a) {
      user_col = *u;
      account_col = *a;
      columns = std::move(header);
      have_record = reader.next(record);
    }
  }
  // Who each user was mapped to first, and where: a second, different mapping is refused.
  std::map<std::string, std::pair<std::string, std::uint64_t>> first;
  for (; have_record; have_record = reader.next(record)) {
    auto reject = [&](std::string reason) {
      rejects.push_back(row_reject(path, record, std::move(reason)));
    };
    std::string why;
    if (columns) {
      why = columns->check(record);
    } else if (record.unterminated) {
      why = "unterminated quoted field";
    } else if (record.overlong) {
      why = "record longer than 16 MiB";
    } else if (record.oversized) {
      why = "field " + std::to_string(*record.oversized + 1) + " longer than 1 MiB";
    } else {
      if (record.fields.size() == 3 && record.fields.back().empty()) record.fields.pop_back();
      if (record.fields.size() != 2) why = "expected 2 fields, found " + std::to_string(record.fields.size());
    }
    if (!why.empty()) {
      reject(why);
      continue;
    }
    const std::string_view user = trim(record.fields[user_col]);
    const std::string_view account = trim(record.fields[account_col]);
    if (user.empty()) {
      reject("empty metering_user");
      continue;
    }
    if (account.empty() || normalize_user(account).empty()) {
      reject("empty windows_account for " + quoted(user));
      continue;
    }
    const std::string key = to_lower(user);
    const std::string target = normalize_user(account);
    if (auto it = first.find(key); it != first.end()) {
      if (it->second.first != target) {
        reject("conflicting mapping for " + quoted(user) + ": already mapped to " + quoted(it->second.first) +
               " on line " + std::to_string(it->second.second));
      }
      continue;  // the same mapping twice is harmless
    }
    first.emplace(key, std::make_pair(target, record.line));
    map.add(std::string(user), std::string(account));
  }
  sources.at(id).sha256 = reader.sha256();
  sources.at(id).size = reader.bytes();
  return map;
}

}  // namespace flexrecon
