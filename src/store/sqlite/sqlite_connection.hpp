// Thin RAII wrappers over the sqlite3 C API: a connection with a prepared-statement cache,
// a statement handle with typed binds and column reads, and a transaction guard.
// Every SQLite error becomes a SqliteError (a StoreFailure) carrying the extended code.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace parley::store::sqlite {

struct SqliteError : StoreFailure {
  SqliteError(int code, const std::string& what) : StoreFailure(what), code(code) {}
  int code;  // the extended result code
  bool is_unique_violation() const;
};

class Connection;

// A prepared statement borrowed from the connection's cache (or owned, when the cached
// one is already in use further up the stack). Reset and unbound when it goes away, so the
// next borrower starts clean and no read transaction stays open on a reader connection.
class Statement {
 public:
  Statement(Connection& conn, sqlite3_stmt* stmt, bool owned, bool* in_use);
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, bool value) { return bind(index, std::int64_t{value ? 1 : 0}); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  // Binds the arguments to ?1, ?2, ... in order.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no row (or whose rows are not wanted).
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  bool flag(int column) const { return int64(column) != 0; }  // 0/1 columns
  std::string text(int column) const;
  std::optional<std::int64_t> opt_int64(int column) const;
  std::optional<std::string> opt_text(int column) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool owned_;
  bool* in_use_;
};

class Connection {
 public:
  // Opens (creating if needed) the file, with WAL, foreign keys and a busy timeout.
  // `synchronous_full` is for the write connection: a commit is on disk when it returns.
  Connection(const std::string& path, bool synchronous_full);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  Statement prepare(std::string_view sql);
  // Runs one or more statements with no parameters and no wanted rows.
  void exec(const char* sql);
  std::int64_t changes() const;
  // The rowid of the last row this connection inserted (outside triggers).
  std::int64_t last_insert_rowid() const;

  sqlite3* handle() const { return db_; }
  [[noreturn]] void fail(int rc, std::string_view context) const;

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Looked up by the caller's string_view without building a std::string per prepare.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
};

// A nested unit of work inside the group-commit batch (a SAVEPOINT): commit() releases it
// into the batch, which becomes durable when the batch commits; otherwise its writes are
// rolled back on destruction and the rest of the batch is untouched.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace parley::store::sqlite
