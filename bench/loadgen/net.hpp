// Client-side plumbing of the load generator: TCP connections from several loopback
// source addresses, one-shot HTTP calls on a keep-alive stream, WebSocket upgrades, and a
// scanner for the few fields of server frames the message phase needs.
//
// GCC 12 can destroy a non-trivial temporary inside a co_await expression twice, so these
// coroutines take std::string_view (trivial) parameters and callers pass named values.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using tcp = asio::ip::tcp;
using Ws = websocket::stream<beast::tcp_stream>;

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The steady_clock time point of a now_ns() value, for timers.
inline std::chrono::steady_clock::time_point at_ns(std::int64_t ns) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::nanoseconds(ns)));
}

// An account pattern with its "%d" replaced by n ("bench-agent-%d@bench.local", 3).
inline std::string format_index(const std::string& pattern, int n) {
  auto pos = pattern.find("%d");
  if (pos == std::string::npos) return pattern;
  return pattern.substr(0, pos) + std::to_string(n) + pattern.substr(pos + 2);
}

struct Target {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string host_header() const { return host + ":" + std::to_string(port); }
};

// Round robin over 127.0.0.2 .. 127.0.0.(1 + count), so that many connections to one
// server port do not exhaust one source address's ephemeral ports. count 0: no bind.
class SourceAddresses {
 public:
  explicit SourceAddresses(int count) : count_(count) {}
  std::optional<asio::ip::address_v4> next();

 private:
  int count_;
  std::atomic<unsigned> next_{0};
};

// Connects `stream` to the target, from `local` when given (the kernel picks the port).
awaitable<beast::error_code> tcp_connect(beast::tcp_stream& stream, const Target& target,
                                         std::optional<asio::ip::address_v4> local,
                                         std::chrono::milliseconds timeout);

struct HttpReply {
  beast::error_code ec;
  int status = 0;
  std::string body;
  std::string cookie;  // "name=value" of a Set-Cookie, when the server set one
  bool keep_alive = true;  // false: the server closes the connection after this reply
  std::string retry_after;  // the Retry-After header of a 429/503, when sent
};

// One request on an open keep-alive stream; the reply's ec is set on transport failure.
awaitable<HttpReply> http_call(beast::tcp_stream& stream, const Target& target, http::verb method,
                               std::string_view path, std::string_view body,
                               std::string_view cookie, std::string_view bearer,
                               std::chrono::milliseconds timeout);

// The JSON object in `text`, or nullopt.
std::optional<boost::json::object> parse_object(std::string_view text);

// A new visitor (POST /api/v1/visitor/session on `http`): its token. Throws with the
// server's answer when it is not one.
awaitable<std::string> new_visitor_token(beast::tcp_stream& http, const Target& target);

// The visitor of `token` asks for a chat (POST /api/v1/visitor/chats) with a pre-chat form of
// `name` and `email`: the new conversation's id. Throws unless the request is pending (an
// agent is available and has been offered it).
awaitable<std::int64_t> request_chat(beast::tcp_stream& http, const Target& target,
                                     const std::string& token, const std::string& name,
                                     const std::string& email);

// TCP connect + WebSocket upgrade on /ws, with the agent's cookie when not empty.
awaitable<beast::error_code> ws_connect(Ws& ws, const Target& target,
                                        std::optional<asio::ip::address_v4> local,
                                        std::string_view cookie,
                                        std::chrono::milliseconds timeout);

// --- frame scanning ---
// Server frames put "type" first (docs/api.md); the message phase reads only a few
// fields of frames whose bodies the load generator wrote itself, so a scan for
// `"key":` is exact here and ~20x cheaper than a full parse on the 2-core machine the
// server shares. Setup frames are parsed with Boost.JSON.
std::string_view frame_type(std::string_view frame);
// The first `"key":"value"` string value in the frame (no escapes), or empty.
std::string_view string_field(std::string_view frame, std::string_view key);
// The first `"key":123` integer value in the frame.
std::optional<std::int64_t> int_field(std::string_view frame, std::string_view key);

// Waits until `ready()` or the deadline, woken by cancel() on `signal` from the same
// executor; returns ready().
template <class Pred>
awaitable<bool> wait_until(asio::steady_timer& signal, Pred ready,
                           std::chrono::steady_clock::time_point deadline);

}  // namespace parley::bench

#include "net_impl.hpp"
