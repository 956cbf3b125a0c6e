// The customer- and rules-side reference inputs: product catalog, rate sheet, settings (SPEC 1.4),
// identity map (SPEC 1.5) and deployment inventory (SPEC 1.3).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/error.h"
#include "flexrecon/source.h"
#include "flexrecon/time.h"

namespace flexrecon {

struct Product {
  std::string code;     // "ACD"
  std::string name;     // "AutoCAD"
  std::string family;   // "AutoCAD" (AutoCAD LT shares it)
  std::vector<std::string> aliases;
  std::string product_key;
};

// True when `display_name` carries `name` as whole words, case-insensitively: the words of `name`
// appear consecutively among the words of `display_name`, a word being a run of letters, digits or
// non-ASCII bytes. "Autodesk AutoCAD Mechanical 2025" and "AutoCAD LT" carry "AutoCAD";
// "AutoCADMEP 2025" does not.
bool names_in(std::string_view display_name, std::string_view name);

class ProductCatalog {
 public:
  void add(Product p);
  const Product* by_code(std::string_view code) const;  // case-insensitive
  // Maps a name as found in metering or inventory ("Autodesk AutoCAD LT 2025 - English", "Revit 2025",
  // "AutoCAD LT") to a product; `version` receives the 4-digit year when the name carries one.
  const Product* match_name(std::string_view display_name, std::string* version = nullptr) const;
  std::vector<const Product*> family_members(std::string_view family) const;
  // The names whose presence in an inventory row's display name means the row may be `p` or a
  // product of its family: p's name, its aliases and its family's name (SPEC 3.3 "not deployed").
  std::vector<std::string> presence_names(const Product& p) const;
  // True when a display name the catalog cannot map still names an Autodesk product: it starts
  // with "Autodesk", or it carries (names_in) the name, an alias or the family of a catalog product.
  bool names_autodesk_product(std::string_view display_name) const;
  const std::vector<Product>& all() const { return products_; }

 private:
  // Precomputed in add(): inventories run every installed program of every host past these.
  struct Spelling {
    std::string key;      // normalised as a display name is
    std::size_t length;   // as written in the catalog: the longer spelling is the more specific
    std::size_t product;  // index into products_
  };
  std::vector<Product> products_;
  std::vector<Spelling> spellings_;                   // every name and alias, in catalog order
  std::vector<std::vector<std::string>> presence_words_;  // words of every presence name
};

struct Rate {
  std::string code;
  double tokens_per_day = 0;
  std::optional<Instant> effective_from;  // inclusive, midnight UTC
  std::optional<Instant> effective_to;    // inclusive day: valid until the end of that day
  std::string source;                     // where the figure comes from
  // When the rate is in force: [effective_from, the day after effective_to), open where not given.
  Span in_force() const;
};

class RateSheet {
 public:
  void add(Rate r);
  // The rate in force for `code` at `t`, or nullptr when the sheet has none.
  const Rate* at(std::string_view code, Instant t) const;
  const std::vector<Rate>& all() const { return rates_; }

 private:
  std::vector<Rate> rates_;
};

enum class Confidence { Low = 0, Medium = 1, High = 2 };
std::string_view confidence_name(Confidence c);
std::optional<Confidence> parse_confidence(std::string_view text);

enum class BillingModel { Rolling24h, CalendarDay };
std::string_view billing_model_name(BillingModel m);  // "rolling-24h", "calendar-day"
std::optional<BillingModel> parse_billing_model(std::string_view text);

struct Settings {
  Instant presence_tolerance = 120 * kSecond;
  Instant clock_tolerance = 5 * kMinute;
  Instant short_session = 5 * kMinute;
  Instant midnight_window = 60 * kSecond;
  Instant linked_logon_window = 60 * kSecond;
  BillingModel billing_model = BillingModel::Rolling24h;
  std::string billing_tz = "UTC";
  Confidence min_confidence = Confidence::Medium;
  std::vector<std::string> service_account_patterns = {"svc_*", "svc-*", "*_svc", "sa_*"};
  // Archive members expanding beyond this many bytes are rejected (on top of the 1,000:1 ratio).
  std::uint64_t max_archive_member_bytes = 64ull << 30;

  // True when the (normalised) account matches a service-account pattern (glob, case-insensitive).
  bool is_service_account(std::string_view user) const;
  // SPEC 3 rule 1's presence window around `t`: [t - tol, t + tol], both ends included, as the
  // half-open span [t - tol, t + tol + 1 µs). Every rule and exhibit asks about this one window.
  Span presence_window(Instant t) const;
};

struct RulesFolder {
  std::string dir;
  ProductCatalog catalog;
  RateSheet rates;
  Settings settings;
  std::string hash;  // SHA-256 over the folder's files (name and content, sorted by name)
};

// Reads `dir` (products.csv, rates.csv, settings.ini). Throws Error::input naming file and line.
RulesFolder read_rules_folder(const std::string& dir, SourceTable& sources);
// --rates FILE replaces the sheet of the folder.
RateSheet read_rate_sheet(const std::string& path, SourceTable& sources);

class IdentityMap {
 public:
  void add(std::string metering_user, std::string windows_account);
  // The normalised Windows account for a metering user: the mapped one if any (matched
  // case-insensitively as written), else normalize_user(metering_user).
  std::string resolve(std::string_view metering_user) const;
  std::size_t size() const { return map_.size(); }

 private:
  std::map<std::string, std::string> map_;  // lower-cased metering user -> normalised account
};

IdentityMap read_identity_map(const std::string& path, SourceTable& sources, Rejects& rejects);

struct InventoryRow {
  SourceId source = 0;
  std::uint64_t line = 0;
  std::string host;          // normalised
  std::string product_code;  // via the catalog; empty for an Autodesk product the catalog cannot map
  std::string display_name;  // as written
  std::string version;       // the year from the display name ("2025"), else the version column
  std::optional<Instant> installed;
  std::optional<Instant> removed;
  EvidenceRef ref() const { return EvidenceRef{source, line, true}; }
};

struct InventoryFile {
  SourceId source = 0;
  std::uint64_t rows = 0;
  std::uint64_t accepted = 0;
  std::uint64_t unmapped_autodesk = 0;     // accepted, but no catalog product (product_code empty)
  std::uint64_t skipped_not_autodesk = 0;
  std::uint64_t rejected = 0;
};

InventoryFile read_inventory(const std::string& path, const ProductCatalog& catalog, SourceTable& sources,
                             std::vector<InventoryRow>& rows, Rejects& rejects);

}  // namespace flexrecon
