// Parsers for the files of the rules folder (SPEC 1.4), on text already read: rules files are small
// and their exact bytes are hashed into RulesFolder::hash, so each is read whole once.
// Every problem throws Error::input as `<file>:<line>: <what>`: a half-read rules file would change
// every finding, so there is nothing to skip.
#pragma once

#include <string>

#include "flexrecon/reference_data.h"
#include "flexrecon/source.h"

namespace flexrecon {

// The file's bytes; throws Error::input when it cannot be read or is implausibly large for a rules file.
std::string read_rules_file(const std::string& path, const std::string& what);

// products.csv: `code,name,family,aliases,product_key` (aliases `|`-separated).
ProductCatalog parse_products(const std::string& text, const std::string& file);
// rates.csv or a --rates sheet: `code,tokens_per_day,effective_from,effective_to,source`.
RateSheet parse_rates(const std::string& text, const std::string& file);
// settings.ini: `key = value` lines, `#` or `;` comments, blank lines.
Settings parse_settings(const std::string& text, const std::string& file);

}  // namespace flexrecon
