#include "store/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace parley::store::sqlite {

namespace {

// A raw handle, closed on every path. (Connection would switch the file to WAL and create
// it when missing: neither is wanted for a backup's source, its copy or a file to restore.)
struct Handle {
  sqlite3* db = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { sqlite3_close_v2(db); }
};

std::string error_of(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

void open(Handle& h, const std::string& path, int flags, const std::string& what) {
  if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK) {
    throw StoreFailure("cannot open " + what + " " + path + ": " + error_of(h.db));
  }
  sqlite3_extended_result_codes(h.db, 1);
  sqlite3_busy_timeout(h.db, 5000);
}

void exec(sqlite3* db, const char* sql, const std::string& what) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : error_of(db);
    sqlite3_free(error);
    throw StoreFailure(what + ": " + message);
  }
}

// The rows of a query's first column, as text. Throws with SQLite's message (the error
// code is kept, so "not a database" can be told apart).
struct QueryError : StoreFailure {
  QueryError(int code, const std::string& what) : StoreFailure(what), code(code) {}
  int code;
};

std::vector<std::string> column(sqlite3* db, const char* sql, std::size_t max_rows = 1000) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    throw QueryError(sqlite3_errcode(db), error_of(db));
  }
  std::vector<std::string> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (rows.size() < max_rows) {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      rows.emplace_back(text ? text : "");
    }
  }
  int code = sqlite3_errcode(db);
  std::string message = error_of(db);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) throw QueryError(code, message);
  return rows;
}

std::int64_t number(sqlite3* db, const char* sql) {
  auto rows = column(db, sql);
  return rows.empty() ? 0 : std::stoll(rows.front());
}

void fsync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw StoreFailure("cannot sync " + path + " to disk: " + reason);
  }
  ::close(fd);
}

}  // namespace

BackupReport copy_live_database(const std::string& source, const std::string& destination,
                                const BackupOptions& options) {
  Handle src;
  open(src, source, SQLITE_OPEN_READWRITE, "the database");
  // One read transaction around the whole copy. Without it every step takes a fresh read
  // lock, and a commit by the server between two steps (another connection, another
  // process) makes SQLite start the copy over, which under steady chat traffic never ends.
  // Held, it pins one WAL snapshot: every step reads the same consistent state, the
  // committed WAL frames included, while the server's writer goes on unblocked (readers
  // never block the writer in WAL mode; checkpoints just stop at the snapshot until we end).
  exec(src.db, "BEGIN", "cannot start reading " + source);
  BackupReport report;
  try {
    report.schema_version = static_cast<int>(number(src.db, "PRAGMA user_version"));
  } catch (const QueryError& e) {
    throw StoreFailure(source + " cannot be read: " + e.what());
  }

  Handle dst;
  open(dst, destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "the backup file");
  // The copy is written in one transaction on its own file; FULL: on disk when it commits.
  exec(dst.db, "PRAGMA synchronous=FULL", "cannot configure " + destination);
  sqlite3_backup* backup = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!backup) throw StoreFailure("cannot start the backup: " + error_of(dst.db));
  int rc;
  for (;;) {
    rc = sqlite3_backup_step(backup, options.pages_per_step);
    ++report.steps;
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    if (rc != SQLITE_OK) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } else if (options.pause.count() > 0) {
      std::this_thread::sleep_for(options.pause);
    }
  }
  report.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);  // its result is rc's, already known
  if (rc != SQLITE_DONE) {
    throw StoreFailure("the backup stopped: " + std::string(sqlite3_errstr(rc)) + " (" +
                       error_of(dst.db) + ")");
  }
  exec(src.db, "COMMIT", "cannot finish reading " + source);

  // The pages say "WAL" as the source's do; a backup is one self-contained file instead.
  auto mode = column(dst.db, "PRAGMA journal_mode=DELETE");
  if (mode.empty() || mode.front() != "delete") {
    throw StoreFailure("cannot turn " + destination + " into a single file");
  }
  report.bytes = number(dst.db, "PRAGMA page_count") * number(dst.db, "PRAGMA page_size");
  sqlite3_close_v2(dst.db);
  dst.db = nullptr;
  fsync_file(destination);
  return report;
}

BackupCheck check_backup(const std::string& path, const std::string& shown_as) {
  Handle h;
  open(h, path, SQLITE_OPEN_READWRITE, "the backup");
  BackupCheck check;
  try {
    auto problems = column(h.db, "PRAGMA integrity_check", 5);
    if (problems.size() != 1 || problems.front() != "ok") {
      std::string list;
      for (const auto& p : problems) list += "\n  " + p;
      throw StoreFailure(shown_as + " is damaged: SQLite's integrity check found" + list);
    }
    check.schema_version = static_cast<int>(number(h.db, "PRAGMA user_version"));
    auto tables = number(h.db,
                         "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                         "('agents', 'conversations', 'messages', 'visitors')");
    if (check.schema_version < 1 || tables != 4) {
      throw StoreFailure(shown_as + " is a SQLite database but not a Parley one (no Parley tables)");
    }
    int newest = migrations().back().version;
    if (check.schema_version > newest) {
      throw StoreFailure(shown_as + " was written by a newer Parley (schema version " +
                         std::to_string(check.schema_version) + "; this binary knows up to " +
                         std::to_string(newest) + "): restore it with that version");
    }
    check.conversations = number(h.db, "SELECT count(*) FROM conversations");
    check.messages = number(h.db, "SELECT count(*) FROM messages");
  } catch (const QueryError& e) {
    if (e.code == SQLITE_NOTADB) throw StoreFailure(shown_as + " is not a SQLite database");
    throw StoreFailure(shown_as + " is damaged: " + e.what());
  }
  return check;
}

}  // namespace parley::store::sqlite
