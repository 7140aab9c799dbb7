// `parley backup` and `parley restore`: the SQLite database under --data copied while the
// server runs, and a copy put back in place (docs/operations.md, "Backups"). PostgreSQL has
// its own tools (pg_dump, pg_restore); both commands say so for --db.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/database_options.hpp"

namespace parley::cli {

struct BackupArgs {
  DatabaseOptions database;
  std::string to;
  bool force = false;
  int pages_per_step = 1024;
  int pause_ms = 0;
};

struct RestoreArgs {
  DatabaseOptions database;
  std::string from;
  bool force = false;
};

struct BackupCommands {
  BackupArgs backup;
  RestoreArgs restore;
  CLI::App* backup_command = nullptr;
  CLI::App* restore_command = nullptr;
};

void add_backup_commands(CLI::App& app, BackupCommands& commands);

// Exit codes: 0 done, 1 refused or failed (the reason on stderr), 2 a usage error.
int run_backup(const BackupArgs& args);
int run_restore(const RestoreArgs& args);

}  // namespace parley::cli
