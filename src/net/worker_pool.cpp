#include "net/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parley::net {

WorkerPool::WorkerPool(int threads, int nice) : guard_(ioc_.get_executor()) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, nice] {
      // Linux schedules threads individually: this lowers only the pool's own threads.
      if (nice != 0) setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice);
      ioc_.run();
    });
  }
}

WorkerPool::~WorkerPool() {
  guard_.reset();
  for (auto& t : threads_) t.join();
}

}  // namespace parley::net
