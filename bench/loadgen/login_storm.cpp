#include "login_storm.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

#include "histogram.hpp"
#include "result.hpp"

namespace parley::bench {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
// A login slower than this is given up on (and counted in transport_errors).
constexpr auto kCallTimeout = 30s;
// After a 429 or a failed connect: long enough not to spin, short enough to keep pressing.
constexpr auto kPause = 100ms;
}  // namespace

// Everything below is touched by the storm's own thread only, until join() has returned
// (`running` is the one thing the caller reads while it runs).
struct LoginStorm::State {
  State(const StormOptions& opts, const Target& t, int source_addresses)
      : o(opts), target(t), sources(source_addresses) {}

  StormOptions o;
  Target target;
  SourceAddresses sources;
  asio::io_context ioc{1};
  std::thread thread;
  std::int64_t start_ns = 0, end_ns = 0;
  std::atomic<int> running{0};

  Histogram latency;  // round trips of the answers that checked a password (200 and 401)
  std::uint64_t attempts = 0, ok = 0, unauthorized = 0, throttled = 0, other_status = 0,
                transport_errors = 0;
  std::int64_t last_reply_ns = 0;
  std::string retry_after;  // the last Retry-After seen
  std::vector<std::string> errors;

  void note(std::string what) {
    if (errors.size() < 10) errors.push_back(std::move(what));
  }
};

namespace {

awaitable<void> pause(asio::io_context& ioc, std::chrono::milliseconds d) {
  asio::steady_timer t(ioc, d);
  co_await t.async_wait(tuple_awaitable);
}

awaitable<void> login_client(LoginStorm::State& s, int i) {
  const int account = i % std::max(1, s.o.accounts) + 1;
  const std::string email = format_index(s.o.email, account);
  const std::string password = s.o.wrong_password ? s.o.password + "-wrong" : s.o.password;
  const std::string body = json::serialize(json::object{{"email", email}, {"password", password}});
  const std::string_view path = "/api/v1/auth/login";
  const auto local = s.sources.next();  // one source address per client, as a browser has

  if (now_ns() < s.start_ns) {
    asio::steady_timer t(s.ioc, at_ns(s.start_ns));
    co_await t.async_wait(tuple_awaitable);
  }
  std::unique_ptr<beast::tcp_stream> stream;
  while (now_ns() < s.end_ns) {
    if (!stream) {
      stream = std::make_unique<beast::tcp_stream>(s.ioc);
      auto ec = co_await tcp_connect(*stream, s.target, local, kCallTimeout);
      if (ec) {
        s.transport_errors++;
        s.note("client " + std::to_string(i) + " connect: " + ec.message());
        stream.reset();
        co_await pause(s.ioc, kPause);
        continue;
      }
    }
    std::int64_t sent = now_ns();
    auto reply =
        co_await http_call(*stream, s.target, http::verb::post, path, body, "", "", kCallTimeout);
    std::int64_t done = now_ns();
    s.attempts++;
    if (reply.ec) {
      // A keep-alive connection the server closed between requests fails here once; a
      // reconnect follows. A timeout (a stalled server) is worth a line in the errors.
      s.transport_errors++;
      if (reply.ec != http::error::end_of_stream) s.note(email + " login: " + reply.ec.message());
      stream.reset();
      continue;
    }
    s.last_reply_ns = std::max(s.last_reply_ns, done);
    if (reply.status == 200 || reply.status == 401) {
      s.latency.record(static_cast<std::uint64_t>(done - sent));
    }
    if (reply.status == 200) {
      s.ok++;
    } else if (reply.status == 401) {
      s.unauthorized++;
      if (!s.o.wrong_password) s.note(email + " login refused (401): does the account exist?");
    } else if (reply.status == 429) {
      s.throttled++;
      s.retry_after = reply.retry_after;
    } else {
      s.other_status++;
      s.note(email + " login: HTTP " + std::to_string(reply.status) + " " +
             reply.body.substr(0, 200));
    }
    if (!reply.keep_alive) stream.reset();
    if (reply.status == 429) co_await pause(s.ioc, kPause);
  }
}

}  // namespace

LoginStorm::LoginStorm(const StormOptions& options, const Target& target, int source_addresses)
    : s_(std::make_unique<State>(options, target, source_addresses)) {}

LoginStorm::~LoginStorm() {
  if (s_->thread.joinable()) join();
}

void LoginStorm::start(std::int64_t start_ns, std::int64_t end_ns) {
  s_->start_ns = start_ns;
  s_->end_ns = end_ns;
  State& s = *s_;
  s.running = s.o.clients;
  for (int i = 0; i < s.o.clients; ++i) {
    asio::co_spawn(s.ioc, login_client(s, i), [&s, i](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          s.note("client " + std::to_string(i) + ": " + x.what());
        }
      }
      s.running--;
    });
  }
  s.thread = std::thread([&s] {
    auto guard = asio::make_work_guard(s.ioc);
    // The guard keeps run() going until join() stops it, even if every client has ended.
    s.ioc.run();
  });
}

void LoginStorm::join() {
  State& s = *s_;
  if (!s.thread.joinable()) return;
  // A client in a call finishes it (each call is bounded by kCallTimeout) and then ends.
  auto deadline = at_ns(s.end_ns) + kCallTimeout + 5s;
  while (s.running > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  s.ioc.stop();
  s.thread.join();
}

json::object LoginStorm::figures() const {
  const State& s = *s_;
  // Logins sent before the end are answered after it; the storm lasts until the last answer.
  double window_s =
      std::max(1e-9, static_cast<double>(std::max(s.end_ns, s.last_reply_ns) - s.start_ns) / 1e9);
  json::array errors;
  for (const auto& e : s.errors) errors.push_back(json::value(e));
  json::object f{{"clients", s.o.clients},
                 {"accounts", s.o.accounts},
                 {"wrong_password", s.o.wrong_password},
                 {"window_s", window_s},
                 {"attempts", s.attempts},
                 {"ok", s.ok},
                 {"unauthorized", s.unauthorized},
                 {"throttled", s.throttled},
                 {"other_status", s.other_status},
                 {"transport_errors", s.transport_errors},
                 {"logins_per_s", static_cast<double>(s.ok) / window_s},
                 {"password_checks_per_s", static_cast<double>(s.ok + s.unauthorized) / window_s},
                 {"latency", latency_json(s.latency)},
                 {"errors", std::move(errors)}};
  if (!s.retry_after.empty()) f["last_retry_after"] = s.retry_after;
  return f;
}

}  // namespace parley::bench
