#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include "store/sqlite/wal_gather_vfs.hpp"

namespace parley::store::sqlite {

bool SqliteError::is_unique_violation() const {
  return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

// --- Statement ---

Statement::Statement(Connection& conn, sqlite3_stmt* stmt, bool owned, bool* in_use)
    : conn_(&conn), stmt_(stmt), owned_(owned), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_), stmt_(other.stmt_), owned_(other.owned_), in_use_(other.in_use_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (!stmt_) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_) *in_use_ = false;
}

Statement& Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) conn_->fail(rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: callers often pass temporaries; SQLite copies the bytes.
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) conn_->fail(rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) conn_->fail(rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Reset now so the statement does not hold a lock or a half-done write while the
  // exception unwinds through a transaction's rollback.
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  int extended = sqlite3_extended_errcode(conn_->handle());
  std::string message = sqlite3_errmsg(conn_->handle());
  sqlite3_reset(stmt_);
  throw SqliteError(extended, "sqlite: " + message + " (in: " + sql.substr(0, 120) + ")");
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Statement::opt_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

// --- Connection ---

namespace {
// Process-wide settings, applied before SQLite initializes (at the first open). Memory
// statistics off: with them every sqlite3_malloc and sqlite3_free takes one global mutex,
// which the chat writer, the readers and the search indexer all contend for; nothing in
// Parley reads those statistics.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialized: harmless
    return true;
  }();
  (void)configured;
}
}  // namespace

Connection::Connection(const std::string& path, bool synchronous_full) {
  configure_sqlite_once();
  // NOMUTEX: a connection is only ever used by one thread at a time (the writer under its
  // mutex, a reader while leased from the pool), so SQLite's own lock would be pure cost.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // A connection that syncs every commit writes its WAL frames in a few large writes per
  // commit instead of two per page (wal_gather_vfs.hpp, whose contract is exactly that sync).
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, synchronous_full ? wal_gather_vfs() : nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc, "sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    // The busy timeout first: switching to WAL needs a lock another process may hold.
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA foreign_keys=ON");
    exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(*this, it->second.stmt, false, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, std::string("prepare: ") + std::string(sql.substr(0, 120)));
  if (it != cache_.end()) return Statement(*this, stmt, true, nullptr);  // nested use
  auto& cached = cache_[std::string(sql)];  // the only copy of the text, made once
  cached.stmt = stmt;
  cached.in_use = true;
  return Statement(*this, stmt, false, &cached.in_use);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(sqlite3_extended_errcode(db_),
                      "sqlite: " + message + " (in: " + std::string(sql).substr(0, 120) + ")");
  }
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

void Connection::fail(int rc, std::string_view context) const {
  throw SqliteError(sqlite3_extended_errcode(db_), "sqlite: " + std::string(sqlite3_errmsg(db_)) +
                                                       " (" + std::string(context) + ", rc " +
                                                       std::to_string(rc) + ")");
}

// --- Transaction ---

Transaction::Transaction(Connection& conn) : conn_(conn) { conn_.prepare("SAVEPOINT tx").run(); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    conn_.prepare("ROLLBACK TO tx").run();
    conn_.prepare("RELEASE tx").run();
  } catch (...) {
    // The transaction may already have been rolled back by SQLite itself (e.g. after
    // SQLITE_FULL); there is nothing more to undo and a destructor must not throw.
  }
}

void Transaction::commit() {
  conn_.prepare("RELEASE tx").run();
  done_ = true;
}

}  // namespace parley::store::sqlite
