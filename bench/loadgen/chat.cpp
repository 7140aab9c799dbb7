// The throughput and latency scenarios: P visitor/agent pairs in live chats, then
// messages both ways over the WebSocket protocol, counted at the receivers.
//
// Setup (Parley): M agents log in (REST, cookie), go available and open /ws; each visitor
// gets a token, opens /ws, authenticates, requests a chat (REST); the agent the request is
// offered to answers `chat.accept` on its socket when `chat.requested` arrives, and both
// sides subscribe. A side is ready when the conversation's `chat.accepted` event reaches it.
// Setup (baseline): the relay has no REST; conversation i+1 pairs visitor i with agent
// i % M, both subscribe, and a ping/pong after the subscribes says the server has them.
//
// Message phase: every `message.send` carries a client id "<scheduled ns>.<conn>.<n>", so
// a receiver knows when the message was due without shared state. Throughput keeps a
// bounded window of unacknowledged sends per connection and counts deliveries inside the
// measurement window. Latency sends on a fixed schedule and measures from the scheduled
// time (coordinated-omission corrected: a late send counts its wait). Login-storm is the
// latency load over two back-to-back windows, the second with a login storm beside it
// (login_storm.hpp); a message belongs to the window its scheduled time falls in.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <unordered_set>
#include <vector>

#include "cpu_split.hpp"
#include "histogram.hpp"
#include "login_storm.hpp"
#include "frame_loops.hpp"
#include "proc_stats.hpp"
#include "result.hpp"
#include "scenarios.hpp"

namespace parley::bench {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// "<scheduled ns>.<conn>.<n>" -> scheduled ns
std::int64_t scheduled_of(std::string_view client_id) {
  std::int64_t v = -1;
  std::from_chars(client_id.data(), client_id.data() + client_id.size(), v);
  return v;
}

// One I/O thread with its own io_context; a connection lives on exactly one, so its
// state needs no locks. Counters have one writer each (relaxed atomics for the reader).
struct Worker {
  asio::io_context ioc{1};
  Histogram e2e, ack;
  Histogram e2e_storm, ack_storm;  // login-storm: messages scheduled in the storm's window
  std::atomic<std::uint64_t> sent{0}, acked{0}, delivered{0}, delivered_in_window{0},
      delivered_in_storm{0}, echoes{0}, error_frames{0};
  // login-storm: sends by the window their scheduled time falls in, so that messages never
  // delivered (a stalled server) still count in that window's latency.
  std::atomic<std::uint64_t> sent_calm{0}, sent_storm{0};
  std::thread thread;
  std::atomic<pid_t> tid{0};  // the kernel's id of `thread`, for its own CPU time
};

class Conn;

struct Run {
  explicit Run(const ChatOptions& opts)
      : o(opts), target(opts.common.target), agent_target(opts.common.target),
        sources(opts.common.source_addresses) {
    if (opts.agent_port) agent_target.port = opts.agent_port;
  }

  const ChatOptions& o;
  Target target;        // visitors
  Target agent_target;  // agents: the same server, or another node of the cluster
  SourceAddresses sources;
  std::vector<std::unique_ptr<Worker>> workers;
  std::atomic<int> agents_ready{0}, sides_ready{0}, setup_failures{0}, senders_done{0};
  std::atomic<int> next_pair{0};
  std::atomic<std::int64_t> win_start{INT64_MAX}, win_end{INT64_MAX};
  std::atomic<std::int64_t> storm_start{INT64_MAX};  // login-storm: the second window's start
  std::atomic<bool> abort{false}, stopping{false};
  std::string body;
  std::string run_tag;

  std::mutex mu;  // guards the members below
  std::vector<std::string> errors;
  std::vector<std::shared_ptr<Conn>> conns;

  void fail(std::string what) {
    std::lock_guard lock(mu);
    if (errors.size() < 20) errors.push_back(std::move(what));
  }
  void add(std::shared_ptr<Conn> c) {
    std::lock_guard lock(mu);
    conns.push_back(std::move(c));
  }
  auto setup_done(std::string what) {
    return [this, what](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        setup_failures++;
        fail(what + ": " + x.what());
      }
    };
  }
};

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(Run& run, Worker& worker, bool agent, int index)
      : run_(run), w_(worker), ws_(worker.ioc), signal_(worker.ioc), wake_(worker.ioc),
        pace_(worker.ioc), agent_(agent), index_(index) {
    tag_ = (agent ? "a" : "v") + std::to_string(index);
  }

  Ws& ws() { return ws_; }
  asio::steady_timer& signal() { return signal_; }
  bool agent() const { return agent_; }
  bool authed() const { return authed_; }
  bool dead() const { return dead_; }
  bool accepted(std::int64_t conversation) const { return ready_.count(conversation) > 0; }
  std::vector<std::int64_t>& convs() { return convs_; }
  void expect_pong_credit(int n) { pong_credit_ = n; }

  void start_reading() {
    asio::co_spawn(w_.ioc, read_frames(shared_from_this()), asio::detached);
  }

  void send(std::string frame) {
    if (dead_) return;
    out_.push_back(std::move(frame));
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(w_.ioc, write_frames(shared_from_this()), asio::detached);
    }
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  static awaitable<void> sender(std::shared_ptr<Conn> self) {
    auto& r = self->run_;
    const auto& o = r.o;
    std::int64_t end = r.win_end.load();
    std::uint64_t cap = 0;
    if (o.max_messages > 0) {
      auto senders = static_cast<long long>(r.conns.size());
      cap = static_cast<std::uint64_t>((o.max_messages + senders - 1) / senders);
    }
    std::size_t rr = 0;
    if (self->convs_.empty()) {
      r.senders_done++;
      co_return;
    }
    // Everyone starts together at t0 (the warm-up, then the measured window).
    std::int64_t t0 = r.win_start.load() - static_cast<std::int64_t>(o.warmup_s * 1e9);
    if (now_ns() < t0) {
      self->pace_.expires_at(at_ns(t0));
      co_await self->pace_.async_wait(tuple_awaitable);
    }
    if (o.mode != "throughput") {  // latency, login-storm: a fixed schedule
      // This connection's share of the offered rate: one stream per (side, conversation).
      double share = o.rate * static_cast<double>(self->convs_.size()) / (2.0 * o.pairs);
      auto interval = static_cast<std::int64_t>(1e9 / share);
      std::mt19937_64 rng(static_cast<std::uint64_t>(self->index_) * 7919 + (self->agent_ ? 1 : 0));
      std::int64_t next = r.win_start.load() - static_cast<std::int64_t>(o.warmup_s * 1e9) +
                          static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(interval));
      while (!self->dead_ && !r.abort && next < end && (!cap || self->n_ < cap)) {
        if (now_ns() < next) {
          self->pace_.expires_at(at_ns(next));
          co_await self->pace_.async_wait(tuple_awaitable);
          continue;
        }
        self->send_message(rr++, next);  // late sends keep their scheduled time
        next += interval;
        if (self->inflight_ > 20000) {
          r.fail("more than 20,000 messages unacknowledged on one connection: overload, stopping");
          r.abort = true;
        }
      }
    } else {
      while (!self->dead_ && !r.abort && (!cap || self->n_ < cap)) {
        std::int64_t now = now_ns();
        if (now >= end) break;
        if (self->inflight_ < o.window) {
          self->send_message(rr++, now);
          continue;
        }
        self->wake_.expires_at(at_ns(end));
        co_await self->wake_.async_wait(tuple_awaitable);
      }
    }
    r.senders_done++;
  }

 private:
  std::string_view role() const { return agent_ ? "agent" : "visitor"; }

  void send_message(std::size_t rr, std::int64_t scheduled) {
    std::int64_t conv = convs_[rr % convs_.size()];
    std::string frame;
    frame.reserve(128 + run_.body.size());
    frame += R"({"type":"message.send","conversation_id":)";
    frame += std::to_string(conv);
    frame += R"(,"client_id":")";
    frame += std::to_string(scheduled);
    frame += '.';
    frame += tag_;
    frame += '.';
    frame += std::to_string(n_++);
    frame += R"(","body":")";
    frame += run_.body;
    frame += "\"}";
    ++inflight_;
    w_.sent.fetch_add(1, std::memory_order_relaxed);
    if (scheduled >= run_.storm_start.load(std::memory_order_relaxed)) {
      w_.sent_storm.fetch_add(1, std::memory_order_relaxed);
    } else if (scheduled >= run_.win_start.load(std::memory_order_relaxed)) {
      w_.sent_calm.fetch_add(1, std::memory_order_relaxed);
    }
    send(std::move(frame));
  }

  template <class S>
  friend awaitable<void> bench::write_frames(std::shared_ptr<S> self);
  template <class S>
  friend awaitable<void> bench::read_frames(std::shared_ptr<S> self);

  void on_dead(const beast::error_code& ec, const char* where) {
    if (!dead_ && !run_.stopping) {
      run_.fail(tag_ + " connection lost (" + where + "): " + ec.message());
    }
    dead_ = true;
    signal_.cancel();
    wake_.cancel();
    pace_.cancel();
  }

  void on_frame(std::string_view f) {
    std::int64_t now = now_ns();
    auto type = frame_type(f);
    if (type == "event") {
      auto kind = string_field(f, "kind");
      if (kind == "text") {
        if (string_field(f, "sender") == role()) {
          w_.echoes.fetch_add(1, std::memory_order_relaxed);  // our own message, echoed
        } else {
          on_delivered(f, now);
        }
      } else if (kind == "chat.accepted") {
        auto conversation = int_field(f, "conversation_id");
        if (conversation && ready_.insert(*conversation).second) {
          run_.sides_ready++;
          signal_.cancel();
        }
      }
      return;
    }
    if (type == "message.ack") {
      auto scheduled = scheduled_of(string_field(f, "client_id"));
      w_.acked.fetch_add(1, std::memory_order_relaxed);
      if (scheduled >= run_.storm_start.load(std::memory_order_relaxed)) {
        w_.ack_storm.record(now - scheduled);
      } else if (scheduled >= run_.win_start.load(std::memory_order_relaxed)) {
        w_.ack.record(now - scheduled);
      }
      if (inflight_ > 0) --inflight_;
      wake_.cancel();
      return;
    }
    if (type == "chat.requested") {
      if (agent_ && !run_.o.common.baseline) {
        auto id = int_field(f, "id");  // the conversation's id comes first
        // Only this run's visitors (their email holds the run's tag): a request left pending
        // by an earlier run on the same database (a setup that failed) is not ours.
        if (id && f.find(run_.run_tag) != std::string_view::npos) {
          convs_.push_back(*id);
          send(R"({"type":"chat.accept","conversation_id":)" + std::to_string(*id) + "}");
          send(R"({"type":"subscribe","conversation_id":)" + std::to_string(*id) +
               R"(,"after_seq":0})");
        }
      }
      return;
    }
    if (type == "hello") {
      authed_ = true;
      signal_.cancel();
      return;
    }
    if (type == "pong") {
      run_.sides_ready += pong_credit_;
      pong_credit_ = 0;
      signal_.cancel();
      return;
    }
    if (type == "error") {
      w_.error_frames.fetch_add(1, std::memory_order_relaxed);
      run_.fail(tag_ + " got " + std::string(f.substr(0, 300)));
      // An error answering a send releases its window slot, so the run cannot stall.
      if (inflight_ > 0 && !string_field(f, "ref").empty() && string_field(f, "ref") != "subscribe") {
        --inflight_;
        wake_.cancel();
      }
      return;
    }
    // conversation.updated, agent.status, typing: not measured.
  }

  void on_delivered(std::string_view f, std::int64_t now) {
    w_.delivered.fetch_add(1, std::memory_order_relaxed);
    std::int64_t ws = run_.win_start.load(std::memory_order_relaxed);
    std::int64_t we = run_.win_end.load(std::memory_order_relaxed);
    std::int64_t ss = run_.storm_start.load(std::memory_order_relaxed);
    if (now >= ws && now < we) w_.delivered_in_window.fetch_add(1, std::memory_order_relaxed);
    if (now >= ss && now < we) w_.delivered_in_storm.fetch_add(1, std::memory_order_relaxed);
    auto scheduled = scheduled_of(string_field(f, "client_id"));
    auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, now - scheduled));
    if (scheduled >= ss) {
      w_.e2e_storm.record(latency);
    } else if (scheduled >= ws) {
      w_.e2e.record(latency);
    }
  }

  Run& run_;
  Worker& w_;
  Ws ws_;
  asio::steady_timer signal_;  // setup waits: cancelled when a frame changes state
  asio::steady_timer wake_;    // throughput: cancelled when an ack frees the window
  asio::steady_timer pace_;    // latency: the schedule
  bool agent_;
  int index_;
  std::string tag_;
  bool authed_ = false;
  bool dead_ = false;
  bool writing_ = false;
  int pong_credit_ = 0;
  int inflight_ = 0;
  std::uint64_t n_ = 0;
  std::deque<std::string> out_;
  std::vector<std::int64_t> convs_;
  std::unordered_set<std::int64_t> ready_;
};

// --- setup ---

awaitable<void> open_socket(Run& r, const std::shared_ptr<Conn>& c, std::string_view cookie,
                            std::string_view token) {
  auto local = r.sources.next();
  const Target& target = c->agent() ? r.agent_target : r.target;
  auto ec = co_await ws_connect(c->ws(), target, local, cookie, 15s);
  if (ec) throw std::runtime_error("WebSocket connect: " + ec.message());
  c->start_reading();
  if (!token.empty()) {
    json::object auth{{"type", "auth"}, {"visitor_token", token}};
    c->send(json::serialize(auth));
  }
  auto deadline = Clock::now() + 15s;
  bool ok = co_await wait_until(c->signal(), [&] { return c->authed() || c->dead(); }, deadline);
  if (!ok || c->dead()) throw std::runtime_error("no hello after auth");
}

awaitable<void> agent_setup(Run& r, std::shared_ptr<Conn> c, int j) {
  const auto& o = r.o;
  if (o.common.baseline) {
    std::string token = "agent:" + std::to_string(j + 1);
    co_await open_socket(r, c, "", token);
    // Conversation i + 1 pairs visitor i with agent i % M.
    for (int i = j; i < o.pairs; i += o.agents) {
      c->convs().push_back(i + 1);
      c->send(R"({"type":"subscribe","conversation_id":)" + std::to_string(i + 1) + "}");
    }
    c->expect_pong_credit(static_cast<int>(c->convs().size()));
    c->send(R"({"type":"ping"})");
    r.agents_ready++;
    co_return;
  }
  beast::tcp_stream http(c->ws().get_executor());
  auto local = r.sources.next();
  auto ec = co_await tcp_connect(http, r.agent_target, local, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string email = format_index(o.agent_email, j + 1);
  std::string login = json::serialize(json::object{{"email", email}, {"password", o.agent_password}});
  std::string_view login_path = "/api/v1/auth/login";
  auto reply = co_await http_call(http, r.agent_target, http::verb::post, login_path, login, "", "", 60s);
  if (reply.ec || reply.status != 200 || reply.cookie.empty()) {
    throw std::runtime_error("login " + email + ": HTTP " + std::to_string(reply.status) + " " +
                             reply.body + reply.ec.message());
  }
  std::string cookie = reply.cookie;
  std::string_view avail_path = "/api/v1/me/availability";
  std::string_view avail_body = R"({"available":true})";
  auto avail = co_await http_call(http, r.agent_target, http::verb::put, avail_path, avail_body, cookie, "", 30s);
  if (avail.ec || avail.status != 200) {
    throw std::runtime_error("availability " + email + ": HTTP " + std::to_string(avail.status) + " " + avail.body);
  }
  co_await open_socket(r, c, cookie, "");
  r.agents_ready++;
}

awaitable<void> pair_setup(Run& r, Worker& w, int i) {
  const auto& o = r.o;
  auto c = std::make_shared<Conn>(r, w, false, i);
  r.add(c);
  if (o.common.baseline) {
    std::string token = "visitor:" + std::to_string(i + 1);
    co_await open_socket(r, c, "", token);
    c->convs().push_back(i + 1);
    c->send(R"({"type":"subscribe","conversation_id":)" + std::to_string(i + 1) + "}");
    c->expect_pong_credit(1);
    c->send(R"({"type":"ping"})");
    co_return;
  }
  beast::tcp_stream http(w.ioc);
  auto local = r.sources.next();
  auto ec = co_await tcp_connect(http, r.target, local, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string token = co_await new_visitor_token(http, r.target);
  co_await open_socket(r, c, "", token);
  std::int64_t id = co_await request_chat(
      http, r.target, token, "Bench Visitor " + std::to_string(i + 1),
      "bench-visitor-" + std::to_string(i + 1) + "-" + r.run_tag + "@bench.local");
  c->convs().push_back(id);
  c->send(R"({"type":"subscribe","conversation_id":)" + std::to_string(id) + R"(,"after_seq":0})");
  beast::error_code ignored;
  http.socket().shutdown(tcp::socket::shutdown_both, ignored);
  // The pair is set up when the agent the request was offered to has accepted it (on another
  // node the offer crosses the bus first): a lost offer is named here, not left to the
  // global wait.
  auto deadline = Clock::now() + 60s;
  bool ok = co_await wait_until(c->signal(), [&] { return c->accepted(id) || c->dead(); }, deadline);
  if (!ok || c->dead()) {
    throw std::runtime_error("conversation " + std::to_string(id) +
                             ": chat.accepted did not reach the visitor in 60 s (was the offer seen?)");
  }
}

awaitable<void> setup_worker(Run& r, Worker& w) {
  for (;;) {
    int i = r.next_pair++;
    if (i >= r.o.pairs || r.abort) co_return;
    try {
      co_await pair_setup(r, w, i);
    } catch (const std::exception& e) {
      r.setup_failures++;
      // Once the run has given up (another pair failed first) and closed the sockets, a
      // wait cut short here is a consequence, not news.
      if (!r.abort) r.fail("pair " + std::to_string(i + 1) + ": " + e.what());
    }
  }
}

template <class Pred>
bool wait_main(Pred done, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

int run_chat(const ChatOptions& o) {
  raise_fd_limit();
  const bool storm_mode = o.mode == "login-storm";
  const bool latency_mode = o.mode == "latency" || storm_mode;
  Run r(o);
  r.body = std::string(static_cast<std::size_t>(std::max(1, o.body_bytes)), 'x');
  {
    std::string prefix = "bench message ";
    r.body.replace(0, std::min(prefix.size(), r.body.size()), prefix.substr(0, r.body.size()));
  }
  r.run_tag = std::to_string(getpid()) + "-" + std::to_string(now_ns() % 1000000007);

  const int threads = std::max(1, o.threads);
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (int t = 0; t < threads; ++t) {
    r.workers.push_back(std::make_unique<Worker>());
    guards.push_back(asio::make_work_guard(r.workers.back()->ioc));
  }
  for (auto& w : r.workers) {
    w->thread = std::thread([&w] {
      w->tid = static_cast<pid_t>(::gettid());
      w->ioc.run();
    });
  }

  auto setup_start = Clock::now();
  // Agents first: requests are routed only to agents who are online and available.
  std::vector<std::shared_ptr<Conn>> agents;
  for (int j = 0; j < o.agents; ++j) {
    Worker& w = *r.workers[static_cast<std::size_t>(j % threads)];
    auto c = std::make_shared<Conn>(r, w, true, j);
    agents.push_back(c);
    r.add(c);
    asio::co_spawn(w.ioc, agent_setup(r, c, j),
                   r.setup_done("agent " + std::to_string(j + 1)));
  }
  bool ok = wait_main([&] { return r.agents_ready == o.agents || r.setup_failures > 0; }, 120s);
  if (ok && r.setup_failures == 0) {
    int workers = std::min(o.setup_concurrency, o.pairs);
    for (int k = 0; k < workers; ++k) {
      Worker& w = *r.workers[static_cast<std::size_t>(k % threads)];
      asio::co_spawn(w.ioc, setup_worker(r, w), asio::detached);
    }
    ok = wait_main([&] { return r.sides_ready >= 2 * o.pairs || r.setup_failures > 0; }, 180s);
  }
  double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  if (!ok || r.setup_failures > 0) {
    r.fail("setup incomplete: " + std::to_string(r.sides_ready.load()) + " of " +
           std::to_string(2 * o.pairs) + " sides ready, " + std::to_string(r.agents_ready.load()) +
           " of " + std::to_string(o.agents) + " agents");
    r.abort = true;
  }

  // --- message phase ---
  std::int64_t t0 = now_ns() + 100'000'000;
  std::int64_t warm = static_cast<std::int64_t>(o.warmup_s * 1e9);
  std::int64_t dur = static_cast<std::int64_t>(o.duration_s * 1e9);
  r.win_start = t0 + warm;
  r.win_end = t0 + warm + dur;
  std::unique_ptr<LoginStorm> storm;
  if (storm_mode) {
    // The same load again for `dur`, now with the storm beside it.
    r.storm_start = r.win_end.load();
    r.win_end = r.storm_start + dur;
    if (!r.abort && o.storm.clients > 0) {
      storm = std::make_unique<LoginStorm>(o.storm, o.common.target, o.common.source_addresses);
      storm->start(r.storm_start, r.win_end);
    }
  }
  std::vector<std::shared_ptr<Conn>> conns;
  {
    std::lock_guard lock(r.mu);
    conns = r.conns;
  }
  if (!r.abort) {
    for (auto& c : conns) {
      asio::post(c->ws().get_executor(), [c] { asio::co_spawn(c->ws().get_executor(), Conn::sender(c), asio::detached); });
    }
  }
  auto sum = [&](auto member) {
    std::uint64_t s = 0;
    for (auto& w : r.workers) s += ((*w).*member).load(std::memory_order_relaxed);
    return s;
  };

  pid_t pid = o.common.server_pid;
  // --cpu-also NAME=PID: the CPU of other processes (PostgreSQL, Redis, another node) over
  // the same window.
  struct Also {
    std::string name;
    pid_t pid;
    std::map<pid_t, double> start, end;  // process by process
  };
  std::vector<Also> also;
  std::optional<CpuTicks> machine_start, machine_end;  // the whole machine: were the cores all busy?
  for (const auto& spec : o.cpu_also) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) throw std::runtime_error("--cpu-also wants NAME=PID: " + spec);
    also.push_back({spec.substr(0, eq), static_cast<pid_t>(std::stol(spec.substr(eq + 1))), {}, {}});
  }
  json::array rss_samples;
  std::optional<double> cpu_start, cpu_end, cpu_storm;  // cpu_storm: at the storm's start
  std::optional<std::uint64_t> rss_start, rss_end;
  double self_cpu_start = 0, self_cpu_end = 0;
  // The generator's I/O threads one by one: one of them can saturate a core while the
  // process as a whole does not look busy (several threads, or the main thread asleep).
  std::vector<double> thread_cpu_start(r.workers.size(), 0.0), thread_cpu_end(r.workers.size(), 0.0);
  auto read_threads = [&](std::vector<double>& into) {
    for (std::size_t k = 0; k < r.workers.size(); ++k) {
      into[k] = thread_cpu_seconds(r.workers[k]->tid.load()).value_or(0.0);
    }
  };
  // The server's and the generator's CPU are read back to back at each end of the window, and
  // the wall time between the two readings is the window they cover (cpu_window_s).
  std::int64_t cpu_read_start = 0, cpu_read_end = 0;
  std::int64_t measured_end = r.win_end;
  if (!r.abort) {
    std::this_thread::sleep_until(at_ns(r.win_start));
    cpu_read_start = now_ns();
    if (pid) cpu_start = cpu_seconds(pid);
    self_cpu_start = self_cpu_seconds();
    read_threads(thread_cpu_start);
    if (pid) {
      rss_start = rss_bytes(pid);
      if (rss_start && o.rss_interval_s > 0) rss_samples.push_back(json::array{0.0, *rss_start});
    }
    for (auto& a : also) a.start = cpu_seconds_by_process(a.pid);
    machine_start = machine_cpu_ticks();
    std::int64_t next_sample = r.win_start + static_cast<std::int64_t>(o.rss_interval_s * 1e9);
    for (;;) {
      std::int64_t now = now_ns();
      if (now >= r.win_end || r.abort || r.senders_done == static_cast<int>(conns.size())) {
        measured_end = std::min<std::int64_t>(now, r.win_end);
        break;
      }
      // Wake at the window's end, not up to a tick after it.
      std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(10ms, std::chrono::nanoseconds(r.win_end - now)));
      if (storm_mode && pid && !cpu_storm && now_ns() >= r.storm_start) cpu_storm = cpu_seconds(pid);
      if (pid && o.rss_interval_s > 0 && now_ns() >= next_sample) {
        if (auto rss = rss_bytes(pid)) {
          rss_samples.push_back(json::array{static_cast<double>(now_ns() - r.win_start) / 1e9, *rss});
        }
        next_sample += static_cast<std::int64_t>(o.rss_interval_s * 1e9);
      }
    }
    if (pid) cpu_end = cpu_seconds(pid);
    self_cpu_end = self_cpu_seconds();
    read_threads(thread_cpu_end);
    cpu_read_end = now_ns();
    if (pid) rss_end = rss_bytes(pid);
    for (auto& a : also) a.end = cpu_seconds_by_process(a.pid);
    machine_end = machine_cpu_ticks();
    // Drain: every sent message should be acknowledged and delivered.
    auto drain_deadline = std::chrono::milliseconds(static_cast<long>(o.drain_timeout_s * 1000));
    wait_main([&] {
      auto sent = sum(&Worker::sent);
      return r.abort || (sum(&Worker::acked) >= sent && sum(&Worker::delivered) >= sent &&
                         r.senders_done == static_cast<int>(conns.size()));
    }, drain_deadline);
  }
  if (storm) storm->join();

  // --- stop ---
  std::int64_t stopped_at = now_ns();
  r.stopping = true;
  for (auto& c : conns) asio::post(c->ws().get_executor(), [c] { c->close(); });
  std::this_thread::sleep_for(50ms);
  guards.clear();
  for (auto& w : r.workers) w->ioc.stop();
  for (auto& w : r.workers) w->thread.join();

  Histogram e2e, ack, e2e_storm, ack_storm;
  for (auto& w : r.workers) {
    e2e.merge(w->e2e);
    ack.merge(w->ack);
    e2e_storm.merge(w->e2e_storm);
    ack_storm.merge(w->ack_storm);
  }
  std::uint64_t sent = sum(&Worker::sent), acked = sum(&Worker::acked),
                delivered = sum(&Worker::delivered), in_window = sum(&Worker::delivered_in_window),
                echoes = sum(&Worker::echoes), error_frames = sum(&Worker::error_frames);
  double window_s = std::max(1e-9, static_cast<double>(measured_end - r.win_start) / 1e9);
  // The CPU readings' own window: the measured one, give or take the readings themselves.
  double cpu_window_s = cpu_read_end > cpu_read_start ? static_cast<double>(cpu_read_end - cpu_read_start) / 1e9
                                                      : window_s;
  double busiest_thread_cpu = 0;
  json::array thread_cpu;
  for (std::size_t k = 0; k < r.workers.size(); ++k) {
    double used = thread_cpu_end[k] - thread_cpu_start[k];
    thread_cpu.push_back(used);
    busiest_thread_cpu = std::max(busiest_thread_cpu, used);
  }
  bool all_delivered = !r.abort && sent > 0 && acked == sent && delivered == sent;

  json::object figures{
      {"setup_s", setup_s},
      {"connections", static_cast<std::uint64_t>(conns.size())},
      {"measured_s", window_s},
      {"sent", sent},
      {"acked", acked},
      {"delivered", delivered},
      {"echoes_to_sender", echoes},
      {"error_frames", error_frames},
      {"all_delivered", all_delivered},
      {"delivered_in_window", in_window},
      {"delivered_per_s", static_cast<double>(in_window) / window_s},
      {"latency_e2e", latency_json(e2e)},
      {"latency_ack", latency_json(ack)},
      {"cpu_window_s", cpu_window_s},
      {"loadgen_cpu_s", self_cpu_end - self_cpu_start},
      {"loadgen_threads", threads},
      {"loadgen_thread_cpu_s", thread_cpu},
      {"loadgen_busiest_thread_cpu_s", busiest_thread_cpu},
  };
  if (latency_mode) figures["offered_per_s"] = o.rate;
  if (cpu_start && cpu_end) {
    double cpu = *cpu_end - *cpu_start;
    figures["server_cpu_s"] = cpu;
    figures["server_cpu_s_per_1000_msgs"] =
        in_window ? cpu / (static_cast<double>(in_window) / 1000.0) : 0.0;
    figures["server_cpu_utilisation"] = cpu / cpu_window_s;
  }
  {
    CpuSplit split{cpu_window_s, figures.contains("server_cpu_s") ? std::optional<double>(figures["server_cpu_s"].as_double())
                                                                   : std::nullopt,
                   self_cpu_end - self_cpu_start, threads, busiest_thread_cpu};
    figures["loadgen_cpu_utilisation"] = cores(split.loadgen_cpu_s, cpu_window_s);
    figures["loadgen_saturated"] = generator_saturated(split);
  }
  if (machine_start && machine_end && machine_end->total > machine_start->total) {
    figures["machine_cpu_busy_pct"] = 100.0 * static_cast<double>(machine_end->busy - machine_start->busy) /
                                      static_cast<double>(machine_end->total - machine_start->total);
  }
  if (!also.empty()) {
    // The tree's total, and its busiest process over the window (of PostgreSQL: the backend
    // of the node's message writer, one process, so at most one core).
    json::object cpu, per1000, busiest;
    auto per_1000 = [&](double secs) { return in_window ? secs / (static_cast<double>(in_window) / 1000.0) : 0.0; };
    for (const auto& a : also) {
      if (a.start.empty() || a.end.empty()) continue;
      double total = 0, top = 0;
      for (const auto& [p, secs] : a.end) {
        auto before = a.start.find(p);
        double used = secs - (before == a.start.end() ? 0.0 : before->second);
        total += used;
        top = std::max(top, used);
      }
      // A process that exited during the window is left out: its time went with it.
      cpu[a.name] = total;
      per1000[a.name] = per_1000(total);
      busiest[a.name] = json::object{{"cpu_s", top}, {"s_per_1000_msgs", per_1000(top)}, {"utilisation", top / window_s}};
    }
    figures["other_cpu_s"] = std::move(cpu);
    figures["other_cpu_s_per_1000_msgs"] = std::move(per1000);
    figures["other_cpu_busiest_process"] = std::move(busiest);
  }
  if (rss_start) figures["server_rss_start_bytes"] = *rss_start;
  if (rss_end) figures["server_rss_end_bytes"] = *rss_end;
  json::object storm_figures;
  if (storm_mode) {
    // Two windows instead of one: the whole-run figures above would mix them.
    for (const char* k : {"delivered_in_window", "delivered_per_s", "latency_e2e", "latency_ack",
                          "server_cpu_s", "server_cpu_s_per_1000_msgs", "server_cpu_utilisation"}) {
      figures.erase(k);
    }
    std::uint64_t in_storm = sum(&Worker::delivered_in_storm);
    double calm_s = std::max(1e-9, static_cast<double>(r.storm_start - r.win_start) / 1e9);
    double storm_s = std::max(1e-9, static_cast<double>(measured_end - r.storm_start) / 1e9);
    // A message sent in a window but never delivered by the end of the drain waited at least
    // from the window's end until then: it is counted at that lower bound, not left out (a
    // stalled server would otherwise show the latency of the few messages that got through).
    auto phase = [&](Histogram& e, const Histogram& a, std::uint64_t sent_in, std::int64_t end,
                     std::uint64_t delivered, double secs, std::optional<double> cpu0,
                     std::optional<double> cpu1) {
      std::uint64_t missing = sent_in > e.count() ? sent_in - e.count() : 0;
      auto floor_ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, stopped_at - end));
      if (missing) e.record_n(floor_ns, missing);
      json::object p{{"measured_s", secs},
                     {"sent", sent_in},
                     {"delivered", delivered},
                     {"delivered_per_s", static_cast<double>(delivered) / secs},
                     {"undelivered", missing},
                     {"latency_e2e", latency_json(e)},
                     {"latency_ack", latency_json(a)}};
      if (missing) p["undelivered_counted_at_ms"] = static_cast<double>(floor_ns) / 1e6;
      if (cpu0 && cpu1) p["server_cpu_utilisation"] = (*cpu1 - *cpu0) / secs;
      return p;
    };
    figures["without_storm"] = phase(e2e, ack, sum(&Worker::sent_calm), r.storm_start,
                                     in_window - in_storm, calm_s, cpu_start, cpu_storm);
    auto with = phase(e2e_storm, ack_storm, sum(&Worker::sent_storm), r.win_end, in_storm, storm_s,
                      cpu_storm, cpu_end);
    if (storm) storm_figures = storm->figures();
    with["logins"] = storm_figures;
    figures["with_storm"] = std::move(with);
  }
  if (!rss_samples.empty()) {
    figures["rss_samples"] = rss_samples;
    // Drift: the last sample against the first one after a minute of warm-up (or the first
    // sample in a shorter run), so allocator and page-cache warm-up are not counted.
    double base = 0, last = rss_samples.back().as_array()[1].to_number<double>();
    for (const auto& s : rss_samples) {
      const auto& a = s.as_array();
      base = a[1].to_number<double>();
      if (a[0].to_number<double>() >= std::min(60.0, o.duration_s / 4)) break;
    }
    double mx = 0;
    for (const auto& s : rss_samples) mx = std::max(mx, s.as_array()[1].to_number<double>());
    figures["rss_drift_pct"] = base > 0 ? (last - base) / base * 100.0 : 0.0;
    figures["rss_max_bytes"] = mx;
  }

  json::object params{{"mode", o.mode},
                      {"pairs", o.pairs},
                      {"agents", o.agents},
                      {"window", o.window},
                      {"rate", o.rate},
                      {"duration_s", o.duration_s},
                      {"warmup_s", o.warmup_s},
                      {"max_messages", o.max_messages},
                      {"body_bytes", o.body_bytes},
                      {"threads", threads},
                      {"source_addresses", o.common.source_addresses},
                      {"port", o.common.target.port},
                      {"agent_port", o.agent_port ? o.agent_port : o.common.target.port},
                      {"server_pid", o.common.server_pid}};
  if (storm_mode) {
    params["storm_clients"] = o.storm.clients;
    params["storm_accounts"] = o.storm.accounts;
    params["storm_wrong_password"] = o.storm.wrong_password;
  }
  json::array errors;
  {
    std::lock_guard lock(r.mu);
    for (const auto& e : r.errors) errors.push_back(json::value(e));
  }
  bool ok_run = !r.abort && (!o.expect_all_delivered || all_delivered);
  if (storm_mode && o.storm.clients > 0) {
    // A storm that never reached a password check measured nothing.
    auto checks = storm_figures.contains("password_checks_per_s")
                      ? storm_figures.at("password_checks_per_s").to_number<double>()
                      : 0.0;
    if (checks <= 0) {
      errors.push_back(json::value("login storm: no login was answered 200 or 401"));
      ok_run = false;
    }
    if (auto it = storm_figures.find("errors"); it != storm_figures.end()) {
      for (const auto& e : it->value().as_array()) {
        if (errors.size() < 30) errors.push_back(json::value("login storm: " + std::string(e.as_string())));
      }
    }
  }
  std::string target = o.common.baseline ? "baseline" : "parley";
  std::string name = o.common.name.empty() ? target + "-" + o.mode : o.common.name;
  auto result = make_result(name, o.mode, target, params, figures, ok_run, errors);
  if (!o.common.out.empty()) write_json_file(o.common.out, result);

  auto percentiles = [](const Histogram& h) {
    std::ostringstream s;
    s << "e2e p50 " << static_cast<double>(h.value_at_quantile(0.5)) / 1e6 << " ms p99 "
      << static_cast<double>(h.value_at_quantile(0.99)) / 1e6 << " ms p99.9 "
      << static_cast<double>(h.value_at_quantile(0.999)) / 1e6 << " ms max "
      << static_cast<double>(h.max()) / 1e6 << " ms";
    return s.str();
  };
  std::cout << "| " << name << " | pairs " << o.pairs << " | sent " << sent << " | delivered "
            << delivered << " | " << static_cast<long long>(static_cast<double>(in_window) / window_s)
            << " msg/s | ";
  if (storm_mode) {
    std::cout << "without the storm: " << percentiles(e2e) << " | with it: " << percentiles(e2e_storm);
    if (storm_figures.contains("logins_per_s")) {
      std::cout << " | " << storm_figures.at("logins_per_s").to_number<double>() << " logins/s, "
                << storm_figures.at("throttled").to_number<double>() << " throttled";
    }
    std::cout << " |";
  } else {
    std::cout << percentiles(e2e) << " |";
  }
  if (figures.contains("server_cpu_s_per_1000_msgs")) {
    std::cout << " server CPU " << figures["server_cpu_s_per_1000_msgs"].as_double()
              << " s/1000 msgs |";
  }
  std::cout << " generator " << figures["loadgen_cpu_utilisation"].as_double() << " cores |\n";
  if (figures["loadgen_saturated"].as_bool()) {
    std::cerr << "  WARNING: the load generator saturated a core (busiest thread "
              << busiest_thread_cpu / cpu_window_s << " of a core): the figures understate the server\n";
  }
  for (const auto& e : errors) std::cerr << "  error: " << e.as_string() << "\n";
  if (o.expect_all_delivered && !all_delivered) {
    std::cerr << "  NOT every message was delivered: sent " << sent << ", acked " << acked
              << ", delivered " << delivered << "\n";
  }
  // Connections are closed; skip tearing down thousands of coroutine frames one by one.
  std::cout.flush();
  std::cerr.flush();
  _exit(ok_run ? 0 : 1);
}

}  // namespace parley::bench
