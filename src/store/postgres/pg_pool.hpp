// A fixed-size pool of PostgreSQL connections shared by the threads of one node. A lease
// gives one connection to one thread; a connection found broken is reconnected before it
// is handed out again, so a node recovers by itself when the database is back.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

class PgPool {
 public:
  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // Connects lazily: at most `size` connections are opened, when first needed.
  PgPool(std::string conninfo, std::size_t size);

  // Waits for a free connection; throws PgError when the database cannot be reached.
  Lease acquire();

  const std::string& conninfo() const { return conninfo_; }

 private:
  void give_back(std::unique_ptr<PgConnection> conn);

  std::string conninfo_;
  std::size_t size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t open_ = 0;  // connections in existence (idle or leased)
};

}  // namespace parley::store::postgres
