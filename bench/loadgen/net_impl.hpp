#pragma once
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace parley::bench {

template <class Pred>
awaitable<bool> wait_until(asio::steady_timer& signal, Pred ready,
                           std::chrono::steady_clock::time_point deadline) {
  while (!ready() && std::chrono::steady_clock::now() < deadline) {
    signal.expires_at(deadline);
    co_await signal.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return ready();
}

}  // namespace parley::bench
