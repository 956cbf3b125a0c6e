// evidence.sqlite: the normalised inputs, what was rebuilt from them, and the findings, linked so an
// auditor can walk from any finding to the source file and record it rests on. Schema: docs/evidence-store.md.
#pragma once

#include <functional>
#include <string>

#include "flexrecon/reconcile.h"
#include "pack/evidence_index.h"

namespace flexrecon {

// Creates the database at `path` (which must not exist) in one transaction. Throws Error::internal
// naming the statement that failed.
void write_evidence_store(const ReconcileResult& result, const std::string& path);

// Gives the index of `result`'s references, waiting for it when another thread builds it.
using EvidenceIndexSource = std::function<const EvidenceIndex&()>;
// The same with the index the pack shares (write_pack builds one for the store and the dossier):
// asked for once, after the tables that need none (sources, metering rows, inventory) are written.
void write_evidence_store(const ReconcileResult& result, const std::string& path, const EvidenceIndexSource& index);

}  // namespace flexrecon
