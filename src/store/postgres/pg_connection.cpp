#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>

namespace parley::store::postgres {
namespace {

std::string message_of(PGconn* conn, std::string_view context) {
  std::string m = conn ? PQerrorMessage(conn) : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return "postgres: " + std::string(context) + ": " + m;
}

// Connection exceptions (08), and the server shutting down or restarting (57P01-57P03).
bool is_connection_failure(const std::string& state) {
  return state.empty() || state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" ||
         state == "57P03";
}

// Turns a failed result into a PgError (and frees it).
[[noreturn]] void fail(PGconn* conn, PGresult* r, std::string_view context) {
  std::string state;
  std::string what;
  if (r) {
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
    what = PQresultErrorMessage(r);
    PQclear(r);
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    what = "postgres: " + std::string(context) + ": " + what;
  } else {
    what = message_of(conn, context);
  }
  if (is_connection_failure(state) || PQstatus(conn) != CONNECTION_OK) {
    throw PgUnavailable(std::move(state), what);
  }
  throw PgError(std::move(state), what);
}

PGresult* checked(PGconn* conn, PGresult* r, std::string_view context) {
  auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  fail(conn, r, context);
}

std::string_view first_words(std::string_view sql) { return sql.substr(0, 60); }

}  // namespace

// --- PgResult ---

PgResult::~PgResult() {
  if (r_) PQclear(r_);
}

int PgResult::rows() const { return PQntuples(r_); }

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(r_);
  std::int64_t v = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

bool PgResult::is_null(int row, int column) const { return PQgetisnull(r_, row, column) == 1; }

std::int64_t PgResult::int64(int row, int column) const {
  const char* s = PQgetvalue(r_, row, column);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s, s + PQgetlength(r_, row, column), v);
  if (ec != std::errc{}) throw PgError("", std::string("postgres: not an integer: ") + s);
  return v;
}

bool PgResult::boolean(int row, int column) const { return PQgetvalue(r_, row, column)[0] == 't'; }

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(r_, row, column),
                     static_cast<std::size_t>(PQgetlength(r_, row, column)));
}

std::optional<std::int64_t> PgResult::opt_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::optional<std::string> PgResult::opt_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

// --- PgConnection ---

PgConnection::PgConnection(const std::string& conninfo) {
  // A server that does not answer fails the connect after 5 s instead of hanging it; a
  // connect_timeout in `conninfo` (expanded from dbname, later in the list) wins.
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string what = message_of(conn_, "cannot connect");
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgUnavailable("", what);
  }
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

void PgConnection::exec(std::string_view sql) {
  std::string text(sql);
  PQclear(checked(conn_, PQexec(conn_, text.c_str()), first_words(sql)));
}

const std::string& PgConnection::prepared_name(std::string_view sql) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return it->second;
  std::string name = "p" + std::to_string(prepared_.size() + 1);
  PQclear(checked(conn_, PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr),
                  first_words(sql)));
  return prepared_.emplace(std::move(key), std::move(name)).first->second;
}

PgResult PgConnection::query_params(std::string_view sql, const std::vector<Param>& params) {
  const std::string& name = prepared_name(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
  return PgResult(checked(conn_, r, first_words(sql)));
}

std::vector<PgResult> PgConnection::pipeline(const std::vector<Statement>& statements) {
  // Prepared first, outside the pipeline: a statement new to this connection costs one
  // round trip once.
  std::vector<const std::string*> names;
  names.reserve(statements.size());
  for (const auto& s : statements) names.push_back(&prepared_name(s.sql));

  if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr, "pipeline");
  std::vector<PgResult> results;
  results.reserve(statements.size());
  PGresult* failure = nullptr;  // the first failed statement's result
  std::string_view failed_sql;
  for (std::size_t begin = 0; begin < statements.size() && !failure; begin += kPipelineChunk) {
    std::size_t end = std::min(statements.size(), begin + kPipelineChunk);
    for (std::size_t i = begin; i < end; ++i) {
      std::vector<const char*> values;
      values.reserve(statements[i].params.size());
      for (const auto& p : statements[i].params) values.push_back(p ? p->c_str() : nullptr);
      if (PQsendQueryPrepared(conn_, names[i]->c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0) != 1) {
        fail(conn_, nullptr, first_words(statements[i].sql));
      }
    }
    if (PQpipelineSync(conn_) != 1) fail(conn_, nullptr, "pipeline sync");
    // Each statement's result is followed by a null; the chunk ends with the sync's result.
    for (std::size_t i = begin; i < end; ++i) {
      PGresult* r = PQgetResult(conn_);
      if (!r) fail(conn_, nullptr, first_words(statements[i].sql));
      auto status = PQresultStatus(r);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        results.emplace_back(r);
      } else if (status == PGRES_PIPELINE_ABORTED || failure) {
        PQclear(r);
      } else {
        failure = r;
        failed_sql = statements[i].sql;
      }
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    }
    PGresult* sync = PQgetResult(conn_);
    if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
      if (sync) PQclear(sync);
      if (failure) PQclear(failure);
      fail(conn_, nullptr, "pipeline sync");
    }
    PQclear(sync);
  }
  PQexitPipelineMode(conn_);
  if (failure) fail(conn_, failure, first_words(failed_sql));
  return results;
}

bool PgConnection::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void PgConnection::reset() {
  prepared_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) throw PgUnavailable("", message_of(conn_, "cannot reconnect"));
}

void begin_on_live_connection(PgConnection& conn) {
  try {
    conn.exec("BEGIN");
  } catch (const PgUnavailable&) {
    conn.reset();
    conn.exec("BEGIN");
  }
}

// --- PgTransaction ---

PgTransaction::PgTransaction(PgConnection& conn, const char* begin) : conn_(conn) {
  if (begin) conn_.exec(begin);
}

PgTransaction::~PgTransaction() {
  if (done_) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (...) {
    // The connection is broken; the pool resets it before its next use.
  }
}

void PgTransaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace parley::store::postgres
