// evidence.sqlite: the normalised inputs, what was rebuilt from them, and the findings, linked so an
// auditor can walk from any finding to the source file and record it rests on. Schema: docs/evidence-store.md.
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

// Creates the database at `path` (which must not exist) in one transaction. Throws Error::internal
// naming the statement that failed.
void write_evidence_store(const ReconcileResult& result, const std::string& path);

}  // namespace flexrecon
