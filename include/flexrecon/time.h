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

// Timestamps are written with four-digit years (format_utc), so inputs are accepted only when they
// fall in the years 0000 to 9999 UTC.
constexpr Instant kFirstWritableInstant = -719528 * kDay;     // 0000-01-01T00:00:00Z
constexpr Instant kLastWritableInstant = 2932897 * kDay - 1;  // 9999-12-31T23:59:59.999999Z
inline bool is_writable_instant(Instant t) { return kFirstWritableInstant <= t && t <= kLastWritableInstant; }

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
// The proleptic Gregorian date of a day counted from 1970-01-01 (negative before it).
void civil_from_days(std::int64_t days, int& year, int& month, int& day);

// Parses the timestamp forms of SPEC 1.1/1.2: `YYYY-MM-DD HH:MM:SS` or with `T`, an optional
// fraction of 0-9 digits, an optional `Z` or `±HH:MM` offset, or a date alone (midnight). Without an
// offset the text is taken to be UTC. Hour 24, second 60, impossible dates and offsets that carry the
// instant outside the years 0000-9999 UTC are rejected.
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

// IANA zones come from the system's tz database (/usr/share/zoneinfo) with their whole history: the
// offset in force at each instant, whatever rules applied then. Before a zone's first recorded
// transition its local mean time applies; after the last one (2037 in Debian's files) the rule
// that closes the file (today's rule) goes on. Any Instant converts; nothing fails on extreme years. "UTC", "Z" and ""
// mean UTC. All throw flexrecon::Error (usage) for an unknown zone, naming it.

// Local wall-clock offset (in microseconds, local = utc + offset) of IANA zone `zone` at `t`.
Instant zone_offset(const std::string& zone, Instant t);
// True when `zone` names a zone of the tz database (or UTC).
bool is_known_zone(const std::string& zone);
// Converts a wall-clock time without offset in `zone` to UTC. A time the clocks pass twice (fall
// back) is the earlier instant; a time the clocks skip (spring forward) is read with the offset
// before the gap, so 02:30 in a 02:00->03:00 gap is 03:30 after it.
Instant local_to_utc(const std::string& zone, Instant local_wall);
// Start (UTC) of the calendar day in `zone` that contains `t`. A midnight the clocks skip starts
// the day at the end of the gap (the transition instant); a midnight they pass twice starts it at
// the first pass.
Instant day_start(const std::string& zone, Instant t);

}  // namespace flexrecon
