// One WebSocket connection (docs/api.md "WebSocket"): authenticates the peer, handles
// its frames through the app services, and forwards bus events it may see. Everything
// of one session runs on its connection's I/O thread, so its state needs no lock. The wire protocol
// (handshake, frames, closing) is net/websocket_frame.hpp's; this file does the I/O.
//
// Ordering: per conversation the session remembers the highest seq it has sent; an
// event at or below it is dropped (no duplicates) and a gap is filled from the store
// before the event is sent (nothing lost, always in order).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>

#include "net/http_util.hpp"
#include "net/rate_limiter.hpp"
#include "net/services.hpp"
#include "observability/metrics.hpp"

namespace parley::net {

// What every WebSocket session of a server shares; owned by the server.
struct WebSocketSettings {
  // A peer owed a replay whose writer makes no progress this long is cut off.
  std::chrono::milliseconds write_stall;
  // A peer that has not authenticated (cookie or `auth` frame) this long is closed.
  std::chrono::milliseconds auth_timeout;
  // An authenticated peer from which nothing arrives this long is gone (clients ping every
  // 25 s); its socket is closed.
  std::chrono::milliseconds idle_timeout;
  core::RateLimit messages_per_socket;
  KeyedRateLimiter* messages_per_visitor;  // shared with the REST API
  observability::Metrics* metrics;         // open sockets by kind, refusals per socket
};

// Starts the session on the socket's executor and returns; it runs until the peer goes.
// `agent` is set when the upgrade request carried a valid session cookie; otherwise the
// peer must authenticate as a visitor. `slot` is the connection's place under the
// per-address cap, held until the socket closes.
void start_websocket_session(boost::asio::ip::tcp::socket socket, Request upgrade,
                             Services& services, std::optional<core::Agent> agent,
                             const WebSocketSettings& settings, std::shared_ptr<void> slot);

}  // namespace parley::net
