// Where Parley keeps its data, as every subcommand is told: SQLite under --data (the
// embedded default), or PostgreSQL with --db postgresql://... (several nodes, one database).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace parley::cli {

struct DatabaseOptions {
  std::string data_dir = "./data";  // SQLite's directory; also the demo's files
  std::optional<std::string> db;    // a libpq connection URI
};

void add_database_options(CLI::App& command, DatabaseOptions& options);

// Opens (and migrates) the database the options name.
std::unique_ptr<store::Store> open_store(const DatabaseOptions& options);

// For logs and messages: the SQLite directory, or the URI without its password.
std::string describe(const DatabaseOptions& options);

// True for what --db accepts: postgresql:// or postgres:// URIs.
bool is_postgres_uri(const std::string& uri);

}  // namespace parley::cli
