// Versioned schema migrations for the SQLite store: an ordered list of numbered SQL steps,
// applied at open in one transaction and tracked with PRAGMA user_version, so a database
// file is always at exactly one known version.
#pragma once

#include <span>

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

struct Migration {
  int version;      // 1, 2, 3, ... with no gaps; the file's user_version after applying it
  const char* sql;  // one or more statements
  // The step edits a definition in sqlite_schema directly (writable_schema) instead of with
  // DDL, so the schema cookie is bumped after it for other connections to parse the new text.
  bool edits_schema_text = false;
};

std::span<const Migration> migrations();

// Brings the database up to the newest version. Throws StoreFailure when the file was
// written by a newer Parley (a version this binary does not know).
void apply_migrations(Connection& conn);

// The version the file is at (0 for a fresh file).
int schema_version(Connection& conn);

}  // namespace parley::store::sqlite
