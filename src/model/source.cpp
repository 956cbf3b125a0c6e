#include "flexrecon/source.h"

#include "model/name_table.h"

namespace flexrecon {

namespace {

constexpr NameTable<SourceKind, 5> kSourceKindNames({{
    {SourceKind::Metering, "metering"},
    {SourceKind::Events, "events"},
    {SourceKind::Inventory, "inventory"},
    {SourceKind::Identities, "identities"},
    {SourceKind::Rules, "rules"},
}});

}  // namespace

std::string_view source_kind_name(SourceKind k) { return kSourceKindNames.name(k, "unknown"); }

std::string format_ref(const SourceTable& sources, const EvidenceRef& ref) {
  const std::string& name = sources.at(ref.source).name;
  return name + (ref.is_line ? ":" : "#") + std::to_string(ref.position);
}

}  // namespace flexrecon
