// Copies of a live SQLite database (`parley backup`) and the checks a copy must pass before
// it may replace one (`parley restore`). The file handling around them (temporary names,
// fsync, renames, the data directory's lock) is the CLI's (cli/backup_command.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace parley::store::sqlite {

struct BackupOptions {
  // Pages copied per sqlite3_backup_step. Each step reads inside one snapshot the backup
  // holds from start to end, so the size only trades the copy's speed against how long it
  // keeps the disk busy at a time; it never blocks the server's writer (WAL).
  int pages_per_step = 1024;
  // A rest between steps, to throttle the copy on a busy disk.
  std::chrono::milliseconds pause{0};
};

struct BackupReport {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  int schema_version = 0;
  int steps = 0;
};

// Copies the database at `source` (in use by a running server or not) into a new file
// `destination`, which must not exist: one consistent snapshot, the committed content of the
// WAL included, as of the moment the copy begins. The copy is a self-contained file
// (rollback journal mode, no -wal beside it), synced to disk. Throws StoreFailure with a
// message for the operator.
BackupReport copy_live_database(const std::string& source, const std::string& destination,
                                const BackupOptions& options);

// What a file offered for restore turned out to be.
struct BackupCheck {
  int schema_version = 0;
  std::int64_t conversations = 0;
  std::int64_t messages = 0;
};

// Checks that `path` is an intact Parley database this binary can open: SQLite's
// integrity_check passes, the Parley tables are there, and its schema version is one this
// binary knows or can migrate from. Throws StoreFailure saying what is wrong otherwise.
// Opens the file read-write (a WAL-mode file needs that to be read), so call it on a copy;
// messages name the file `shown_as` (the operator's name for it).
BackupCheck check_backup(const std::string& path, const std::string& shown_as);

}  // namespace parley::store::sqlite
