#include "tables/frozen_metering_rows.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"

using namespace flexrecon;

namespace {

void require_same(const MeteringRow& a, const MeteringRow& b) {
  CHECK(a.source == b.source);
  CHECK(a.line == b.line);
  CHECK(a.record_id == b.record_id);
  CHECK(a.user_raw == b.user_raw);
  CHECK(a.user == b.user);
  CHECK(a.host_raw == b.host_raw);
  CHECK(a.host == b.host);
  CHECK(a.product_code == b.product_code);
  CHECK(a.product_name == b.product_name);
  CHECK(a.version == b.version);
  CHECK(a.start == b.start);
  CHECK(a.end == b.end);
  CHECK(a.usage_date == b.usage_date);
  CHECK(std::memcmp(&a.tokens, &b.tokens, sizeof a.tokens) == 0);  // every bit
  CHECK(a.category == b.category);
  CHECK(a.is_charge == b.is_charge);
  CHECK(a.day_granular == b.day_granular);
  CHECK(a.extra == b.extra);
}

// The sample case's metering rows, as a run reads them.
std::vector<MeteringRow> sample_rows() {
  SourceTable sources;
  const RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  std::vector<MeteringRow> rows;
  Rejects rejects;
  read_metering(std::string(FLEXRECON_SOURCE_DIR) + "/samples/metering.csv", {}, rules.catalog, {}, sources, rows,
                rejects);
  return rows;
}

}  // namespace

// The rows a run reads first wait serialised through the event reading and the rebuilding, then are
// given back to the rules: any difference would change a finding.
TEST_CASE("metering rows come back from being frozen exactly as they were read, in order") {
  std::vector<MeteringRow> rows = sample_rows();
  REQUIRE(rows.size() > 10);
  // And the corners no sample has: every optional empty, every text empty or not ASCII, extreme
  // times, tokens that are not round in binary, a negative zero, many unknown columns.
  MeteringRow odd;
  odd.source = 4'000'000'000u;
  odd.line = std::numeric_limits<std::uint64_t>::max();
  odd.user_raw = "CORP\\Zoë Ünal";
  odd.host_raw = std::string("WS-\0-01", 7);
  odd.tokens = -0.0;
  odd.extra = {{"", ""}, {"costCenter", "4711"}, {"note", std::string(300, 'x')}};
  rows.push_back(odd);
  MeteringRow edges = rows.front();
  edges.start = std::numeric_limits<Instant>::min();
  edges.end = std::numeric_limits<Instant>::max();
  edges.usage_date = -1;
  edges.tokens = 0.1 + 0.2;
  edges.is_charge = !edges.is_charge;
  edges.day_granular = true;
  rows.push_back(edges);
  const std::vector<MeteringRow> read = rows;

  const FrozenMeteringRows frozen(std::move(rows));
  CHECK(rows.empty());
  CHECK(rows.capacity() == 0);  // what they held is freed, not kept beside the frozen bytes
  CHECK(frozen.size() == read.size());
  const std::vector<MeteringRow> thawed = frozen.thaw();
  REQUIRE(thawed.size() == read.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    INFO("row " << i);
    require_same(thawed[i], read[i]);
  }
  CHECK(thawed.capacity() == thawed.size());
  CHECK(frozen.thaw().size() == read.size());  // may be thawed again
}

TEST_CASE("frozen metering rows hold a fraction of what the rows do") {
  const std::vector<MeteringRow> rows = sample_rows();
  std::vector<MeteringRow> many;
  for (int copy = 0; copy < 200; ++copy) many.insert(many.end(), rows.begin(), rows.end());
  const std::size_t as_rows = many.size() * sizeof(MeteringRow);  // not even counting their heap strings
  const FrozenMeteringRows frozen(std::move(many));
  INFO(frozen.memory_bytes() << " bytes frozen for " << as_rows << " bytes of rows");
  CHECK(frozen.memory_bytes() * 3 < as_rows);
}
