// read_metering: the audit's LRT export, in any of its three shapes (SPEC 1.1).
//
// A row is accepted as written or rejected with the column and value that stopped it; nothing is
// guessed. Times without an offset are UTC (Autodesk reports in UTC) unless --metering-tz says
// otherwise.
#include <cmath>

#include "flexrecon/event.h"
#include "flexrecon/metering.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "util/csv_reader.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

constexpr std::string_view kDesktopProduct = "DESKTOP_PRODUCT";
// Longer than any licence session; beyond it a duration is a unit mix-up, not a session.
constexpr double kMaxDurationMinutes = 366.0 * 24 * 60;

// Where each field lives in this file's header; absent columns are nullopt.
struct MeteringColumns {
  std::optional<std::size_t> id, user, host, code, name, version, start, end, duration, usage_date, tokens, category;

  explicit MeteringColumns(ColumnMap& c)
      : id(c.claim({"chargedItemID", "charged_item_id", "record_id", "session_id"})),
        user(c.claim({"userName", "user_name", "user", "email"})),
        host(c.claim({"machineName", "machine_name", "host", "device_name", "hostname"})),
        code(c.claim({"productLineCode", "product_line_code"})),
        name(c.claim({"productName", "product_name", "Product"})),
        version(c.claim({"productVersion", "product_version", "version"})),
        start(c.claim({"sessionStartDate", "session_start", "session_start_time", "start_time"})),
        end(c.claim({"sessionEndDate", "session_end", "session_end_time", "end_time"})),
        duration(c.claim({"sessionDurationMinutes", "duration_minutes", "session_duration_minutes"})),
        usage_date(c.claim({"usageDate", "usage_date", "Day used", "day_used"})),
        tokens(c.claim({"tokensConsumed", "tokens_consumed", "Tokens used", "tokens_used", "tokens"})),
        category(c.claim({"usageCategory", "usage_category"})) {}
};

std::string detect_format(const ColumnMap& columns, const MeteringColumns& m) {
  // Token Flex usage reports spell their headers in camelCase; the Account "Token Usage" page has no
  // host and no times; anything else is a hand-made or converted snake_case export.
  for (std::size_t i = 0; i < columns.width(); ++i) {
    const std::string& n = columns.name(i);
    if (n == "chargedItemID" || n == "tokensConsumed" || n == "sessionStartDate" || n == "usageDate") {
      return "token-flex-csv";
    }
  }
  if (m.usage_date && !m.host && !m.start && !m.end) return "account-token-usage-csv";
  return "snake-case-csv";
}

}  // namespace

MeteringFile read_metering(const std::string& path, const MeteringOptions& options, const ProductCatalog& catalog,
                           const IdentityMap& identities, SourceTable& sources, std::vector<MeteringRow>& rows,
                           Rejects& rejects) {
  const std::string& tz = options.metering_tz;
  const bool shift = !tz.empty() && !iequals(tz, "UTC");
  if (shift && !is_known_zone(tz)) throw Error::usage("unknown --metering-tz zone '" + tz + "'");

  std::ifstream in = open_table(path, "metering file");
  CsvReader reader(in);
  CsvRecord record;
  if (!reader.next(record)) throw Error::input("metering file '" + path + "' is empty (expected a header line)");
  ColumnMap columns(record.fields);
  const MeteringColumns col(columns);
  if (!col.tokens) {
    throw Error::input("metering file '" + path + "' line " + std::to_string(record.line) +
                       ": no tokens column (tokensConsumed, tokens_consumed, Tokens used, tokens_used or tokens)");
  }
  MeteringFile file;
  file.format = detect_format(columns, col);
  // Hash and size are filled in once the whole file has streamed past.
  file.source = sources.add(SourceFile{path, SourceKind::Metering, file.format, "", 0, ""});

  std::vector<std::size_t> unknown;
  for (std::size_t i = 0; i < columns.width(); ++i) {
    if (!columns.claimed(i)) unknown.push_back(i);
  }

  while (reader.next(record)) {
    ++file.rows;
    auto reject = [&](std::string reason) {
      rejects.push_back(row_reject(path, record, std::move(reason)));
      ++file.rejected;
    };
    if (std::string why = columns.check(record); !why.empty()) {
      reject(why);
      continue;
    }
    auto value = [&](const std::optional<std::size_t>& c) -> std::string_view {
      return c ? trim(record.fields[*c]) : std::string_view();
    };
    // A time column that has text must parse; an empty one means "not given".
    std::string bad;
    auto when = [&](const std::optional<std::size_t>& c) -> std::optional<Instant> {
      const std::string_view text = value(c);
      if (text.empty()) return std::nullopt;
      auto parsed = parse_timestamp_ex(text);
      if (!parsed) {
        if (bad.empty()) bad = "unparsable " + columns.name(*c) + " " + quoted(text);
        return std::nullopt;
      }
      if (shift && !parsed->had_offset) {
        // Late on 9999-12-31 west of UTC is in year 10000: reject rather than write a 5-digit year.
        const Instant utc = local_to_utc(tz, parsed->utc);
        if (!is_writable_instant(utc)) {
          if (bad.empty())
            bad = columns.name(*c) + " " + quoted(text) + " in " + tz + " is outside the years 0000-9999 in UTC";
          return std::nullopt;
        }
        return utc;
      }
      return parsed->utc;
    };

    MeteringRow row;
    row.source = file.source;
    row.line = record.line;
    row.start = when(col.start);
    row.end = when(col.end);
    if (std::string_view day = value(col.usage_date); !day.empty()) {
      // The usage day is a UTC calendar day whatever --metering-tz says; a time on it is dropped.
      if (auto parsed = parse_timestamp_ex(day)) {
        row.usage_date = day_start("UTC", parsed->utc);
      } else if (bad.empty()) {
        bad = "unparsable " + columns.name(*col.usage_date) + " " + quoted(day);
      }
    }
    if (!bad.empty()) {
      reject(bad);
      continue;
    }

    row.category = std::string(value(col.category));
    const bool desktop = !col.category || iequals(row.category, kDesktopProduct);
    const std::string_view tokens = value(col.tokens);
    if (tokens.empty()) {
      reject("empty " + columns.name(*col.tokens));
      continue;
    }
    if (!parse_decimal(tokens, row.tokens) || !std::isfinite(row.tokens)) {
      reject(columns.name(*col.tokens) + " " + quoted(tokens) + " is not a decimal number");
      continue;
    }
    // Negative amounts are credits and adjustments; on a product row they are a corrupt charge.
    if (row.tokens < 0 && desktop) {
      reject("negative " + columns.name(*col.tokens) + " " + quoted(tokens) + " on a DESKTOP_PRODUCT row");
      continue;
    }

    if (!row.end && col.duration && !value(col.duration).empty()) {
      const std::string_view text = value(col.duration);
      double minutes = 0;
      if (!parse_decimal(text, minutes) || !std::isfinite(minutes)) {
        reject(columns.name(*col.duration) + " " + quoted(text) + " is not a decimal number");
        continue;
      }
      if (minutes < 0) {
        reject("negative " + columns.name(*col.duration) + " " + quoted(text));
        continue;
      }
      if (minutes > kMaxDurationMinutes) {
        reject(columns.name(*col.duration) + " " + quoted(text) + " is longer than a year");
        continue;
      }
      if (row.start) row.end = *row.start + std::llround(minutes * static_cast<double>(kMinute));
    }
    if (row.start && row.end && *row.end < *row.start) {
      if (col.end && !value(col.end).empty()) {
        reject(columns.name(*col.end) + " " + quoted(value(col.end)) + " is before " + columns.name(*col.start) + " " +
               quoted(value(col.start)));
      } else {
        reject("end before start");
      }
      continue;
    }

    row.record_id = std::string(value(col.id));
    if (row.record_id.empty()) row.record_id = path + ":" + std::to_string(record.line);
    row.user_raw = std::string(value(col.user));
    row.user = identities.resolve(row.user_raw);
    row.host_raw = std::string(value(col.host));
    row.host = normalize_host(row.host_raw);
    row.product_name = std::string(value(col.name));
    row.version = std::string(value(col.version));
    std::string year;
    const Product* by_name = row.product_name.empty() ? nullptr : catalog.match_name(row.product_name, &year);
    if (std::string_view code = value(col.code); !code.empty()) {
      const Product* p = catalog.by_code(code);
      row.product_code = p != nullptr ? p->code : std::string(code);
    } else if (by_name != nullptr) {
      row.product_code = by_name->code;
    }
    if (row.version.empty()) row.version = year;
    row.is_charge = row.tokens > 0 && desktop;
    row.day_granular = row.host.empty() && !row.start && !row.end;
    for (std::size_t i : unknown) row.extra.emplace_back(columns.name(i), record.fields[i]);

    rows.push_back(std::move(row));
    ++file.accepted;
  }
  sources.at(file.source).sha256 = reader.sha256();
  sources.at(file.source).size = reader.bytes();
  return file;
}

}  // namespace flexrecon
