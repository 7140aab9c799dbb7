#include "cli/backup_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/data_dir_lock.hpp"
#include "store/sqlite/backup.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;

namespace parley::cli {

namespace {

constexpr const char* kDatabaseFile = "parley.db";
constexpr const char* kSearchIndexFile = "parley-search.db";  // SearchIndex::path_for

// A rename is only durable once the directory that holds the name is synced.
void fsync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + dir.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot sync " + dir.string() + ": " + std::strerror(error));
}

void fsync_file(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + file.string() + ": " + reason);
  }
  ::close(fd);
}

// A database file and the files SQLite keeps beside it under the same name.
void remove_with_companions(const fs::path& db) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    fs::remove(db.string() + suffix, ignored);
  }
}

// Renames `db` and its -wal/-shm to `db`+`suffix` (and its -wal/-shm), so SQLite still finds
// the WAL that belongs to the set-aside file. Returns the new name when `db` existed.
std::optional<fs::path> set_aside(const fs::path& db, const std::string& suffix) {
  std::optional<fs::path> moved;
  for (const char* companion : {"", "-wal", "-shm", "-journal"}) {
    fs::path from = db.string() + companion;
    if (!fs::exists(from)) continue;
    fs::path to = db.string() + suffix + companion;
    fs::rename(from, to);
    if (*companion == '\0') moved = to;
  }
  return moved;
}

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

std::string mebibytes(std::int64_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0)
      << " MiB";
  return out.str();
}

bool writable_directory(const fs::path& dir, std::string& why) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    why = dir.string() + " is not an existing directory";
    return false;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    why = "cannot write to " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

void add_backup_commands(CLI::App& app, BackupCommands& c) {
  c.backup_command = app.add_subcommand(
      "backup", "Copy the SQLite database under --data into one file while the server runs");
  add_database_options(*c.backup_command, c.backup.database);
  c.backup_command->add_option("--to", c.backup.to, "The backup file to write")->required();
  c.backup_command->add_flag("--force", c.backup.force, "Replace --to when it exists");
  c.backup_command
      ->add_option("--pages-per-step", c.backup.pages_per_step,
                   "Database pages copied per step (default 1024, 4 MiB)")
      ->check(CLI::Range(1, 1'000'000));
  c.backup_command
      ->add_option("--step-pause", c.backup.pause_ms,
                   "Milliseconds to rest between steps, to spare a busy disk (default 0)")
      ->check(CLI::Range(0, 60'000));

  c.restore_command = app.add_subcommand(
      "restore", "Put a backup in place as the SQLite database under --data (server stopped)");
  add_database_options(*c.restore_command, c.restore.database);
  c.restore_command->add_option("--from", c.restore.from, "The backup file to restore")
      ->required();
  c.restore_command->add_flag(
      "--force", c.restore.force,
      "Restore over an existing database (it is kept, renamed parley.db.before-restore-TIME)");
}

int run_backup(const BackupArgs& args) {
  if (args.database.db) {
    std::cerr << "parley: backup copies the SQLite database under --data; for PostgreSQL use "
                 "its own tool, e.g.\n  pg_dump --format=custom --file=parley.dump '"
              << describe(args.database)
              << "'\n(docs/operations.md, \"Backups\": pg_dump, pg_restore, point-in-time "
                 "recovery)\n";
    return 2;
  }
  fs::path source = fs::path(args.database.data_dir) / kDatabaseFile;
  fs::path target = fs::absolute(args.to);
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    std::cerr << "parley: there is no database at " << source.string() << " (is --data right?)\n";
    return 1;
  }
  if (fs::is_directory(target, ec)) {
    std::cerr << "parley: --to " << args.to << " is a directory; name the backup file\n";
    return 1;
  }
  if (fs::exists(target, ec)) {
    if (fs::equivalent(target, source, ec)) {
      std::cerr << "parley: --to " << args.to << " is the live database itself\n";
      return 1;
    }
    if (!args.force) {
      std::cerr << "parley: " << args.to << " exists; pass --force to replace it\n";
      return 1;
    }
  }
  std::string why;
  if (!writable_directory(target.parent_path(), why)) {
    std::cerr << "parley: cannot write the backup " << args.to << ": " << why << "\n";
    return 1;
  }

  // Written under a temporary name beside the target and renamed when complete and
  // checked: the target is the old backup or the new one, never half of one.
  fs::path temporary = target.parent_path() /
                       ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  remove_with_companions(temporary);
  auto started = std::chrono::steady_clock::now();
  try {
    store::sqlite::BackupOptions options{args.pages_per_step,
                                         std::chrono::milliseconds(args.pause_ms)};
    auto report = store::sqlite::copy_live_database(source.string(), temporary.string(), options);
    auto check = store::sqlite::check_backup(temporary.string(), args.to);
    fs::rename(temporary, target);
    fsync_directory(target.parent_path());
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "backed up " << source.string() << " to " << target.string() << ": "
              << mebibytes(report.bytes) << " (" << report.pages << " pages in " << report.steps
              << " steps, " << std::fixed << std::setprecision(2) << seconds << " s), schema "
              << check.schema_version << ", " << check.conversations << " conversations, "
              << check.messages << " messages; integrity check ok\n"
              << "the search index (" << kSearchIndexFile
              << ") is not in the backup: restore rebuilds it\n";
    return 0;
  } catch (const std::exception& e) {
    remove_with_companions(temporary);
    std::cerr << "parley: backup failed: " << e.what() << "\n";
    return 1;
  }
}

int run_restore(const RestoreArgs& args) {
  if (args.database.db) {
    std::cerr << "parley: restore puts back a SQLite backup under --data; for PostgreSQL use "
                 "its own tool, e.g.\n  pg_restore --clean --if-exists --no-owner --dbname='"
              << describe(args.database)
              << "' parley.dump\n(docs/operations.md, \"Backups\")\n";
    return 2;
  }
  std::error_code ec;
  fs::path from = args.from;
  if (!fs::exists(from, ec)) {
    std::cerr << "parley: the backup " << args.from << " does not exist\n";
    return 1;
  }
  if (!fs::is_regular_file(from, ec)) {
    std::cerr << "parley: the backup " << args.from << " is not a regular file\n";
    return 1;
  }
  if (::access(from.c_str(), R_OK) != 0) {
    std::cerr << "parley: cannot read the backup " << args.from << ": " << std::strerror(errno)
              << "\n";
    return 1;
  }
  fs::path dir = args.database.data_dir;
  fs::create_directories(dir, ec);
  std::string why;
  if (ec || !writable_directory(dir, why)) {
    std::cerr << "parley: cannot restore into " << dir.string() << ": "
              << (ec ? ec.message() : why) << "\n";
    return 1;
  }
  // Exclusive: no server (nor migrate, nor admin) may have the database open while it is
  // swapped; they hold this lock shared for as long as they run.
  auto lock = DataDirLock::try_acquire(dir, DataDirLock::Mode::exclusive);
  if (!lock) {
    std::cerr << "parley: a Parley process (a server, or migrate/admin) is using "
              << dir.string() << " (it holds " << DataDirLock::file_in(dir).string()
              << "); stop it before restoring\n";
    return 1;
  }
  fs::path target = dir / kDatabaseFile;
  if (fs::exists(target, ec) && !args.force) {
    std::cerr << "parley: " << dir.string() << " already has a database (" << kDatabaseFile
              << "); pass --force to set it aside (renamed, not deleted) and restore over it\n";
    return 1;
  }

  // The backup is copied into the directory first and checked there: the file checked is
  // the file that goes live, and the operator's backup is never opened for writing.
  fs::path incoming = dir / ".parley.db.restoring";
  remove_with_companions(incoming);
  try {
    fs::copy_file(from, incoming, fs::copy_options::overwrite_existing);
    fsync_file(incoming);
  } catch (const std::exception& e) {
    remove_with_companions(incoming);
    std::cerr << "parley: cannot copy the backup into " << dir.string() << ": " << e.what() << "\n";
    return 1;
  }
  store::sqlite::BackupCheck check;
  try {
    check = store::sqlite::check_backup(incoming.string(), args.from);
  } catch (const std::exception& e) {
    remove_with_companions(incoming);
    std::cerr << "parley: cannot restore: " << e.what()
              << "\nnothing was changed in " << dir.string() << "\n";
    return 1;
  }

  std::optional<fs::path> kept;
  try {
    // The old database is renamed, never deleted. The search index goes with it, also when
    // there is no database: it marks how far it indexed by message id, which would be wrong
    // for the restored messages. The server's next open rebuilds it (done here, below).
    std::string suffix = ".before-restore-" + utc_stamp();
    kept = set_aside(target, suffix);
    set_aside(dir / kSearchIndexFile, suffix);
    fs::rename(incoming, target);
    fsync_directory(dir);
  } catch (const std::exception& e) {
    std::cerr << "parley: restore failed while swapping the files in " << dir.string() << ": "
              << e.what() << "\n";
    return 1;
  }
  try {
    // Migrates a backup of an older version and rebuilds the search index from the
    // messages (flush waits for both), so the server starts on a ready database.
    auto started = std::chrono::steady_clock::now();
    store::open_sqlite_store(target.string())->flush();
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "restored " << args.from << " into " << target.string() << ": schema "
              << check.schema_version << ", " << check.conversations << " conversations, "
              << check.messages << " messages; integrity check ok; search index rebuilt in "
              << std::fixed << std::setprecision(2) << seconds << " s\n";
  } catch (const std::exception& e) {
    std::cerr << "parley: the backup is in place but could not be opened: " << e.what() << "\n";
    if (kept) std::cerr << "the previous database is " << kept->string() << "\n";
    return 1;
  }
  if (kept) {
    std::cout << "the previous database is kept as " << kept->string()
              << " (delete it once the restore is verified)\n";
  }
  return 0;
}

}  // namespace parley::cli
