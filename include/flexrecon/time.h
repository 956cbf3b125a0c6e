// Instants and calendar arithmetic. Every time inside flexrecon is UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flexrecon {

// Microseconds since 1970-01-01T00:00:00Z. Plain integer so spans sort and subtract cheaply.
using Instant = std::int64_t;

constexpr Instant kMicrosecond = 1;
constexpr Instant kSecond = 1'000'000;
constexpr Instant kMinute = 60 * kSecond;
constexpr Instant kHour = 60 * kMinute;
constexpr Instant kDay = 24 * kHour;
// Sentinels for open-ended spans.
constexpr Instant kMinInstant = INT64_MIN / 4;
constexpr Instant kMaxInstant = INT64_MAX / 4;

// A half-open interval [begin, end) of time.
struct Span {
  Instant begin = 0;
  Instant end = 0;
  bool contains(Instant t) const { return begin <= t && t < end; }
  bool overlaps(Span other) const { return begin < other.end && other.begin < end; }
  bool operator==(const Span&) const = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date; nullopt for impossible dates (2025-02-30).
std::optional<std::int64_t> days_from_civil(int year, int month, int day);

// Parses the timestamp forms of SPEC 1.1/1.2: `YYYY-MM-DD HH:MM:SS` or with `T`, an optional
// fraction of 0-9 digits, an optional `Z` or `±HH:MM` offset, or a date alone (midnight). Without an
// offset the text is taken to be UTC. Hour 24, second 60 and impossible dates are rejected.
// On failure returns nullopt and, if `why` is given, a short reason ("hour 25 out of range").
std::optional<Instant> parse_timestamp(std::string_view text, std::string* why = nullptr);

// Like parse_timestamp, but also tells whether the text carried an explicit offset or `Z`.
struct ParsedTimestamp {
  Instant utc = 0;          // already shifted by the offset if there was one
  bool had_offset = false;  // `Z` or `±HH:MM` was present
  bool date_only = false;   // the text was a date with no time
};
std::optional<ParsedTimestamp> parse_timestamp_ex(std::string_view text, std::string* why = nullptr);

// `YYYYMMDD` (SCCM) dates, midnight UTC.
std::optional<Instant> parse_compact_date(std::string_view text);

// `YYYY-MM-DDTHH:MM:SSZ` (fraction dropped) — the form of findings.csv.
std::string format_utc(Instant t);
// `YYYY-MM-DDTHH:MM:SS.ffffffZ` when there is a fraction, else as format_utc.
std::string format_utc_precise(Instant t);
// `YYYY-MM-DD` of the UTC day.
std::string format_date(Instant t);

// Local wall-clock offset (in microseconds, local = utc + offset) of IANA zone `zone` at `t`,
// daylight-saving rules included. Throws flexrecon::Error (usage) for unknown zones.
Instant zone_offset(const std::string& zone, Instant t);
// True when `zone` names a zone flexrecon knows.
bool is_known_zone(const std::string& zone);
// Converts a wall-clock time without offset in `zone` to UTC (the earlier instant when ambiguous,
// the instant after the gap when it falls into a spring-forward gap).
Instant local_to_utc(const std::string& zone, Instant local_wall);
// Start (UTC) of the calendar day in `zone` that contains `t`; "UTC" or "" means UTC.
Instant day_start(const std::string& zone, Instant t);

}  // namespace flexrecon
