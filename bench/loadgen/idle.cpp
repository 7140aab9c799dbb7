// The idle scenario: N visitor WebSocket connections that authenticate and then sit idle,
// and what they cost the server in resident memory.
//
// One process may hold at most ~19.9k descriptors here (hard RLIMIT_NOFILE), so the
// connections are split over K child processes forked before any Asio object exists.
// The parent only coordinates: it reads the server's VmRSS, lets the children connect,
// reads VmRSS again once every child reports, then releases them.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "proc_stats.hpp"
#include "result.hpp"
#include "scenarios.hpp"

namespace parley::bench {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

struct ChildState {
  std::atomic<int> held{0}, failed{0}, attempted{0};
  std::atomic<bool> releasing{false};
  std::mutex mu;
  std::string first_error;
  void fail(const std::string& e) {
    failed++;
    std::lock_guard lock(mu);
    if (first_error.empty()) first_error = e;
  }
};

struct IdleConn {
  explicit IdleConn(asio::io_context& ioc) : ws(ioc) {}
  Ws ws;
  beast::flat_buffer buffer;
};

// Holds the connection: a pending read, as a real widget has, until the server closes it.
awaitable<void> hold(std::shared_ptr<IdleConn> c, ChildState& st) {
  for (;;) {
    auto [ec, n] = co_await c->ws.async_read(c->buffer, tuple_awaitable);
    if (ec) {
      if (!st.releasing) {
        st.held--;
        st.fail("held connection closed: " + ec.message());
      }
      co_return;
    }
    c->buffer.consume(c->buffer.size());
  }
}

awaitable<void> connect_one(asio::io_context& ioc, const Target& target, SourceAddresses& sources,
                            const std::string& token, ChildState& st,
                            std::vector<std::shared_ptr<IdleConn>>& keep) {
  auto c = std::make_shared<IdleConn>(ioc);
  auto local = sources.next();
  auto ec = co_await ws_connect(c->ws, target, local, "", 30s);
  if (ec) {
    st.fail("connect/upgrade: " + ec.message());
    co_return;
  }
  std::string auth = json::serialize(json::object{{"type", "auth"}, {"visitor_token", token}});
  auto [wec, wn] = co_await c->ws.async_write(asio::buffer(auth), tuple_awaitable);
  if (wec) {
    st.fail("auth write: " + wec.message());
    co_return;
  }
  for (;;) {
    auto [rec, rn] = co_await c->ws.async_read(c->buffer, tuple_awaitable);
    if (rec) {
      st.fail("waiting for hello: " + rec.message());
      co_return;
    }
    auto data = c->buffer.cdata();
    std::string_view frame(static_cast<const char*>(data.data()), data.size());
    auto type = frame_type(frame);
    c->buffer.consume(c->buffer.size());
    if (type == "hello") break;
    if (type == "error") {
      st.fail("auth refused");
      co_return;
    }
  }
  st.held++;
  keep.push_back(c);
  asio::co_spawn(ioc, hold(c, st), asio::detached);
}

awaitable<void> connect_worker(asio::io_context& ioc, const Target& target, SourceAddresses& sources,
                               const std::string& token, int count, std::atomic<int>& next,
                               ChildState& st, std::vector<std::shared_ptr<IdleConn>>& keep) {
  for (;;) {
    int i = next++;
    if (i >= count) co_return;
    co_await connect_one(ioc, target, sources, token, st, keep);
    st.attempted++;
  }
}

void write_line(int fd, const std::string& line) {
  std::string s = line + "\n";
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Reads one line from fd, waiting until the deadline. Empty on timeout or EOF.
std::string read_line(int fd, Clock::time_point deadline) {
  std::string line;
  char ch;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return line;
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = ::read(fd, &ch, 1);
    if (n <= 0) return line;
    if (ch == '\n') return line;
    line += ch;
  }
}

[[noreturn]] void child_main(const IdleOptions& o, const std::string& token, int count, int child,
                             int report_fd, int release_fd) {
  raise_fd_limit();
  asio::io_context ioc{1};
  // Each child starts its round robin at another source address.
  SourceAddresses sources(o.common.source_addresses);
  for (int k = 0; k < child * 7; ++k) sources.next();
  ChildState st;
  std::vector<std::shared_ptr<IdleConn>> keep;
  keep.reserve(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  auto start = Clock::now();
  int workers = std::max(1, std::min(o.concurrency, count));
  for (int k = 0; k < workers; ++k) {
    asio::co_spawn(ioc, connect_worker(ioc, o.common.target, sources, token, count, next, st, keep),
                   asio::detached);
  }
  auto guard = asio::make_work_guard(ioc);
  std::thread io([&] { ioc.run(); });
  auto deadline = start + std::chrono::milliseconds(static_cast<long>(o.timeout_s * 1000));
  while (st.attempted < count && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::string err;
  {
    std::lock_guard lock(st.mu);
    err = st.first_error;
  }
  for (auto& ch : err) if (ch == '\n' || ch == '\t') ch = ' ';
  write_line(report_fd, std::to_string(st.held.load()) + "\t" + std::to_string(st.failed.load()) +
                            "\t" + std::to_string(elapsed) + "\t" + err);
  // Hold until the parent closes the release pipe (or the scenario's time is up).
  read_line(release_fd, deadline + 30s);
  write_line(report_fd, std::to_string(st.held.load()));
  st.releasing = true;
  ::close(report_fd);
  _exit(0);  // the kernel closes the sockets at once; no need to tear down one by one
}

std::string new_visitor_token(const Target& target, std::string& error) {
  asio::io_context ioc{1};
  std::string token;
  asio::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        beast::tcp_stream http(ioc);
        auto ec = co_await tcp_connect(http, target, std::nullopt, 10s);
        if (ec) {
          error = "connect: " + ec.message();
          co_return;
        }
        std::string_view path = "/api/v1/visitor/session";
        auto reply = co_await http_call(http, target, http::verb::post, path, "", "", "", 30s);
        if (reply.ec || reply.status != 201) {
          error = "visitor session: HTTP " + std::to_string(reply.status) + " " + reply.body;
          co_return;
        }
        boost::system::error_code jec;
        auto v = json::parse(reply.body, jec);
        if (jec || !v.is_object() || !v.as_object().contains("visitor_token")) {
          error = "visitor session: unexpected body";
          co_return;
        }
        token = std::string(v.as_object().at("visitor_token").as_string());
      },
      asio::detached);
  ioc.run();
  return token;
}

}  // namespace

int run_idle(const IdleOptions& o) {
  raise_fd_limit();
  pid_t pid = o.common.server_pid;
  std::string error;
  // One visitor token for every idle socket (a visitor may have many tabs open); a
  // session per socket would measure the visitors table, not the connection.
  std::string token = o.common.baseline ? "visitor:1" : new_visitor_token(o.common.target, error);
  json::array errors;
  if (token.empty()) {
    std::cerr << "idle: " << error << "\n";
    errors.push_back(json::value(error));
  }
  int procs = o.procs > 0 ? o.procs : std::max(1, static_cast<int>(std::ceil(o.connections / 9000.0)));

  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(o.settle_s * 500)));
  auto rss_before = pid ? rss_bytes(pid) : std::nullopt;

  struct Child {
    pid_t pid = -1;
    int report = -1, release = -1, count = 0;
    int held = 0, failed = 0, final_held = 0;
    double elapsed = 0;
    std::string error;
  };
  std::vector<Child> children;
  auto start = Clock::now();
  if (!token.empty()) {
    for (int k = 0; k < procs; ++k) {
      int count = o.connections / procs + (k < o.connections % procs ? 1 : 0);
      int report[2], release[2];
      if (pipe(report) != 0 || pipe(release) != 0) {
        errors.push_back(json::value("pipe failed"));
        break;
      }
      std::cout.flush();
      pid_t child = fork();
      if (child == 0) {
        ::close(report[0]);
        ::close(release[1]);
        for (auto& c : children) {
          ::close(c.report);
          ::close(c.release);
        }
        child_main(o, token, count, k, report[1], release[0]);
      }
      ::close(report[1]);
      ::close(release[0]);
      Child ch;
      ch.pid = child;
      ch.report = report[0];
      ch.release = release[1];
      ch.count = count;
      children.push_back(ch);
    }
  }
  auto deadline = start + std::chrono::milliseconds(static_cast<long>(o.timeout_s * 1000)) + 10s;
  for (auto& c : children) {
    std::string line = read_line(c.report, deadline);
    std::istringstream in(line);
    std::string elapsed;
    std::getline(in, elapsed, '\t');
    c.held = std::atoi(elapsed.c_str());
    std::getline(in, elapsed, '\t');
    c.failed = std::atoi(elapsed.c_str());
    std::getline(in, elapsed, '\t');
    c.elapsed = std::atof(elapsed.c_str());
    std::getline(in, c.error);
    if (line.empty()) c.error = "child reported nothing in time";
  }
  double connect_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(o.settle_s * 1000)));
  auto rss_after = pid ? rss_bytes(pid) : std::nullopt;
  for (auto& c : children) ::close(c.release);
  for (auto& c : children) {
    std::string line = read_line(c.report, Clock::now() + 30s);
    c.final_held = line.empty() ? 0 : std::atoi(line.c_str());
    ::close(c.report);
    int status = 0;
    waitpid(c.pid, &status, 0);
  }

  int held = 0, failed = 0, final_held = 0;
  for (const auto& c : children) {
    held += c.held;
    failed += c.failed;
    final_held += c.final_held;
    if (!c.error.empty()) errors.push_back(json::value("process " + std::to_string(c.pid) + ": " + c.error));
  }
  json::object figures{{"connections_requested", o.connections},
                       {"connections_held", held},
                       {"connections_failed", failed},
                       {"connections_held_at_release", final_held},
                       {"procs", static_cast<int>(children.size())},
                       {"connect_s", connect_s},
                       {"connect_per_s", connect_s > 0 ? held / connect_s : 0.0}};
  if (rss_before) figures["server_rss_before_bytes"] = *rss_before;
  if (rss_after) figures["server_rss_after_bytes"] = *rss_after;
  if (rss_before && rss_after && held > 0) {
    figures["rss_per_conn_bytes"] =
        (static_cast<double>(*rss_after) - static_cast<double>(*rss_before)) / held;
  }
  json::object params{{"connections", o.connections},
                      {"procs", procs},
                      {"concurrency", o.concurrency},
                      {"settle_s", o.settle_s},
                      {"source_addresses", o.common.source_addresses},
                      {"port", o.common.target.port},
                      {"server_pid", pid}};
  std::string target = o.common.baseline ? "baseline" : "parley";
  std::string name = o.common.name.empty() ? target + "-idle" : o.common.name;
  bool ok = held == o.connections && final_held == held;
  auto result = make_result(name, "idle", target, params, figures, ok, errors);
  if (!o.common.out.empty()) write_json_file(o.common.out, result);
  std::cout << "| " << name << " | held " << held << " of " << o.connections << " over "
            << children.size() << " process(es) | ";
  if (figures.contains("rss_per_conn_bytes")) {
    std::cout << "server RSS " << *rss_before / 1024 << " KiB -> " << *rss_after / 1024
              << " KiB, " << figures["rss_per_conn_bytes"].as_double() << " B per connection |";
  }
  std::cout << "\n";
  for (const auto& e : errors) std::cerr << "  error: " << e.as_string() << "\n";
  return ok ? 0 : 1;
}

}  // namespace parley::bench
