// Thin RAII wrappers over libpq: a connection with a prepared-statement cache and typed
// parameters, a result with typed column reads, and a transaction guard. Every PostgreSQL
// error becomes a PgError (a StoreFailure) carrying its SQLSTATE, so callers can tell a
// unique violation (a conflict the contract expects) from a broken database.
//
// A connection is used by one thread at a time (the pool hands it out).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "store/store_common.hpp"

struct pg_conn;
struct pg_result;

namespace parley::store::postgres {

struct PgError : StoreFailure {
  PgError(std::string sqlstate, const std::string& what)
      : StoreFailure(what), sqlstate(std::move(sqlstate)) {}
  std::string sqlstate;  // five characters; empty when the connection itself failed
  bool is_unique_violation() const { return sqlstate == "23505"; }
  // A serialization failure or a deadlock: the transaction may simply be run again.
  bool is_retryable() const { return sqlstate == "40001" || sqlstate == "40P01"; }
};

// The server cannot be reached (no connection, the connection broke, the server is shutting
// down): the transport answers 503 and the pool reconnects on the next use.
struct PgUnavailable : PgError, core::Unavailable {
  using PgError::PgError;
};

// One parameter in PostgreSQL's text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;
inline Param param(std::int64_t v) { return std::to_string(v); }
inline Param param(int v) { return std::to_string(v); }
inline Param param(bool v) { return std::string(v ? "t" : "f"); }
inline Param param(std::string_view v) { return std::string(v); }
inline Param param(const std::string& v) { return v; }
inline Param param(const char* v) { return std::string(v); }
inline Param param(std::nullopt_t) { return std::nullopt; }
template <class T>
Param param(const std::optional<T>& v) {
  return v ? param(*v) : std::nullopt;
}

class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult();

  int rows() const;
  bool empty() const { return rows() == 0; }
  // Rows changed by an INSERT / UPDATE / DELETE.
  std::int64_t affected() const;

  bool is_null(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::int64_t> opt_int64(int row, int column) const;
  std::optional<std::string> opt_text(int row, int column) const;

 private:
  pg_result* r_;
};

// One row of a result: what the shared row readers (store/rows.hpp) take.
class PgRow {
 public:
  PgRow(const PgResult& r, int row) : r_(r), row_(row) {}
  bool is_null(int c) const { return r_.is_null(row_, c); }
  std::int64_t int64(int c) const { return r_.int64(row_, c); }
  bool flag(int c) const { return r_.boolean(row_, c); }
  std::string text(int c) const { return r_.text(row_, c); }
  std::optional<std::int64_t> opt_int64(int c) const { return r_.opt_int64(row_, c); }
  std::optional<std::string> opt_text(int c) const { return r_.opt_text(row_, c); }

 private:
  const PgResult& r_;
  int row_;
};

class PgConnection {
 public:
  // Connects with a libpq connection string or URI (postgresql://...). Throws PgError.
  explicit PgConnection(const std::string& conninfo);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Runs one or more statements without parameters (DDL, BEGIN, COMMIT).
  void exec(std::string_view sql);
  // Runs one statement with $1, $2, ... bound to `args` in order; prepared once per
  // connection and reused.
  template <class... Args>
  PgResult query(std::string_view sql, const Args&... args) {
    return query_params(sql, {param(args)...});
  }
  PgResult query_params(std::string_view sql, const std::vector<Param>& params);

  // One statement of a pipeline: `sql` must outlive the call.
  struct Statement {
    std::string_view sql;
    std::vector<Param> params;
  };
  // Runs the statements in order, as query_params would one by one, but sends them before
  // reading any answer (libpq's pipeline mode), so the lot costs a round trip per
  // kPipelineChunk statements instead of one each. When a statement fails, the ones after
  // it are not run and its PgError is thrown once the pipeline is drained (inside a
  // transaction, the transaction is then aborted).
  std::vector<PgResult> pipeline(const std::vector<Statement>& statements);
  // Statements sent before their answers are read: bounded, so neither side's socket
  // buffer fills while the other waits (which would deadlock a blocking connection).
  static constexpr std::size_t kPipelineChunk = 64;

  // False once the server is gone; the pool then reconnects.
  bool healthy() const;
  // Reconnects after a broken connection (prepared statements are forgotten).
  void reset();

  pg_conn* handle() const { return conn_; }

 private:
  const std::string& prepared_name(std::string_view sql);
  pg_conn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

// BEGINs a transaction. A connection that finds the server restarted since its last use
// (only a statement tells) is reconnected and BEGINs again; only BEGIN is retried, since a
// write that broke later may have committed and must never run twice.
void begin_on_live_connection(PgConnection& conn);

// BEGIN on construction (unless `begin` is nullptr: the caller began it); ROLLBACK on
// destruction unless commit() ran.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn, const char* begin = "BEGIN");
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction();
  void commit();

 private:
  PgConnection& conn_;
  bool done_ = false;
};

}  // namespace parley::store::postgres
