// libFuzzer harness: the metering CSV reader (SPEC 1.1: Token Flex, snake_case and Account
// "Token Usage" exports) on arbitrary bytes, with the shipped product catalog. Each input is read
// twice, once in UTC and once with a --metering-tz zone, and every accepted start goes through the
// billing-day conversion (--billing-tz), because time-zone arithmetic on odd years is where
// metering files broke before (shared/data/fuzz-repro/metering_badyear_*.csv). A whole-file refusal
// (Error::input: no header) is allowed; any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flexrecon/metering.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/time.h"
#include "fuzz_support.h"
#include "tables/rules_files.h"

namespace {

const flexrecon::ProductCatalog& shipped_catalog() {
  static const flexrecon::ProductCatalog catalog = [] {
    const std::string path = std::string(FLEXRECON_SOURCE_DIR) + "/rules/products.csv";
    return flexrecon::parse_products(flexrecon::read_rules_file(path, "product catalog"), path);
  }();
  return catalog;
}

// A zone with daylight saving, so both shifts and gaps are exercised.
constexpr const char* kZone = "Europe/Berlin";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  static fuzz::ScratchFile scratch("metering", ".csv");
  const std::string& path = scratch.write(data, size);
  const IdentityMap identities;
  for (const char* metering_tz : {"", kZone}) {
    fuzz::allow_input_refusal([&] {
      MeteringOptions options;
      options.metering_tz = metering_tz;
      SourceTable sources;
      std::vector<MeteringRow> rows;
      Rejects rejects;
      read_metering(path, options, shipped_catalog(), identities, sources, rows, rejects);
      for (const MeteringRow& row : rows) {
        if (row.start) (void)day_start(kZone, *row.start);
      }
    });
  }
  return 0;
}
