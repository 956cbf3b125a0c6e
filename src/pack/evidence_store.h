// evidence.sqlite: the normalised inputs, what was rebuilt from them, and the findings, linked so an
// auditor can walk from any finding to the source file and record it rests on. Schema: docs/evidence-store.md.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

class EvidenceIndex;

// Creates the database at `path` (which must not exist) in one transaction. Throws Error::internal
// naming the statement that failed. `index`, when given, is the result's EvidenceIndex (the pack
// shares one between its files); otherwise one is built.
void write_evidence_store(const ReconcileResult& result, const std::string& path, const EvidenceIndex* index = nullptr);

}  // namespace flexrecon
