// A pool of read-only-by-use SQLite connections, so reads run in parallel with each other
// and, in WAL mode, never wait behind the single writer.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

class ReaderPool {
 public:
  // A connection leased to one thread; goes back to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(conn_)); }
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  // `on_open` prepares each new connection (attaches the search index).
  ReaderPool(std::string path, std::size_t max_idle, std::function<void(Connection&)> on_open)
      : path_(std::move(path)), max_idle_(max_idle), on_open_(std::move(on_open)) {}
  Lease lease();

 private:
  void give_back(std::unique_ptr<Connection> conn);

  std::string path_;
  std::size_t max_idle_;
  std::function<void(Connection&)> on_open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace parley::store::sqlite
