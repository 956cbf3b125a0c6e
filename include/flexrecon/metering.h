// The audit's metering records (LRT export, SPEC 1.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flexrecon/error.h"
#include "flexrecon/source.h"
#include "flexrecon/time.h"

namespace flexrecon {

struct MeteringRow {
  SourceId source = 0;
  std::uint64_t line = 0;             // physical line where the row starts (header is line 1)
  std::string record_id;              // chargedItemID etc., or `<file>:<line>` when absent
  std::string user_raw;               // as written: `CORP\jdoe`, `john.doe@corp.example`
  std::string user;                   // Windows account after the identity map and normalisation
  std::string host_raw;
  std::string host;                   // normalised short name; empty when the export has no host
  std::string product_code;           // from the row, or resolved from the product name via the catalog
  std::string product_name;
  std::string version;
  std::optional<Instant> start;       // charge start (UTC)
  std::optional<Instant> end;         // charge end, from the end column or start + duration
  std::optional<Instant> usage_date;  // midnight UTC of the usage day, when given
  double tokens = 0;
  std::string category;               // usageCategory; empty when the column is absent
  bool is_charge = false;             // tokens > 0 and category empty or DESKTOP_PRODUCT
  bool day_granular = false;          // Account "Token Usage" style: no host and no times
  std::vector<std::pair<std::string, std::string>> extra;  // unknown columns, kept for the store

  EvidenceRef ref() const { return EvidenceRef{source, line, true}; }
};

struct MeteringFile {
  SourceId source = 0;
  std::string format;     // "token-flex-csv", "snake-case-csv", "account-token-usage-csv"
  std::uint64_t rows = 0;  // data rows seen
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
};

struct MeteringOptions {
  std::string metering_tz;  // --metering-tz; empty = UTC
};

class ProductCatalog;
class IdentityMap;

// Reads one metering CSV. Throws Error::input (exit 3) when the file cannot be read or has no
// header; bad rows are rejected alone into `rejects`. The product code is resolved through the
// catalog when only a name is given; the user through the identity map.
MeteringFile read_metering(const std::string& path, const MeteringOptions& options,
                           const ProductCatalog& catalog, const IdentityMap& identities,
                           SourceTable& sources, std::vector<MeteringRow>& rows, Rejects& rejects);

}  // namespace flexrecon
