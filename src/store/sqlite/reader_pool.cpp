#include "store/sqlite/reader_pool.hpp"

namespace parley::store::sqlite {

ReaderPool::Lease ReaderPool::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  // Opened outside the lock: opening touches the file and should not stall other leases.
  // Readers need no fsync, so synchronous=NORMAL.
  auto conn = std::make_unique<Connection>(path_, false);
  if (on_open_) on_open_(*conn);
  conn->exec("PRAGMA query_only=1");  // a read path that tries to write is a bug: fail loudly
  return Lease(*this, std::move(conn));
}

void ReaderPool::give_back(std::unique_ptr<Connection> conn) {
  if (!conn) return;
  std::lock_guard lock(mutex_);
  // Beyond max_idle the connection just closes: a burst does not pin file handles forever.
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace parley::store::sqlite
