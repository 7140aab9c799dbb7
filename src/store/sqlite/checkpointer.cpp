#include "store/sqlite/checkpointer.hpp"

#include <sqlite3.h>

#include "os/thread_name.hpp"

namespace parley::store::sqlite {

Checkpointer::Checkpointer(const std::string& path) : conn_(path, true) {
  thread_ = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Checkpointer::loop() {
  os::name_this_thread("checkpointer");
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kInterval, [this] { return stopping_; })) {
    lock.unlock();
    // PASSIVE: copies what it can without blocking the writer or readers; a busy result
    // just means "again next time".
    sqlite3_wal_checkpoint_v2(conn_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace parley::store::sqlite
