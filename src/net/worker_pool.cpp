#include "net/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os/thread_name.hpp"

namespace parley::net {

WorkerPool::WorkerPool(const std::string& name, int threads, int nice)
    : guard_(ioc_.get_executor()) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, nice, thread_name = name + "-" + std::to_string(i)] {
      os::name_this_thread(thread_name);
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
