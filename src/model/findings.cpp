// Names of the finding statuses, as written in findings.csv, summary.json and evidence.sqlite.
#include "flexrecon/findings.h"

#include "model/name_table.h"

namespace flexrecon {

namespace {

constexpr NameTable<FindingStatus, 3> kStatusNames({{
    {FindingStatus::Challenged, "challenged"},
    {FindingStatus::InsufficientEvidence, "insufficient-evidence"},
    {FindingStatus::Note, "note"},
}});

}  // namespace

std::string_view status_name(FindingStatus s) { return kStatusNames.name(s, "note"); }

std::optional<FindingStatus> parse_status(std::string_view text) { return kStatusNames.parse(text); }

}  // namespace flexrecon
