#include "net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/as_tuple_awaitable.hpp"
#include "net/api_router.hpp"
#include "net/json_codec.hpp"
#include "net/log.hpp"
#include "net/connection_limit.hpp"
#include "net/metrics_endpoint.hpp"
#include "net/security_headers.hpp"
#include "net/websocket_session.hpp"
#include "net/worker_pool.hpp"
#include "observability/route_label.hpp"
#include "os/thread_name.hpp"

namespace parley::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;

namespace {

// What every connection of one server shares.
struct Shared {
  Services& services;
  const ServerOptions& options;
  const StaticFiles& files;
  Limiters& limiters;
  ConnectionLimit& connections;
  WorkerPool& workers;
  WorkerPool& hashing;
  WebSocketSettings ws;
  observability::Metrics& metrics;
  bool metrics_listener = false;  // the listener of its own: /metrics and nothing else
};

// 200 {"status":"ok"}, or 503 {"status":"unavailable","problems":[...]} while the database or
// the event bus cannot be reached. A change either way is logged once.
Response health_response(app::Health& health, const Request& req) {
  static std::atomic<bool> was_healthy{true};
  auto problems = health.problems();
  bool healthy = problems.empty();
  if (was_healthy.exchange(healthy) != healthy) {
    if (healthy) log_info("dependencies answer again");
    else log_warn("dependencies unavailable", {{"problems", boost::json::value_from(problems)}});
  }
  if (healthy) return json_response(req, http::status::ok, R"({"status":"ok"})");
  return json_response(req, http::status::service_unavailable,
                       boost::json::serialize(boost::json::object{
                           {"status", "unavailable"}, {"problems", boost::json::value_from(problems)}}));
}

// 200 {"status":"ready"}, or 503 {"status":"not_ready","problems":[...]} while this node's
// database takes no write or (in a cluster) its event bus is not connected.
Response readiness_response(app::Health& health, const Request& req) {
  auto problems = health.not_ready();
  if (problems.empty()) return json_response(req, http::status::ok, R"({"status":"ready"})");
  return json_response(req, http::status::service_unavailable,
                       boost::json::serialize(boost::json::object{
                           {"status", "not_ready"}, {"problems", boost::json::value_from(problems)}}));
}

Response dispatch(Shared& s, const Request& req, const RequestContext& context) {
  std::string_view path = path_of(req.target());
  try {
    if (s.metrics_listener) return metrics_listener_response(s.metrics, req);
    if (path.rfind("/api/", 0) == 0) return handle_api(s.services, req, context);
    if (path == "/healthz") return health_response(s.services.health, req);
    if (path == "/readyz") return readiness_response(s.services.health, req);
    if (path == "/metrics") return metrics_on_main_listener(s.metrics, req, s.options.metrics_token);
    if (path == "/ws") return error_response(req, core::bad_request("expected a WebSocket upgrade"));
    return s.files.serve(req);
  } catch (const core::Unavailable&) {
    // Logged by /healthz and the store's own reconnects; the client may simply retry.
    return error_response(req, {core::ErrorCode::unavailable,
                                "the database cannot be reached; try again shortly"});
  } catch (const std::exception& e) {
    log_error("request failed", {{"target", std::string(req.target())}, {"error", e.what()}});
    return error_response(req, {core::ErrorCode::internal, "internal error"});
  }
}

bool is_login(const Request& req) {
  // Setting a password from a link hashes one too, and guessing links is guessing passwords.
  auto path = path_of(req.target());
  return req.method() == http::verb::post &&
         (path == "/api/v1/auth/login" || path == "/api/v1/auth/password-link");
}

// The per-address limit a request counts against, if any (docs/api.md "Limits").
KeyedRateLimiter* limiter_for(Limiters& l, const Request& req) {
  if (is_login(req)) return &l.login_per_ip;
  if (req.method() != http::verb::post) return nullptr;
  std::string_view path = path_of(req.target());
  if (path == "/api/v1/visitor/session") return &l.visitor_sessions_per_ip;
  if (path == "/api/v1/visitor/chats") return &l.chat_requests_per_ip;
  return nullptr;
}

std::optional<core::Error> over_limit(KeyedRateLimiter* limiter, const std::string& client,
                                      std::string_view what) {
  if (!limiter) return std::nullopt;
  auto wait = limiter->take(client, limiter_now());
  if (!wait) return std::nullopt;
  return core::too_many_requests("too many " + std::string(what) + " from this address", wait);
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
// It is counted for /metrics too, under a bounded route label (observability/route_label.hpp).
void log_access(Shared& s, const Request& req, const Response& res,
                std::chrono::steady_clock::time_point started) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  auto path = path_of(req.target());
  int status = static_cast<int>(res.result_int());
  log_info("http", {{"method", std::string(req.method_string())},
                    {"path", loggable_path(path)},
                    {"status", status},
                    {"ms", static_cast<double>(us.count()) / 1000.0}});
  // The REST API's labels are the route table's patterns (net/api_router.hpp).
  static const observability::RouteLabels labels(api_route_labels());
  s.metrics.http_request(labels.label(path, status),
                         observability::method_label(req.method_string()), status,
                         static_cast<double>(us.count()) / 1e6);
}

// Answers a request that could not be parsed or was refused, then the connection closes.
// Callers pass named values: GCC 12 can destroy a temporary inside a co_await
// expression twice, so no co_await in this file has a non-trivial temporary operand.
awaitable<void> reject(beast::tcp_stream& stream, http::status status, core::Error error) {
  Response res{status, 11};
  res.set(http::field::server, "parley");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  set_retry_after(error, res);
  add_security_headers("", res);
  res.keep_alive(false);
  res.body() = error_body(error);
  res.prepare_payload();
  stream.expires_after(std::chrono::seconds(5));
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

// Reads one request: waits up to idle_timeout for its first byte (a keep-alive pause),
// then gives the header header_timeout and the body body_timeout, so a client that
// trickles bytes (slowloris) is cut off however slowly it sends.
awaitable<boost::system::error_code> read_request(beast::tcp_stream& stream,
                                                  beast::flat_buffer& buffer,
                                                  http::request_parser<http::string_body>& parser,
                                                  const ServerOptions& options) {
  if (buffer.size() == 0) {
    stream.expires_after(options.idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), as_tuple_awaitable);
    if (ec) co_return ec;
    buffer.commit(n);
  }
  stream.expires_after(options.header_timeout);
  auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, as_tuple_awaitable);
  if (hec) co_return hec;
  // Imports (admin files, an agent's calendar file) may be larger than anything a chat
  // client sends; the parser checked a declared length against the large limit, so
  // apply the smaller one here (and to chunked bodies as they arrive).
  bool admin = allows_large_body(path_of(parser.get().target()));
  auto declared = parser.content_length();
  if (!admin && declared && *declared > kMaxRequestBody) co_return http::error::body_limit;
  if (!admin) parser.body_limit(kMaxRequestBody);
  stream.expires_after(options.body_timeout);
  auto [bec, bn] = co_await http::async_read(stream, buffer, parser, as_tuple_awaitable);
  co_return bec;
}

RequestContext context_of(Shared& s, const Request& req, const asio::ip::address& peer) {
  bool trusted = is_trusted(peer, s.options.trusted_proxies);
  auto forwarded = req.find("X-Forwarded-For");
  auto client = client_address(
      peer, forwarded == req.end() ? std::string_view{} : std::string_view(forwarded->value()),
      s.options.trusted_proxies);
  bool https = s.options.public_url.starts_with("https://");
  if (trusted) {
    auto proto = req.find("X-Forwarded-Proto");
    if (proto != req.end() && beast::iequals(proto->value(), "https")) https = true;
  }
  return RequestContext{client.to_string(), https, s.limiters};
}

awaitable<void> http_session(tcp::socket socket, Shared& s) {
  boost::system::error_code peer_ec;
  auto peer = canonical(socket.remote_endpoint(peer_ec).address());
  if (peer_ec) co_return;
  auto slot = s.connections.acquire(peer.to_string(), is_trusted(peer, s.options.trusted_proxies));
  beast::tcp_stream stream(std::move(socket));
  if (!slot) {
    core::Error refused = core::too_many_requests("too many open connections from this address", 1000);
    co_await reject(stream, http::status::too_many_requests, std::move(refused));
    co_return;
  }
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(kMaxAdminRequestBody);
    auto ec = co_await read_request(stream, buffer, parser, s.options);
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
    auto context = context_of(s, req, peer);
    bool upgrade = !s.metrics_listener && beast::websocket::is_upgrade(req) &&
                   path_of(req.target()) == "/ws";
    auto* limiter = upgrade ? &s.limiters.ws_upgrades_per_ip : limiter_for(s.limiters, req);
    auto refused = over_limit(s.metrics_listener ? nullptr : limiter, context.client,
                              upgrade ? "WebSocket connections" : "requests");
    if (refused) {
      Response res = error_response(req, *refused);
      add_security_headers(path_of(req.target()), res);
      // The widget on another site must be able to read why (the visitor API is CORS *).
      if (path_of(req.target()).starts_with("/api/v1/visitor/")) {
        res.set(http::field::access_control_allow_origin, "*");
      }
      auto [wec, wn] = co_await http::async_write(stream, res, as_tuple_awaitable);
      log_access(s, req, res, std::chrono::steady_clock::now());
      if (wec || !res.keep_alive() || upgrade) break;
      continue;
    }
    if (upgrade) {
      std::optional<core::Agent> agent;
      if (auto token = cookie_value(req, kSessionCookie)) {
        try {
          agent = co_await s.workers.run([&] { return s.services.auth.agent_for_session(*token); });
        } catch (const std::exception& e) {
          log_error("session lookup failed", {{"error", e.what()}});
        }
        // A page on another site must not open a socket that rides on the cookie.
        if (agent && is_cross_origin(req)) {
          Response refused_origin = error_response(req, core::forbidden("cross-origin WebSocket refused"));
          co_await http::async_write(stream, refused_origin, as_tuple_awaitable);
          break;
        }
      }
      stream.expires_never();
      // The WebSocket runs as its own coroutine so this one ends now and frees its frame,
      // parser and buffer: an idle socket keeps only what the WebSocket needs.
      start_websocket_session(stream.release_socket(), std::move(req), s.services, std::move(agent),
                              s.ws, std::move(slot));
      co_return;
    }
    auto started = std::chrono::steady_clock::now();
    // The API's handlers block (store writes, fetches, hashing), and so do /healthz and
    // /readyz (a round trip to the database) and /metrics (it counts pending offers): never
    // on an I/O thread.
    auto path = path_of(req.target());
    bool api = path.starts_with("/api/") || path == "/healthz" || path == "/readyz" ||
               path == "/metrics" || s.metrics_listener;
    Response res;
    if (api) {
      WorkerPool& pool = is_login(req) ? s.hashing : s.workers;  // a login hashes a password
      res = co_await pool.run([&] { return dispatch(s, req, context); });
    } else {
      res = dispatch(s, req, context);
    }
    add_security_headers(path_of(req.target()), res);
    bool keep_alive = res.keep_alive();
    // A peer that does not take the answer within a minute is gone.
    stream.expires_after(std::chrono::seconds(60));
    auto [wec, wn] = co_await http::async_write(stream, res, as_tuple_awaitable);
    log_access(s, req, res, started);
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

struct Server::Impl {
  Services& services;
  ServerOptions options;
  observability::Metrics own_metrics;  // used when the process gave none
  observability::Metrics& metrics;
  StaticFiles files;
  Limiters limiters;
  ConnectionLimit connections;  // outlives the contexts: the sessions they destroy hold slots
  // What every connection shares (sessions keep a reference to its WebSocket settings):
  // declared before the contexts so that it outlives every session and every running
  // handler. It only holds the pools' addresses until they are built below.
  Shared shared;
  Shared metrics_shared;  // the same, for the metrics listener's connections
  // One io_context per I/O thread, each run by that thread alone. A connection lives on one
  // of them (round robin at accept), so its handlers run in order without a strand, and the
  // threads never share a handler queue: with one context for all threads, waking each
  // other through its lock and condition variable was most of the server's futex calls.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  asio::io_context& ioc;  // the first context: listeners, signals, the commits' answers
  std::size_t next_context = 0;  // used by the accept loops, which run on ioc
  // Destroyed before the contexts: work still running resumes its coroutine into a stopped
  // context.
  WorkerPool workers;
  WorkerPool hashing;
  tcp::acceptor acceptor;
  tcp::acceptor metrics_acceptor;
  asio::signal_set signals;

  Impl(Services& s, ServerOptions o)
      : services(s),
        options(std::move(o)),
        metrics(options.metrics ? *options.metrics : own_metrics),
        files(options.web_root),
        limiters(options.limits, &metrics),
        connections(options.max_connections_per_ip),
        shared{services, options, files, limiters, connections, workers, hashing,
               WebSocketSettings{options.ws_write_stall, options.auth_timeout, options.ws_idle_timeout,
                                 options.limits.messages_per_socket, &limiters.messages_per_visitor,
                                 &metrics},
               metrics},
        metrics_shared(shared),
        contexts(make_contexts(options.threads)),
        ioc(*contexts.front()),
        workers("worker", options.workers, 0),
        hashing("hash", options.hash_workers, 19),
        acceptor(ioc),
        metrics_acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {
    metrics_shared.metrics_listener = true;
    for (auto& c : contexts) keep_running.push_back(asio::make_work_guard(*c));
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int t = 0; t < std::max(threads, 1); ++t) {
      out.push_back(std::make_unique<asio::io_context>(1));  // 1: run by one thread
    }
    return out;
  }

  asio::io_context::executor_type next_connection_executor() {
    return contexts[next_context++ % contexts.size()]->get_executor();
  }

  awaitable<void> accept_loop(tcp::acceptor& listener, Shared& with) {
    for (;;) {
      auto [ec, socket] =
          co_await listener.async_accept(next_connection_executor(), as_tuple_awaitable);
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
      asio::co_spawn(executor, http_session(std::move(socket), with),
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

namespace {
void listen_on(tcp::acceptor& acceptor, const std::string& host, unsigned short port) {
  tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
}
}  // namespace

unsigned short Server::start() {
  auto& i = *impl_;
  listen_on(i.acceptor, i.options.host, i.options.port);
  asio::co_spawn(i.ioc, i.accept_loop(i.acceptor, i.shared), asio::detached);
  if (i.options.metrics_listen) {
    listen_on(i.metrics_acceptor, i.options.metrics_listen->first, i.options.metrics_listen->second);
    asio::co_spawn(i.ioc, i.accept_loop(i.metrics_acceptor, i.metrics_shared), asio::detached);
  }
  i.signals.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log_info("shutting down", {{"signal", sig}});
    stop();
  });
  return i.acceptor.local_endpoint().port();
}

unsigned short Server::metrics_port() const {
  auto& i = *impl_;
  if (!i.metrics_acceptor.is_open()) return 0;
  boost::system::error_code ec;
  return i.metrics_acceptor.local_endpoint(ec).port();
}

void Server::run() {
  auto& i = *impl_;
  // The answers of one commit (acknowledgements and the events for the other sockets) reach
  // the first I/O thread as one handler, in commit order: the store wakes one thread once
  // per commit, and that thread's posts to its own connections wake nobody.
  i.services.chats.hand_off_answers(
      [&ioc = i.ioc](std::function<void()> batch) { asio::post(ioc, std::move(batch)); });
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < i.contexts.size(); ++t) {
    threads.emplace_back([&c = *i.contexts[t], t] {
      os::name_this_thread("io-" + std::to_string(t));  // the main thread is I/O thread 0
      c.run();
    });
  }
  i.ioc.run();
  for (auto& t : threads) t.join();
  // Nothing runs the contexts any more: later answers (the shutdown flush) run in the store.
  i.services.chats.hand_off_answers({});
}

void Server::stop() {
  auto& i = *impl_;
  asio::post(i.ioc, [&i] {
    boost::system::error_code ignored;
    i.acceptor.close(ignored);
    i.metrics_acceptor.close(ignored);
    i.signals.cancel(ignored);
    // Every acknowledgement was sent after its transaction committed, so stopping here
    // loses nothing that was accepted; clients reconnect and resume from their last seq.
    i.keep_running.clear();
    for (auto& c : i.contexts) c->stop();
  });
}

}  // namespace parley::net
