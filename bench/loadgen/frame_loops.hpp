// The two loops every load-generator WebSocket runs: one writer draining the socket's queue of
// frames in order, one reader handing each received frame to the socket. Shared by the chat
// scenarios (chat.cpp) and the long chat (long_chat.cpp).
//
// `Socket` provides: ws_ (a beast websocket stream), out_ (a std::deque<std::string> of frames
// to send), dead_ and writing_ (bools), on_dead(ec, where) and on_frame(std::string_view).
// A socket that keeps them private befriends both templates.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <string_view>

namespace parley::bench {

// Writes the queued frames one after the other until the queue is empty (or the socket died),
// then clears writing_ so that the next send starts a writer again.
template <class Socket>
boost::asio::awaitable<void> write_frames(std::shared_ptr<Socket> self) {
  constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  while (!self->out_.empty() && !self->dead_) {
    auto [ec, n] = co_await self->ws_.async_write(boost::asio::buffer(self->out_.front()), tuple);
    if (ec) {
      self->on_dead(ec, "write");
      break;
    }
    self->out_.pop_front();
  }
  self->writing_ = false;
}

// Reads frames until the socket fails or closes; each one goes to on_frame.
template <class Socket>
boost::asio::awaitable<void> read_frames(std::shared_ptr<Socket> self) {
  constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  boost::beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await self->ws_.async_read(buffer, tuple);
    if (ec) {
      self->on_dead(ec, "read");
      co_return;
    }
    auto data = buffer.cdata();
    self->on_frame(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buffer.consume(buffer.size());
  }
}

}  // namespace parley::bench
