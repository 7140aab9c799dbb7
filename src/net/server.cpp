#include "net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <array>
#include <thread>
#include <vector>

#include "net/api_router.hpp"
#include "net/json_codec.hpp"
#include "net/log.hpp"
#include "net/websocket_session.hpp"

namespace parley::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

Response dispatch(Services& services, const StaticFiles& files, const Request& req) {
  std::string_view path = path_of(req.target());
  try {
    if (path.rfind("/api/", 0) == 0) return handle_api(services, req);
    if (path == "/healthz") return json_response(req, http::status::ok, R"({"status":"ok"})");
    if (path == "/ws") return error_response(req, core::bad_request("expected a WebSocket upgrade"));
    return files.serve(req);
  } catch (const std::exception& e) {
    log_error("request failed", {{"target", std::string(req.target())}, {"error", e.what()}});
    return error_response(req, {core::ErrorCode::internal, "internal error"});
  }
}

// The path as logged: a meeting's manage link carries its only credential in the path, so
// the token is left out ("/api/v1/meeting-links/…/cancel").
std::string loggable_path(std::string_view path) {
  constexpr std::string_view kLinks = "/api/v1/meeting-links/";
  if (!path.starts_with(kLinks)) return std::string(path);
  auto rest = path.substr(kLinks.size());
  auto slash = rest.find('/');
  return std::string(kLinks) + "\u2026" +
         std::string(slash == std::string_view::npos ? "" : rest.substr(slash));
}

// One structured line per HTTP request (the query string is left out: it may carry search
// terms). WebSocket frames are not logged.
void log_access(const Request& req, const Response& res, std::chrono::steady_clock::time_point started) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  log_info("http", {{"method", std::string(req.method_string())},
                    {"path", loggable_path(path_of(req.target()))},
                    {"status", res.result_int()},
                    {"ms", static_cast<double>(us.count()) / 1000.0}});
}

// Answers a request that could not be parsed, then the connection closes.
// Callers pass named values: GCC 12 can destroy a temporary inside a co_await
// expression twice, so no co_await in this file has a non-trivial temporary operand.
awaitable<void> reject(beast::tcp_stream& stream, http::status status, core::Error error) {
  Response res{status, 11};
  res.set(http::field::server, "parley");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.keep_alive(false);
  res.body() = error_body(error);
  res.prepare_payload();
  co_await http::async_write(stream, res, as_tuple_awaitable);
  // Lingering close: half-close, then drain what the peer is still sending (bounded),
  // so that closing with unread bytes does not reset the connection before the client
  // has read the answer.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(std::chrono::seconds(1));
  std::array<char, 16 * 1024> sink;
  for (std::size_t drained = 0; drained < 1024 * 1024;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), as_tuple_awaitable);
    if (ec) break;
    drained += n;
  }
}

awaitable<void> http_session(tcp::socket socket, Services& services, const StaticFiles& files) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    stream.expires_after(std::chrono::seconds(60));
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(kMaxAdminRequestBody);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, as_tuple_awaitable);
    boost::system::error_code ec = hec;
    if (!ec) {
      // Imports (admin files, an agent's calendar file) may be larger than anything a chat
      // client sends; the parser checked a declared length against the large limit, so
      // apply the smaller one here (and to chunked bodies as they arrive).
      bool admin = allows_large_body(path_of(parser.get().target()));
      auto declared = parser.content_length();
      if (!admin && declared && *declared > kMaxRequestBody) {
        ec = http::error::body_limit;
      } else {
        if (!admin) parser.body_limit(kMaxRequestBody);
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, as_tuple_awaitable);
        ec = bec;
      }
    }
    if (ec == http::error::body_limit) {
      core::Error too_large{core::ErrorCode::payload_too_large,
                            "request body over the limit (64 KiB; 4 MiB for imports)"};
      co_await reject(stream, http::status::payload_too_large, std::move(too_large));
      break;
    }
    if (ec == http::error::header_limit) {
      core::Error too_large = core::bad_request("request headers over 16 KiB");
      co_await reject(stream, http::status::request_header_fields_too_large, std::move(too_large));
      break;
    }
    if (ec) {
      // A peer that closed or timed out gets nothing; a malformed request gets a 400.
      if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
          ec != asio::error::connection_reset && ec != asio::error::eof &&
          ec != http::error::partial_message) {
        core::Error malformed = core::bad_request("malformed HTTP request");
        co_await reject(stream, http::status::bad_request, std::move(malformed));
      }
      break;
    }
    Request req = parser.release();
    if (beast::websocket::is_upgrade(req) && path_of(req.target()) == "/ws") {
      std::optional<core::Agent> agent;
      if (auto token = cookie_value(req, kSessionCookie)) {
        try {
          agent = services.auth.agent_for_session(*token);
        } catch (const std::exception& e) {
          log_error("session lookup failed", {{"error", e.what()}});
        }
        // A page on another site must not open a socket that rides on the cookie.
        if (agent && is_cross_origin(req)) {
          Response refused = error_response(req, core::forbidden("cross-origin WebSocket refused"));
          co_await http::async_write(stream, refused, as_tuple_awaitable);
          break;
        }
      }
      stream.expires_never();
      // The WebSocket runs as its own coroutine so this one ends now and frees its frame,
      // parser and buffer: an idle socket keeps only what the WebSocket needs.
      start_websocket_session(stream.release_socket(), std::move(req), services, std::move(agent));
      co_return;
    }
    auto started = std::chrono::steady_clock::now();
    Response res = dispatch(services, files, req);
    bool keep_alive = res.keep_alive();
    auto [wec, wn] = co_await http::async_write(stream, res, as_tuple_awaitable);
    log_access(req, res, started);
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

struct Server::Impl {
  Services& services;
  ServerOptions options;
  StaticFiles files;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;

  Impl(Services& s, ServerOptions o)
      : services(s),
        options(std::move(o)),
        files(options.web_root),
        ioc(options.threads),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] =
          co_await acceptor.async_accept(asio::make_strand(ioc), as_tuple_awaitable);
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Out of descriptors or similar: log, back off a little, keep serving.
        log_warn("accept failed", {{"error", ec.message()}});
        asio::steady_timer timer(ioc, std::chrono::milliseconds(50));
        co_await timer.async_wait(as_tuple_awaitable);
        continue;
      }
      // Chat frames are small and latency-bound: never let Nagle hold one back.
      boost::system::error_code nodelay_ec;
      socket.set_option(tcp::no_delay(true), nodelay_ec);
      auto executor = socket.get_executor();
      asio::co_spawn(executor, http_session(std::move(socket), services, files),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         log_error("connection failed", {{"error", ex.what()}});
                       }
                     });
    }
  }
};

Server::Server(Services& services, ServerOptions options)
    : impl_(std::make_unique<Impl>(services, std::move(options))) {}

Server::~Server() = default;

unsigned short Server::start() {
  auto& i = *impl_;
  tcp::endpoint endpoint(asio::ip::make_address(i.options.host), i.options.port);
  i.acceptor.open(endpoint.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(endpoint);
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
  i.signals.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log_info("shutting down", {{"signal", sig}});
    stop();
  });
  return i.acceptor.local_endpoint().port();
}

void Server::run() {
  auto& i = *impl_;
  std::vector<std::thread> threads;
  for (int t = 1; t < i.options.threads; ++t) threads.emplace_back([&i] { i.ioc.run(); });
  i.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  auto& i = *impl_;
  asio::post(i.ioc, [&i] {
    boost::system::error_code ignored;
    i.acceptor.close(ignored);
    i.signals.cancel(ignored);
    // Every acknowledgement was sent after its transaction committed, so stopping here
    // loses nothing that was accepted; clients reconnect and resume from their last seq.
    i.ioc.stop();
  });
}

}  // namespace parley::net
