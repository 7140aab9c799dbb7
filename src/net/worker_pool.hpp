// Threads for work that blocks: REST handlers wait for store commits and calendar
// fetches, logins spend ~50 ms of CPU on Argon2id. Running them here keeps the I/O
// threads free for live chats. A pool may run at a lower scheduling priority (nice), so
// that CPU-heavy work yields to latency-bound work when the machine is busy.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace parley::net {

class WorkerPool {
 public:
  // Its threads are named `name`-0, `name`-1, ... (os/thread_name.hpp).
  WorkerPool(const std::string& name, int threads, int nice);
  ~WorkerPool();  // stops once the queued work is done
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `f()` on the pool; the awaiting coroutine resumes on its own executor as soon as
  // f returns. (Not co_spawn: its completion is queued behind the pool's other work
  // first, so under load every answer would wait for the whole queue to drain.)
  template <class F>
  auto run(F f) -> boost::asio::awaitable<decltype(f())> {
    using T = decltype(f());
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, T)>(
        [this](auto handler, F work) {
          auto guard = boost::asio::make_work_guard(handler);
          boost::asio::post(ioc_, [handler = std::move(handler), work = std::move(work),
                                   guard = std::move(guard)]() mutable {
            std::exception_ptr error;
            T result{};
            try {
              result = work();
            } catch (...) {
              error = std::current_exception();
            }
            auto back = guard.get_executor();
            boost::asio::dispatch(back, [handler = std::move(handler), error,
                                         result = std::move(result)]() mutable {
              std::move(handler)(error, std::move(result));
            });
          });
        },
        boost::asio::use_awaitable, std::move(f));
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace parley::net
