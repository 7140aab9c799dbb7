// Threads for work that blocks: REST handlers wait for store commits and calendar
// fetches, logins spend ~50 ms of CPU on Argon2id. Running them here keeps the I/O
// threads free for live chats. A pool may run at a lower scheduling priority (nice), so
// that CPU-heavy work yields to latency-bound work when the machine is busy.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

namespace parley::net {

class WorkerPool {
 public:
  WorkerPool(int threads, int nice);
  ~WorkerPool();  // stops once the queued work is done
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `f()` on the pool; the awaiting coroutine resumes on its own executor.
  template <class F>
  boost::asio::awaitable<decltype(std::declval<F&>()())> run(F f) {
    using T = decltype(f());
    co_return co_await boost::asio::co_spawn(
        ioc_.get_executor(), [&]() -> boost::asio::awaitable<T> { co_return f(); },
        boost::asio::use_awaitable);
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace parley::net
