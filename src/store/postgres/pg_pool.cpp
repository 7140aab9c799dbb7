#include "store/postgres/pg_pool.hpp"

namespace parley::store::postgres {

PgPool::PgPool(std::string conninfo, std::size_t size)
    : conninfo_(std::move(conninfo)), size_(size) {}

PgPool::Lease PgPool::acquire() {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; connect outside the lock
    }
  }
  try {
    if (!conn) conn = std::make_unique<PgConnection>(conninfo_);
    else if (!conn->healthy()) conn->reset();
  } catch (...) {
    std::lock_guard lock(mutex_);
    --open_;
    freed_.notify_one();
    throw;
  }
  return Lease(*this, std::move(conn));
}

void PgPool::give_back(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(conn));
  freed_.notify_one();
}

}  // namespace parley::store::postgres
