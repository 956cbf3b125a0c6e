#include "tables/frozen_metering_rows.h"

#include <bit>
#include <cstdint>

#include "util/varint.h"

namespace flexrecon {

namespace {

// Every member of MeteringRow is written below: a member added to it must be frozen too, or rows
// would come back without it. The size stands guard (update it with the two functions below).
static_assert(sizeof(MeteringRow) == 392, "MeteringRow changed: freeze and thaw its new members");

void put_instant(std::string& out, const std::optional<Instant>& t) {
  out.push_back(t ? '\1' : '\0');
  if (t) put_signed(out, *t);
}

std::optional<Instant> read_instant(VarintReader& in) {
  if (in.byte() == '\0') return std::nullopt;
  return in.signed_varint();
}

constexpr char kWhat[] = "the metering rows held while the event logs are read";

}  // namespace

FrozenMeteringRows::FrozenMeteringRows(std::vector<MeteringRow>&& rows) : count_(rows.size()) {
  for (const MeteringRow& r : rows) {
    put_varint(bytes_, r.source);
    put_varint(bytes_, r.line);
    for (const std::string* s : {&r.record_id, &r.user_raw, &r.user, &r.host_raw, &r.host, &r.product_code,
                                 &r.product_name, &r.version, &r.category})
      put_text(bytes_, *s);
    put_instant(bytes_, r.start);
    put_instant(bytes_, r.end);
    put_instant(bytes_, r.usage_date);
    put_varint(bytes_, std::bit_cast<std::uint64_t>(r.tokens));  // every bit, as read
    bytes_.push_back(static_cast<char>((r.is_charge ? 1 : 0) | (r.day_granular ? 2 : 0)));
    put_varint(bytes_, r.extra.size());
    for (const auto& [name, value] : r.extra) {
      put_text(bytes_, name);
      put_text(bytes_, value);
    }
  }
  bytes_.shrink_to_fit();
  std::vector<MeteringRow>().swap(rows);
}

std::vector<MeteringRow> FrozenMeteringRows::thaw() const {
  std::vector<MeteringRow> rows(count_);
  VarintReader in(bytes_, kWhat, ErrorKind::Internal);
  for (MeteringRow& r : rows) {
    r.source = static_cast<SourceId>(in.varint());
    r.line = in.varint();
    for (std::string* s : {&r.record_id, &r.user_raw, &r.user, &r.host_raw, &r.host, &r.product_code,
                           &r.product_name, &r.version, &r.category})
      *s = in.text();
    r.start = read_instant(in);
    r.end = read_instant(in);
    r.usage_date = read_instant(in);
    r.tokens = std::bit_cast<double>(in.varint());
    const char flags = in.byte();
    r.is_charge = flags & 1;
    r.day_granular = flags & 2;
    r.extra.resize(in.varint());
    for (auto& [name, value] : r.extra) {
      name = in.text();
      value = in.text();
    }
  }
  if (!in.done()) throw Error::internal(std::string(kWhat) + " are damaged (longer than their rows)");
  return rows;
}

}  // namespace flexrecon
