// read_inventory: which Autodesk products each host had installed, and when (SPEC 1.3). Rows the
// catalog maps carry a product code; Autodesk rows it cannot map are kept without one.
#include <cctype>

#include "flexrecon/event.h"
#include "flexrecon/reference_data.h"
#include "tables/column_map.h"
#include "util/csv_reader.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// `YYYYMMDD` (SCCM InstallDate0), `YYYY-MM-DD`, or an ISO timestamp. Empty: unknown.
bool parse_inventory_date(std::string_view text, std::optional<Instant>& out) {
  text = trim(text);
  out.reset();
  if (text.empty()) return true;
  if (text.size() == 8 && all_digits(text)) {
    out = parse_compact_date(text);
    return out.has_value();
  }
  out = parse_timestamp(text);
  return out.has_value();
}

}  // namespace

InventoryFile read_inventory(const std::string& path, const ProductCatalog& catalog, SourceTable& sources,
                             std::vector<InventoryRow>& rows, Rejects& rejects) {
  std::ifstream in = open_table(path, "inventory");
  InventoryFile file;
  CsvReader reader(in);
  CsvRecord record;
  if (!reader.next(record)) throw Error::input("inventory '" + path + "' is empty (expected a header line)");

  ColumnMap columns(record.fields);
  const auto host_col = columns.claim({"host", "computer", "Netbios_Name0", "ComputerName", "Device name", "hostname"});
  const auto name_col = columns.claim({"product", "ARPDisplayName0", "DisplayName0", "Application", "Name", "display_name"});
  const auto version_col = columns.claim({"version", "Version0", "ProductVersion0"});
  const auto installed_col = columns.claim({"installed", "InstallDate0", "install_date"});
  const auto removed_col = columns.claim({"removed", "uninstall_date"});
  if (!host_col || !name_col) {
    throw Error::input("inventory '" + path + "' line " + std::to_string(record.line) + ": no " +
                       (host_col ? "product" : "host") + " column (see SPEC 1.3 for the accepted names)");
  }
  // Hash and size are filled in once the whole file has streamed past.
  file.source = sources.add(SourceFile{path, SourceKind::Inventory, "inventory-csv", "", 0, ""});

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
    InventoryRow row;
    row.source = file.source;
    row.line = record.line;
    row.display_name = std::string(trim(record.fields[*name_col]));
    std::string year;
    const Product* product = catalog.match_name(row.display_name, &year);
    // Inventories list every installed program; only Autodesk products matter. Others are counted,
    // not rejected. An Autodesk product the catalog cannot map is kept with no code: it proves
    // nothing is installed, but it stops a "not deployed" claim for the product it names (SPEC 3.3).
    if (product == nullptr && !catalog.names_autodesk_product(row.display_name)) {
      ++file.skipped_not_autodesk;
      continue;
    }
    if (product != nullptr) row.product_code = product->code;
    row.host = normalize_host(trim(record.fields[*host_col]));
    if (row.host.empty()) {
      reject("empty " + columns.name(*host_col));
      continue;
    }
    // The year in the display name is the release; Version0 is a build number (25.0.58.0).
    row.version = !year.empty() ? year : version_col ? std::string(trim(record.fields[*version_col])) : std::string();
    if (installed_col && !parse_inventory_date(record.fields[*installed_col], row.installed)) {
      reject("unparsable " + columns.name(*installed_col) + " " + quoted(trim(record.fields[*installed_col])));
      continue;
    }
    if (removed_col && !parse_inventory_date(record.fields[*removed_col], row.removed)) {
      reject("unparsable " + columns.name(*removed_col) + " " + quoted(trim(record.fields[*removed_col])));
      continue;
    }
    if (row.installed && row.removed && *row.removed < *row.installed) {
      reject(columns.name(*removed_col) + " " + quoted(trim(record.fields[*removed_col])) + " is before " +
             columns.name(*installed_col) + " " + quoted(trim(record.fields[*installed_col])));
      continue;
    }
    if (row.product_code.empty()) ++file.unmapped_autodesk;
    rows.push_back(std::move(row));
    ++file.accepted;
  }
  sources.at(file.source).sha256 = reader.sha256();
  sources.at(file.source).size = reader.bytes();
  return file;
}

}  // namespace flexrecon
