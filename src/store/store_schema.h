// What a file is, before flexrecon treats it as a case store, and the store's schema (version 1).
#pragma once

#include <string>

#include "store/store_db.h"

namespace flexrecon {

// Throws Error::input naming the path and what the file is when it is not a case store of the
// schema this flexrecon reads: missing (unless `may_be_new`), not a regular file, not SQLite, a
// database of another application, a pack's evidence.sqlite, a store of another schema. Reads the
// file's header (and, for an unknown SQLite database, its table names) and modifies nothing.
// Returns false when the file is missing or empty and may_be_new (a store to create).
bool check_case_store_file(const std::string& path, bool may_be_new);

// Creates the tables, meta rows and pragmas of an empty store, in one transaction.
void create_case_store_schema(StoreDb& db);

}  // namespace flexrecon
