// The long-chat scenario (issue 15): one conversation holding N messages, then an agent
// reconnecting with `subscribe` after_seq 0 and the server replaying all of it.
//
// Fill: through the real server, the normal way. One agent logs in, goes available, opens
// /ws; a visitor opens /ws, asks for a chat, the agent accepts it, both subscribe; then both
// send `message.send` with a bounded window of unacknowledged messages each (an ack comes only
// after the commit), until N are acknowledged and each side has received the other's.
// Replay: both sockets are closed; the agent opens a new one with its session cookie and sends
// `subscribe` after_seq 0. The server answers `subscribed` with head_seq H and then owes every
// seq 1..H once, in order (docs/api.md): ReplayCheck verifies that. Timed from the subscribe
// to the arrival of seq H; the server's VmRSS is sampled from /proc/PID/status meanwhile (and
// its VmHWM, reset just before, catches a peak between two samples).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "cpu_split.hpp"
#include "frame_loops.hpp"
#include "proc_stats.hpp"
#include "replay_check.hpp"
#include "result.hpp"
#include "scenarios.hpp"

namespace parley::bench {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

struct State;

// One WebSocket of the scenario: the visitor's, the agent's, or the agent's again for the replay.
class Side : public std::enable_shared_from_this<Side> {
 public:
  enum class Role { visitor, agent, replay };
  Side(State& st, asio::io_context& ioc, Role role) : st_(st), ws_(ioc), signal_(ioc), wake_(ioc), role_(role) {}

  Ws& ws() { return ws_; }
  asio::steady_timer& signal() { return signal_; }
  bool authed() const { return authed_; }
  bool accepted() const { return accepted_; }
  bool dead() const { return dead_; }
  std::uint64_t received() const { return received_.load(std::memory_order_relaxed); }

  void start_reading() { asio::co_spawn(ws_.get_executor(), read_frames(shared_from_this()), asio::detached); }
  void send(std::string frame) {
    if (dead_) return;
    out_.push_back(std::move(frame));
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(ws_.get_executor(), write_frames(shared_from_this()), asio::detached);
    }
  }
  void close() {
    closing_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }
  // Sends `quota` messages into the conversation, at most `window` unacknowledged.
  static awaitable<void> sender(std::shared_ptr<Side> self, std::uint64_t quota);

 private:
  template <class S>
  friend awaitable<void> bench::write_frames(std::shared_ptr<S> self);
  template <class S>
  friend awaitable<void> bench::read_frames(std::shared_ptr<S> self);
  void on_dead(const beast::error_code& ec, const char* where);
  void on_frame(std::string_view f);
  void on_replayed(std::string_view f);

  State& st_;
  Ws ws_;
  asio::steady_timer signal_;  // setup waits: cancelled when a frame changes state
  asio::steady_timer wake_;    // the sender: cancelled when an ack frees the window
  Role role_;
  bool authed_ = false, accepted_ = false, dead_ = false, writing_ = false, closing_ = false;
  int inflight_ = 0;
  std::uint64_t n_ = 0;
  std::atomic<std::uint64_t> received_{0};  // the other side's messages (read by the main thread)
  std::deque<std::string> out_;
};

struct State {
  explicit State(const LongChatOptions& opts) : o(opts), target(opts.common.target) {}
  const LongChatOptions& o;
  Target target;
  asio::io_context ioc{1};
  std::string body, run_tag, cookie;
  std::atomic<std::int64_t> conversation{0};
  std::atomic<bool> failed{false}, setup_done{false}, replay_done{false};
  std::atomic<std::uint64_t> acked{0}, duplicate_acks{0};
  std::atomic<pid_t> io_tid{0};
  std::shared_ptr<Side> visitor, agent, replay;
  // The replay, kept by the I/O thread; read by the main thread once replay_done (or the run
  // is over and the thread joined).
  ReplayCheck check;
  std::uint64_t events_before_subscribed = 0;
  std::atomic<std::int64_t> t_connect{0}, t_subscribe{0}, t_subscribed{0}, t_first{0}, t_done{0};

  std::mutex mu;
  std::vector<std::string> errors;
  void fail(std::string what) {
    failed = true;
    std::lock_guard lock(mu);
    if (errors.size() < 20) errors.push_back(std::move(what));
  }
};

void Side::on_dead(const beast::error_code& ec, const char* where) {
  if (!dead_ && !closing_) {
    st_.fail(std::string(role_ == Role::visitor ? "visitor" : "agent") + " connection lost (" + where +
             "): " + ec.message());
  }
  dead_ = true;
  signal_.cancel();
  wake_.cancel();
}

void Side::on_frame(std::string_view f) {
  auto type = frame_type(f);
  if (role_ == Role::replay && (type == "subscribed" || type == "event")) {
    on_replayed(f);
    return;
  }
  if (type == "event") {
    auto kind = string_field(f, "kind");
    if (kind == "text") {
      // The other side's message (the sender gets an ack instead; should its own event still
      // come, docs/api.md, it is not counted).
      if (string_field(f, "sender") != (role_ == Role::visitor ? "visitor" : "agent")) {
        received_.fetch_add(1, std::memory_order_relaxed);
      }
    } else if (kind == "chat.accepted") {
      accepted_ = true;
      signal_.cancel();
    }
    return;
  }
  if (type == "message.ack") {
    st_.acked.fetch_add(1, std::memory_order_relaxed);
    if (f.find("\"duplicate\":true") != std::string_view::npos) st_.duplicate_acks++;
    if (inflight_ > 0) --inflight_;
    wake_.cancel();
    return;
  }
  if (type == "chat.requested") {
    auto id = int_field(f, "id");  // the conversation's id comes first
    // Only this run's visitor (its email holds the run's tag).
    if (role_ == Role::agent && id && f.find(st_.run_tag) != std::string_view::npos) {
      send(R"({"type":"chat.accept","conversation_id":)" + std::to_string(*id) + "}");
      send(R"({"type":"subscribe","conversation_id":)" + std::to_string(*id) + R"(,"after_seq":0})");
    }
    return;
  }
  if (type == "hello") {
    authed_ = true;
    signal_.cancel();
    return;
  }
  if (type == "error") {
    st_.fail("got " + std::string(f.substr(0, 300)));
    if (inflight_ > 0) --inflight_;
    wake_.cancel();
    return;
  }
  // conversation.updated, agent.status, typing, read: not measured.
}

void Side::on_replayed(std::string_view f) {
  std::int64_t now = now_ns();
  auto conv = int_field(f, "conversation_id");
  if (!conv || *conv != st_.conversation.load()) return;
  auto& check = st_.check;
  if (frame_type(f) == "subscribed") {
    auto after = int_field(f, "after_seq");
    auto head = int_field(f, "head_seq");
    if (!head) {
      st_.fail("subscribed without head_seq: " + std::string(f.substr(0, 200)));
      return;
    }
    st_.t_subscribed = now;
    check.expect(after.value_or(0), *head);
  } else {
    auto seq = int_field(f, "seq");  // the event's: the frame's own keys hold no "seq"
    if (!seq) {
      st_.fail("event without seq: " + std::string(f.substr(0, 200)));
      return;
    }
    if (st_.t_first == 0) st_.t_first = now;
    if (st_.t_subscribed == 0) {
      ++st_.events_before_subscribed;  // docs/api.md: `subscribed` comes first
      return;
    }
    check.add(*seq);
  }
  if (check.complete() && !st_.replay_done) {
    st_.t_done = now;
    st_.replay_done.store(true, std::memory_order_release);
  }
}

awaitable<void> Side::sender(std::shared_ptr<Side> self, std::uint64_t quota) {
  auto& st = self->st_;
  const std::string tag = self->role_ == Role::visitor ? "v" : "a";
  const std::string conv = std::to_string(st.conversation.load());
  while (!self->dead_ && !st.failed && self->n_ < quota) {
    if (self->inflight_ < st.o.window) {
      std::string frame = R"({"type":"message.send","conversation_id":)" + conv + R"(,"client_id":"lc.)" + tag +
                          "." + std::to_string(self->n_++) + R"(","body":")" + st.body + "\"}";
      ++self->inflight_;
      self->send(std::move(frame));
      continue;
    }
    self->wake_.expires_after(60s);
    co_await self->wake_.async_wait(tuple_awaitable);
  }
}

// (GCC 12 and temporaries in a co_await expression: callers pass named values.)
awaitable<void> open_side(const std::shared_ptr<Side>& side, const Target& target, std::string_view cookie,
                          std::string_view token) {
  auto ec = co_await ws_connect(side->ws(), target, std::nullopt, cookie, 15s);
  if (ec) throw std::runtime_error("WebSocket connect: " + ec.message());
  side->start_reading();
  if (!token.empty()) {
    json::object auth{{"type", "auth"}, {"visitor_token", token}};
    side->send(json::serialize(auth));
  }
  bool ok = co_await wait_until(side->signal(), [&] { return side->authed() || side->dead(); }, Clock::now() + 15s);
  if (!ok || side->dead()) throw std::runtime_error("no hello after auth");
}

// Setup: the agent online, the visitor's chat requested and accepted, both subscribed.
awaitable<void> setup(State& st) {
  const auto& o = st.o;
  auto& ioc = st.ioc;
  beast::tcp_stream http(ioc);
  auto ec = co_await tcp_connect(http, st.target, std::nullopt, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string login = json::serialize(json::object{{"email", o.agent_email}, {"password", o.agent_password}});
  std::string_view login_path = "/api/v1/auth/login";
  auto reply = co_await http_call(http, st.target, http::verb::post, login_path, login, "", "", 60s);
  if (reply.ec || reply.status != 200 || reply.cookie.empty()) {
    throw std::runtime_error("login " + o.agent_email + ": HTTP " + std::to_string(reply.status) + " " + reply.body +
                             reply.ec.message());
  }
  st.cookie = reply.cookie;
  std::string_view avail_path = "/api/v1/me/availability";
  std::string_view avail_body = R"({"available":true})";
  std::string cookie = st.cookie;
  auto avail = co_await http_call(http, st.target, http::verb::put, avail_path, avail_body, cookie, "", 30s);
  if (avail.ec || avail.status != 200) {
    throw std::runtime_error("availability: HTTP " + std::to_string(avail.status) + " " + avail.body);
  }
  st.agent = std::make_shared<Side>(st, ioc, Side::Role::agent);
  co_await open_side(st.agent, st.target, cookie, "");

  beast::tcp_stream vhttp(ioc);
  ec = co_await tcp_connect(vhttp, st.target, std::nullopt, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string token = co_await new_visitor_token(vhttp, st.target);
  st.visitor = std::make_shared<Side>(st, ioc, Side::Role::visitor);
  co_await open_side(st.visitor, st.target, "", token);
  std::string name = "Long Chat Visitor", email = "long-chat-" + st.run_tag + "@bench.local";
  std::int64_t id = co_await request_chat(vhttp, st.target, token, name, email);
  st.conversation = id;
  st.visitor->send(R"({"type":"subscribe","conversation_id":)" + std::to_string(id) + R"(,"after_seq":0})");
  auto deadline = Clock::now() + 60s;
  bool visitor_ok = co_await wait_until(
      st.visitor->signal(), [&] { return st.visitor->accepted() || st.visitor->dead(); }, deadline);
  bool agent_ok = co_await wait_until(
      st.agent->signal(), [&] { return st.agent->accepted() || st.agent->dead(); }, deadline);
  if (!visitor_ok || !agent_ok || st.visitor->dead() || st.agent->dead()) throw std::runtime_error("conversation " + std::to_string(id) + ": chat.accepted did not reach both sides");
  st.setup_done = true;
}

// The replay: the agent back on a new socket, subscribe after_seq 0.
awaitable<void> replay(State& st) {
  st.replay = std::make_shared<Side>(st, st.ioc, Side::Role::replay);
  st.t_connect = now_ns();
  std::string cookie = st.cookie;
  co_await open_side(st.replay, st.target, cookie, "");
  st.t_subscribe = now_ns();
  st.replay->send(R"({"type":"subscribe","conversation_id":)" + std::to_string(st.conversation.load()) +
                  R"(,"after_seq":0})");
}

auto report_failure(State& st, std::string what) {
  return [&st, what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      st.fail(what + ": " + x.what());
    }
  };
}

template <class Pred>
bool wait_main(Pred done, std::chrono::milliseconds timeout, std::chrono::milliseconds tick = 5ms) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(tick);
  }
  return true;
}

std::chrono::milliseconds ms_of(double seconds) { return std::chrono::milliseconds(static_cast<long>(seconds * 1000)); }

}  // namespace

int run_long_chat(const LongChatOptions& o) {
  if (o.common.baseline) {
    std::cerr << "parley-loadgen long-chat: the baseline persists nothing, so it has nothing to replay\n";
    return 2;
  }
  State st(o);
  st.body = std::string(static_cast<std::size_t>(std::max(1, o.body_bytes)), 'x');
  {
    std::string prefix = "long chat message ";
    st.body.replace(0, std::min(prefix.size(), st.body.size()), prefix.substr(0, st.body.size()));
  }
  st.run_tag = std::to_string(getpid()) + "-" + std::to_string(now_ns() % 1000000007);
  auto guard = asio::make_work_guard(st.ioc);
  std::thread io([&st] {
    st.io_tid = static_cast<pid_t>(::gettid());
    st.ioc.run();
  });
  const pid_t pid = o.common.server_pid;
  const auto quota_visitor = static_cast<std::uint64_t>((o.messages + 1) / 2);
  const auto quota_agent = static_cast<std::uint64_t>(o.messages / 2);
  const auto total = static_cast<std::uint64_t>(o.messages);

  // --- setup and fill ---
  asio::co_spawn(st.ioc, setup(st), report_failure(st, "setup"));
  wait_main([&] { return st.setup_done || st.failed; }, 120s);
  if (!st.setup_done && !st.failed) st.fail("setup did not finish in 120 s");
  std::int64_t fill_start = now_ns(), fill_end = 0;
  bool filled = false;
  if (!st.failed) {
    asio::post(st.ioc, [&] {
      asio::co_spawn(st.ioc, Side::sender(st.visitor, quota_visitor), asio::detached);
      asio::co_spawn(st.ioc, Side::sender(st.agent, quota_agent), asio::detached);
    });
    // Every message acknowledged (stored), and delivered to the other side: the server has
    // nothing left to do for the conversation when the replay starts.
    filled = wait_main([&] {
      return st.failed || (st.acked >= total && st.agent->received() >= quota_visitor &&
                           st.visitor->received() >= quota_agent);
    }, ms_of(o.fill_timeout_s), 20ms) && !st.failed;
    fill_end = now_ns();
    if (!filled && !st.failed) {
      st.fail("fill: " + std::to_string(st.acked.load()) + " of " + std::to_string(total) +
              " messages acknowledged in " + std::to_string(o.fill_timeout_s) + " s");
    }
    asio::post(st.ioc, [&] {
      st.visitor->close();
      st.agent->close();
    });
    std::this_thread::sleep_for(ms_of(o.settle_s));
  }
  double fill_s = fill_end > fill_start ? static_cast<double>(fill_end - fill_start) / 1e9 : 0.0;

  // --- replay, with the server's RSS sampled ---
  json::array rss_samples;
  std::optional<std::uint64_t> rss_start, rss_end, hwm;
  std::uint64_t rss_peak = 0;
  std::optional<double> cpu_start, cpu_end;
  double self_start = 0, self_end = 0, io_start = 0, io_end = 0;
  std::int64_t read_start = 0, read_end = 0;
  bool hwm_reset = false, replayed = false, replay_timed_out = false;
  if (filled) {
    if (pid) hwm_reset = reset_peak_rss(pid);
    read_start = now_ns();
    if (pid) cpu_start = cpu_seconds(pid);
    self_start = self_cpu_seconds();
    io_start = thread_cpu_seconds(st.io_tid).value_or(0);
    if (pid) rss_start = rss_bytes(pid);
    if (rss_start) {
      rss_samples.push_back(json::array{0.0, *rss_start});
      rss_peak = *rss_start;
    }
    asio::co_spawn(st.ioc, replay(st), report_failure(st, "replay"));
    auto deadline = Clock::now() + ms_of(o.replay_timeout_s);
    auto next_sample = Clock::now();
    while (!st.replay_done.load(std::memory_order_acquire) && !st.failed && Clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
      if (pid && Clock::now() >= next_sample) {
        if (auto rss = rss_bytes(pid)) {
          rss_samples.push_back(json::array{static_cast<double>(now_ns() - read_start) / 1e9, *rss});
          rss_peak = std::max(rss_peak, *rss);
        }
        next_sample += ms_of(o.rss_interval_s);
      }
    }
    if (pid) cpu_end = cpu_seconds(pid);
    self_end = self_cpu_seconds();
    io_end = thread_cpu_seconds(st.io_tid).value_or(0);
    read_end = now_ns();
    if (pid) rss_end = rss_bytes(pid);
    if (pid && hwm_reset) hwm = peak_rss_bytes(pid);
    if (rss_end) {
      rss_samples.push_back(json::array{static_cast<double>(read_end - read_start) / 1e9, *rss_end});
      rss_peak = std::max(rss_peak, *rss_end);
    }
    replayed = st.replay_done.load(std::memory_order_acquire);
    replay_timed_out = !replayed && !st.failed;
  }

  // --- stop ---
  asio::post(st.ioc, [&] {
    for (auto* side : {&st.visitor, &st.agent, &st.replay}) {
      if (*side) (*side)->close();
    }
  });
  std::this_thread::sleep_for(50ms);
  guard.reset();
  st.ioc.stop();
  io.join();

  const auto& check = st.check;
  if (replay_timed_out) {
    st.fail("replay incomplete after " + std::to_string(o.replay_timeout_s) + " s: " +
            std::to_string(check.received()) + " events received, " + std::to_string(check.missing()) + " missing");
  }
  bool clean = replayed && check.clean() && st.events_before_subscribed == 0;
  if (replayed && !clean) {
    st.fail("the replay was not every seq once and in order: " + std::to_string(check.missing()) + " missing, " +
            std::to_string(check.duplicates()) + " duplicated, " + std::to_string(check.out_of_order()) +
            " out of order, " + std::to_string(st.events_before_subscribed) + " before `subscribed`");
  }
  auto since_subscribe_ms = [&](std::int64_t t) {
    return t && st.t_subscribe ? json::value(static_cast<double>(t - st.t_subscribe) / 1e6) : json::value(nullptr);
  };
  double replay_s = replayed ? static_cast<double>(st.t_done - st.t_subscribe) / 1e9 : 0.0;
  double cpu_window_s = read_end > read_start ? static_cast<double>(read_end - read_start) / 1e9 : 0.0;
  json::object replay_fig{{"after_seq", 0},
                          {"head_seq", check.owed()},
                          {"events_received", check.received()},
                          {"missing", check.missing()},
                          {"duplicates", check.duplicates()},
                          {"out_of_order", check.out_of_order()},
                          {"not_owed", check.outside()},
                          {"events_before_subscribed", st.events_before_subscribed},
                          {"every_seq_once_in_order", clean},
                          {"reconnect_ms", st.t_connect && st.t_subscribe
                                               ? json::value(static_cast<double>(st.t_subscribe - st.t_connect) / 1e6)
                                               : json::value(nullptr)},
                          {"subscribed_ms", since_subscribe_ms(st.t_subscribed)},
                          {"first_event_ms", since_subscribe_ms(st.t_first)},
                          {"seconds", replay_s},
                          {"events_per_s", replay_s > 0 ? static_cast<double>(check.owed()) / replay_s : 0.0}};
  json::object figures{{"conversation_id", st.conversation.load()},
                       {"messages", o.messages},
                       {"acked", st.acked.load()},
                       {"duplicate_acks", st.duplicate_acks.load()},
                       {"fill_s", fill_s},
                       {"fill_msgs_per_s", fill_s > 0 ? static_cast<double>(st.acked.load()) / fill_s : 0.0},
                       {"replay", replay_fig},
                       {"replay_s", replay_s},
                       {"head_seq", check.owed()},
                       {"cpu_window_s", cpu_window_s},
                       {"loadgen_cpu_s", self_end - self_start},
                       {"loadgen_threads", 1},
                       {"loadgen_busiest_thread_cpu_s", io_end - io_start}};
  if (cpu_start && cpu_end) {
    figures["server_cpu_s"] = *cpu_end - *cpu_start;
    figures["server_cpu_utilisation"] = cores(*cpu_end - *cpu_start, cpu_window_s);
  }
  if (cpu_window_s > 0) {
    CpuSplit split{cpu_window_s, figures.contains("server_cpu_s") ? std::optional<double>(figures["server_cpu_s"].as_double())
                                                                  : std::nullopt,
                   self_end - self_start, 1, io_end - io_start};
    figures["loadgen_cpu_utilisation"] = cores(split.loadgen_cpu_s, cpu_window_s);
    figures["loadgen_saturated"] = generator_saturated(split);
  }
  if (rss_start) figures["server_rss_start_bytes"] = *rss_start;
  if (rss_start) figures["server_rss_peak_bytes"] = std::max<std::uint64_t>(rss_peak, hwm.value_or(0));
  if (rss_start) figures["server_rss_peak_sampled_bytes"] = rss_peak;
  if (hwm) figures["server_rss_hwm_bytes"] = *hwm;
  if (rss_end) figures["server_rss_end_bytes"] = *rss_end;
  figures["rss_samples"] = std::move(rss_samples);

  json::object params{{"messages", o.messages},
                      {"window", o.window},
                      {"body_bytes", o.body_bytes},
                      {"rss_interval_s", o.rss_interval_s},
                      {"port", o.common.target.port},
                      {"server_pid", o.common.server_pid},
                      {"threads", 1}};
  json::array errors;
  {
    std::lock_guard lock(st.mu);
    for (const auto& e : st.errors) errors.push_back(json::value(e));
  }
  bool ok = filled && replayed && clean && !st.failed;
  std::string name = o.common.name.empty() ? "parley-long-chat" : o.common.name;
  auto result = make_result(name, "long-chat", "parley", params, figures, ok, errors);
  if (!o.common.out.empty()) write_json_file(o.common.out, result);

  auto mib = [](std::optional<std::uint64_t> b) {
    if (!b) return std::string("-");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*b) / (1024.0 * 1024.0));
    return std::string(buf);
  };
  std::cout << "| " << name << " | filled " << st.acked.load() << " messages in " << fill_s << " s | replay of "
            << check.owed() << " events after_seq 0: " << replay_s << " s, "
            << (clean ? "every seq once, in order" : "NOT every seq once in order") << " | server RSS start / peak / end "
            << mib(rss_start) << " / "
            << mib(rss_start ? std::optional<std::uint64_t>(std::max<std::uint64_t>(rss_peak, hwm.value_or(0))) : std::nullopt)
            << " / " << mib(rss_end) << " MiB |\n";
  for (const auto& e : errors) std::cerr << "  error: " << e.as_string() << "\n";
  // The sockets are closed and the I/O thread is gone: skip tearing down the io_context with
  // coroutine frames still parked in it (as run_chat does).
  std::cout.flush();
  std::cerr.flush();
  _exit(ok ? 0 : 1);
}

}  // namespace parley::bench
