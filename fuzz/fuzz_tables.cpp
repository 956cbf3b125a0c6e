// libFuzzer harness: the other table readers, one per input chosen by its first byte (so one corpus
// and one campaign cover them all, and a reproducer says which reader it is for):
//   'i' inventory CSV, 'r' rate sheet, 'd' identity map, 's' settings.ini, 'p' product catalog;
// any other first byte is taken modulo 5 in that order. The rest of the input is the file.
// Rules files and inventory may refuse a whole file with Error::input (their contract: a half-read
// rules file would change every finding); identity rows are rejected alone. Anything else escaping
// is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flexrecon/reference_data.h"
#include "fuzz_support.h"
#include "tables/rules_files.h"

namespace {

enum class Table { Inventory, Rates, Identities, Settings, Products };

Table pick(std::uint8_t first) {
  switch (first) {
    case 'i': return Table::Inventory;
    case 'r': return Table::Rates;
    case 'd': return Table::Identities;
    case 's': return Table::Settings;
    case 'p': return Table::Products;
    default: return static_cast<Table>(first % 5);
  }
}

const flexrecon::ProductCatalog& shipped_catalog() {
  static const flexrecon::ProductCatalog catalog = [] {
    const std::string path = std::string(FLEXRECON_SOURCE_DIR) + "/rules/products.csv";
    return flexrecon::parse_products(flexrecon::read_rules_file(path, "product catalog"), path);
  }();
  return catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flexrecon;
  if (size == 0) return 0;
  const Table table = pick(data[0]);
  ++data;
  --size;
  static fuzz::ScratchFile scratch("tables", ".csv");
  fuzz::allow_input_refusal([&] {
    SourceTable sources;
    Rejects rejects;
    const std::string text(reinterpret_cast<const char*>(data), size);
    switch (table) {
      case Table::Inventory: {
        std::vector<InventoryRow> rows;
        read_inventory(scratch.write(data, size), shipped_catalog(), sources, rows, rejects);
        break;
      }
      case Table::Rates: (void)parse_rates(text, "fuzz-rates.csv"); break;
      case Table::Identities: (void)read_identity_map(scratch.write(data, size), sources, rejects); break;
      case Table::Settings: (void)parse_settings(text, "fuzz-settings.ini"); break;
      case Table::Products: (void)parse_products(text, "fuzz-products.csv"); break;
    }
  });
  return 0;
}
