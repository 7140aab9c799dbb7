// The PostgreSQL schema: versioned steps applied at open, under an advisory lock so that
// several nodes starting at once apply each step exactly once. Append new steps; never edit
// one that has shipped.
//
// The tables are those of the SQLite adapter (store/sqlite/migrations.cpp) in PostgreSQL's
// types: BIGINT ids (identity columns that `parley migrate --to-db` can fill with the ids it
// copies), BIGINT milliseconds for times, BOOLEAN flags. What SQLite does with FTS5 is done
// with GIN indexes over tsvector expressions; presence is a table of heartbeats.
#pragma once

#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

// The newest schema version this binary knows.
int newest_schema_version();

// Brings the connected database (its first search_path schema) up to the newest version.
// Throws StoreFailure when the database is newer than this binary.
void apply_schema(PgConnection& conn);

}  // namespace parley::store::postgres
