#include "flexrecon/source.h"

namespace flexrecon {

std::string format_ref(const SourceTable& sources, const EvidenceRef& ref) {
  const std::string& name = sources.at(ref.source).name;
  return name + (ref.is_line ? ":" : "#") + std::to_string(ref.position);
}

}  // namespace flexrecon
