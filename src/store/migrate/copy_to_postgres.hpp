// `parley migrate --to-db`: copies a SQLite installation into an empty PostgreSQL database,
// so a team grows from one process into a cluster without losing its history. Every table
// is copied with its ids; the identity sequences continue after the highest id; each table
// is verified by its row count and a checksum computed on both sides. All in one
// PostgreSQL transaction: a failed copy leaves the target as empty as it was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace parley::store {

struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;  // order-independent, over the rows' values (same on both sides)
};

// The SQLite database at `sqlite_path` must be at the newest schema (open it with the store
// first); the PostgreSQL database at `conninfo` gets the schema if it has none. conflict
// when the target already holds data. Throws StoreFailure when the copy does not verify.
core::Result<std::vector<CopiedTable>> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                               const std::string& conninfo);

}  // namespace parley::store
