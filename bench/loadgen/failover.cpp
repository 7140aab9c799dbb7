// The failover scenario (PROFILE=cluster): P visitor/agent pairs chatting at a modest rate,
// visitors on one node (--port) and agents on another (the first of --agent-ports); after
// --before seconds the agents' node is killed with SIGKILL (--kill-pid), the agents' sockets
// reconnect to the next port of the list, subscribe again from the last seq they had, and send
// again every message they had not had acknowledged, with the same client_id (docs/api.md: a
// retried client_id is acknowledged as a duplicate, not stored twice). After --after more
// seconds the senders stop, the run drains, and delivery_check.hpp counts, per direction of
// every conversation, what was acknowledged against what the other side received.
//
// A client here keeps an outbox: every message it makes stays in it until acknowledged; while
// the socket is down new messages wait there, and after a reconnect the whole outbox goes out
// again, in order, after the subscribes. The resume point of a conversation is the highest seq
// of an `event` frame received, never an ack's seq (an ack can overtake an earlier event of the
// other side that is still on its way through the bus).
//
// Everything runs on one I/O thread: no locks.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "delivery_check.hpp"
#include "proc_stats.hpp"
#include "result.hpp"
#include "scenarios.hpp"

namespace parley::bench {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// "fo.<conversation>.<a|v>.<n>"
std::string client_id(std::int64_t conv, bool agent, std::uint64_t n) {
  return "fo." + std::to_string(conv) + (agent ? ".a." : ".v.") + std::to_string(n);
}

struct ParsedId {
  std::int64_t conv = 0;
  bool agent = false;
  std::uint64_t n = 0;
};

std::optional<ParsedId> parse_client_id(std::string_view id) {
  if (id.substr(0, 3) != "fo.") return std::nullopt;
  id.remove_prefix(3);
  ParsedId p;
  auto [q, ec] = std::from_chars(id.data(), id.data() + id.size(), p.conv);
  if (ec != std::errc()) return std::nullopt;
  std::string_view rest(q, static_cast<std::size_t>(id.data() + id.size() - q));
  if (rest.size() < 4 || rest[0] != '.' || rest[2] != '.') return std::nullopt;
  if (rest[1] != 'a' && rest[1] != 'v') return std::nullopt;
  p.agent = rest[1] == 'a';
  rest.remove_prefix(3);
  auto [e, ec2] = std::from_chars(rest.data(), rest.data() + rest.size(), p.n);
  if (ec2 != std::errc() || e != rest.data() + rest.size()) return std::nullopt;
  return p;
}

awaitable<void> sleep_for(asio::io_context& ioc, std::chrono::nanoseconds d) {
  asio::steady_timer t(ioc, d);
  co_await t.async_wait(tuple_awaitable);
}

// A conversation as one side sees it.
struct Conv {
  std::int64_t id = 0;
  std::int64_t last_event_seq = 0;  // resume point: the highest seq of an event frame
  bool ready = false;               // chat.accepted seen
  std::uint64_t next_n = 0;
  std::map<std::uint64_t, std::string> outbox;  // n -> message.send frame, until acknowledged
  std::int64_t first_delivery_after_kill = -1;  // ns
};

// One WebSocket connection; a reconnect makes a new one.
struct Link {
  explicit Link(asio::io_context& ioc) : ws(ioc) {}
  Ws ws;
  std::deque<std::string> out;
  bool writing = false;
  bool dead = false;
};

class Side;

struct Run {
  explicit Run(const FailoverOptions& opts) : o(opts), sources(opts.common.source_addresses) {}

  const FailoverOptions& o;
  asio::io_context ioc{1};
  SourceAddresses sources;
  std::map<std::pair<std::int64_t, bool>, StreamLog> streams;  // (conversation, from agent)
  std::vector<std::shared_ptr<Side>> agents, visitors;
  std::vector<std::string> errors;
  std::string run_tag;
  std::string body;
  std::int64_t kill_at = INT64_MAX;  // ns; INT64_MAX: not killed (yet)
  bool sending = false, stopping = false;
  int agents_ready = 0, sides_ready = 0, setup_failures = 0, next_pair = 0, setup_workers = 0;
  std::uint64_t acks_duplicate = 0, error_frames = 0, reconnects = 0, connect_failures = 0,
                resent = 0;

  void fail(std::string what) {
    if (errors.size() < 30) errors.push_back(std::move(what));
  }
  StreamLog& stream(std::int64_t conv, bool from_agent) { return streams[{conv, from_agent}]; }
};

class Side : public std::enable_shared_from_this<Side> {
 public:
  Side(Run& r, bool agent, int index, std::vector<unsigned short> ports)
      : r_(r), signal_(r.ioc), agent_(agent), index_(index), ports_(std::move(ports)) {
    tag_ = (agent ? "agent " : "visitor ") + std::to_string(index + 1);
  }

  bool agent() const { return agent_; }
  bool live() const { return live_; }
  const std::string& tag() const { return tag_; }
  std::map<std::int64_t, Conv>& convs() { return convs_; }
  asio::steady_timer& signal() { return signal_; }
  unsigned short first_port() const { return ports_.front(); }
  void set_cookie(std::string c) { cookie_ = std::move(c); }
  void set_token(std::string t) { token_ = std::move(t); }
  std::int64_t lost_at() const { return lost_at_; }
  std::int64_t back_at() const { return back_at_; }
  std::int64_t first_delivery_after_kill() const { return first_delivery_after_kill_; }

  // Connects to `port` and waits for `hello`; true when authenticated.
  // (Coroutines awaited in place take the Side by reference: see net.hpp on GCC 12.)
  static awaitable<bool> connect_once(const std::shared_ptr<Side>& self, unsigned short port) {
    auto& r = self->r_;
    auto link = std::make_shared<Link>(r.ioc);
    Target target;
    target.host = r.o.common.target.host;
    target.port = port;
    auto local = r.sources.next();
    std::string_view cookie = self->cookie_;
    auto ec = co_await ws_connect(link->ws, target, local, cookie, 5s);
    if (ec) co_return false;
    self->link_ = link;
    self->authed_ = false;
    asio::co_spawn(r.ioc, read_loop(self, link), asio::detached);
    if (!self->agent_) {
      json::object auth{{"type", "auth"}, {"visitor_token", self->token_}};
      self->send(json::serialize(auth));
    }
    auto deadline = Clock::now() + 5s;
    co_await wait_until(self->signal_, [&] { return self->authed_ || link->dead; }, deadline);
    if (!self->authed_ || link->dead) {
      self->drop(link);
      co_return false;
    }
    co_return true;
  }

  // First connection, during setup: nothing to resume.
  static awaitable<void> open(const std::shared_ptr<Side>& self) {
    bool ok = co_await connect_once(self, self->ports_.front());
    if (!ok) throw std::runtime_error(self->tag_ + ": no hello from port " + std::to_string(self->ports_.front()));
    self->live_ = true;
  }

  void send(std::string frame) {
    auto link = link_;
    if (!link || link->dead) return;  // the outbox sends it again after a reconnect
    link->out.push_back(std::move(frame));
    if (!link->writing) {
      link->writing = true;
      asio::co_spawn(r_.ioc, write_loop(shared_from_this(), link), asio::detached);
    }
  }

  void subscribe(std::int64_t conv, std::int64_t after_seq) {
    send(R"({"type":"subscribe","conversation_id":)" + std::to_string(conv) + R"(,"after_seq":)" +
         std::to_string(after_seq) + "}");
  }

  // A new message into the outbox; out at once when the socket is live.
  void new_message(Conv& c) {
    std::uint64_t n = c.next_n++;
    r_.stream(c.id, agent_).sent = c.next_n;
    std::string frame;
    frame.reserve(128 + r_.body.size());
    frame += R"({"type":"message.send","conversation_id":)";
    frame += std::to_string(c.id);
    frame += R"(,"client_id":")";
    frame += client_id(c.id, agent_, n);
    frame += R"(","body":")";
    frame += r_.body;
    frame += "\"}";
    auto& slot = c.outbox[n];
    slot = std::move(frame);
    if (live_) send(slot);
  }

  // Sends on a fixed schedule, round robin over this side's conversations, while r.sending.
  static awaitable<void> sender(std::shared_ptr<Side> self, std::int64_t t0) {
    auto& r = self->r_;
    if (self->convs_.empty()) co_return;
    std::vector<std::int64_t> ids;
    for (auto& [id, c] : self->convs_) ids.push_back(id);
    double share = r.o.rate * static_cast<double>(ids.size()) / (2.0 * r.o.pairs);
    auto interval = static_cast<std::int64_t>(1e9 / share);
    std::mt19937_64 rng(static_cast<std::uint64_t>(self->index_) * 7919 + (self->agent_ ? 1 : 0));
    std::int64_t next = t0 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(interval));
    std::size_t rr = 0;
    asio::steady_timer pace(r.ioc);
    while (r.sending && !r.stopping) {
      if (now_ns() < next) {
        pace.expires_at(at_ns(next));
        co_await pace.async_wait(tuple_awaitable);
        continue;
      }
      self->new_message(self->convs_.at(ids[rr++ % ids.size()]));
      next += interval;
    }
  }

  // After the socket dropped: the next port of the list first (the node that dropped it is
  // presumed gone), then round the list with a growing pause; then subscribe again from the
  // last seq of each conversation and send the outbox again.
  static awaitable<void> reconnect(std::shared_ptr<Side> self) {
    auto& r = self->r_;
    int attempt = 0;
    while (!r.stopping) {
      unsigned short port = self->ports_[self->port_i_ % self->ports_.size()];
      bool ok = co_await connect_once(self, port);
      if (ok) break;
      ++r.connect_failures;
      ++self->port_i_;
      ++attempt;
      if (attempt >= static_cast<int>(self->ports_.size())) {
        auto pause = std::min<std::int64_t>(1000, 25LL << std::min(attempt, 6));
        co_await sleep_for(r.ioc, std::chrono::milliseconds(pause));
      }
    }
    if (r.stopping || !self->authed_) co_return;
    ++r.reconnects;
    std::int64_t now = now_ns();
    if (now >= r.kill_at && self->lost_at_ >= 0 && self->back_at_ < 0) self->back_at_ = now;
    for (auto& [id, c] : self->convs_) self->subscribe(id, c.last_event_seq);
    for (auto& [id, c] : self->convs_) {
      for (auto& [n, frame] : c.outbox) {
        self->send(frame);
        ++r.resent;
      }
    }
    self->live_ = true;
  }

  void close() {
    if (auto link = link_) {
      link->dead = true;
      beast::error_code ignored;
      beast::get_lowest_layer(link->ws).socket().close(ignored);
    }
  }

 private:
  std::string_view role() const { return agent_ ? "agent" : "visitor"; }

  static awaitable<void> write_loop(std::shared_ptr<Side> self, std::shared_ptr<Link> link) {
    while (!link->out.empty() && !link->dead) {
      auto [ec, n] = co_await link->ws.async_write(asio::buffer(link->out.front()), tuple_awaitable);
      if (ec) {
        self->lost(link, "write: " + ec.message());
        break;
      }
      link->out.pop_front();
    }
    link->writing = false;
  }

  static awaitable<void> read_loop(std::shared_ptr<Side> self, std::shared_ptr<Link> link) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await link->ws.async_read(buffer, tuple_awaitable);
      if (ec) {
        self->lost(link, "read: " + ec.message());
        co_return;
      }
      if (link != self->link_) co_return;  // a connection given up on
      auto data = buffer.cdata();
      self->on_frame(std::string_view(static_cast<const char*>(data.data()), data.size()));
      buffer.consume(buffer.size());
    }
  }

  void drop(const std::shared_ptr<Link>& link) {
    link->dead = true;
    beast::error_code ignored;
    beast::get_lowest_layer(link->ws).socket().close(ignored);
    if (link_ == link) {
      link_.reset();
      authed_ = false;
      live_ = false;
    }
    signal_.cancel();
  }

  // The current connection is gone: reconnect (unless the run is over or a connect is
  // already under way, which handles its own failures).
  void lost(const std::shared_ptr<Link>& link, const std::string& why) {
    bool current = link == link_ && !link->dead;
    bool was_live = current && live_;
    drop(link);
    if (!current || r_.stopping) return;
    std::int64_t now = now_ns();
    if (now >= r_.kill_at) {
      if (lost_at_ < 0) lost_at_ = now;
    } else {
      r_.fail(tag_ + " lost its connection before any kill (" + why + ")");
    }
    if (!was_live) return;  // during connect_once: its caller goes on
    ++port_i_;
    asio::co_spawn(r_.ioc, reconnect(shared_from_this()), asio::detached);
  }

  void on_frame(std::string_view f) {
    auto type = frame_type(f);
    if (type == "event") {
      auto conv = int_field(f, "conversation_id");
      auto seq = int_field(f, "seq");
      if (!conv || !seq) return;
      auto it = convs_.find(*conv);
      if (it == convs_.end()) return;
      Conv& c = it->second;
      c.last_event_seq = std::max(c.last_event_seq, *seq);
      auto kind = string_field(f, "kind");
      if (kind == "chat.accepted") {
        if (!c.ready) {
          c.ready = true;
          ++r_.sides_ready;
          signal_.cancel();
        }
      } else if (kind == "text" && string_field(f, "sender") != role()) {
        auto id = parse_client_id(string_field(f, "client_id"));
        if (!id || id->conv != c.id || id->agent == agent_) return;
        r_.stream(c.id, id->agent).received.emplace_back(*seq, id->n);
        std::int64_t now = now_ns();
        if (now >= r_.kill_at) {
          if (first_delivery_after_kill_ < 0) first_delivery_after_kill_ = now;
          if (c.first_delivery_after_kill < 0) c.first_delivery_after_kill = now;
        }
      }
      return;
    }
    if (type == "message.ack") {
      auto id = parse_client_id(string_field(f, "client_id"));
      auto seq = int_field(f, "seq");
      if (!id || !seq || id->agent != agent_) return;
      auto it = convs_.find(id->conv);
      if (it == convs_.end()) return;
      r_.stream(id->conv, agent_).acked.emplace_back(id->n, *seq);
      it->second.outbox.erase(id->n);
      if (f.find(R"("duplicate":true)") != std::string_view::npos) ++r_.acks_duplicate;
      return;
    }
    if (type == "chat.requested") {
      if (!agent_) return;
      auto id = int_field(f, "id");  // the conversation's id comes first
      if (!id || convs_.count(*id)) return;  // offered again after a hello: ours already
      // Only this run's visitors (their email holds the run's tag), not a request an earlier
      // run on the same database left pending.
      if (f.find(r_.run_tag) == std::string_view::npos) return;
      Conv c;
      c.id = *id;
      convs_.emplace(*id, std::move(c));
      send(R"({"type":"chat.accept","conversation_id":)" + std::to_string(*id) + "}");
      subscribe(*id, 0);
      return;
    }
    if (type == "hello") {
      authed_ = true;
      signal_.cancel();
      return;
    }
    if (type == "error") {
      ++r_.error_frames;
      r_.fail(tag_ + " got " + std::string(f.substr(0, 300)));
      // A send refused (the database briefly unavailable, say) stays in the outbox: try it
      // again shortly if the socket is still up.
      if (auto id = parse_client_id(string_field(f, "ref")); id && id->agent == agent_) {
        asio::co_spawn(r_.ioc, retry_later(shared_from_this(), id->conv, id->n), asio::detached);
      }
      return;
    }
  }

  static awaitable<void> retry_later(std::shared_ptr<Side> self, std::int64_t conv, std::uint64_t n) {
    co_await sleep_for(self->r_.ioc, 200ms);
    auto it = self->convs_.find(conv);
    if (it == self->convs_.end() || !self->live_) co_return;
    if (auto m = it->second.outbox.find(n); m != it->second.outbox.end()) self->send(m->second);
  }

  Run& r_;
  asio::steady_timer signal_;  // setup and connect waits: cancelled when a frame changes state
  bool agent_;
  int index_;
  std::string tag_;
  std::vector<unsigned short> ports_;
  std::size_t port_i_ = 0;
  std::string cookie_, token_;
  std::shared_ptr<Link> link_;
  bool authed_ = false;  // hello on the current connection
  bool live_ = false;    // resubscribed and outbox sent: new messages go straight out
  std::map<std::int64_t, Conv> convs_;
  std::int64_t lost_at_ = -1, back_at_ = -1, first_delivery_after_kill_ = -1;
};

// --- setup (as chat.cpp does it, with the agents on their own node) ---

awaitable<void> agent_setup(Run& r, std::shared_ptr<Side> a, int j) {
  const auto& o = r.o;
  beast::tcp_stream http(r.ioc);
  Target target;
  target.host = o.common.target.host;
  target.port = a->first_port();
  auto local = r.sources.next();
  auto ec = co_await tcp_connect(http, target, local, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string email = format_index(o.agent_email, j + 1);
  std::string login = json::serialize(json::object{{"email", email}, {"password", o.agent_password}});
  std::string_view login_path = "/api/v1/auth/login";
  auto reply = co_await http_call(http, target, http::verb::post, login_path, login, "", "", 60s);
  if (reply.ec || reply.status != 200 || reply.cookie.empty()) {
    throw std::runtime_error("login " + email + ": HTTP " + std::to_string(reply.status) + " " +
                             reply.body + reply.ec.message());
  }
  a->set_cookie(reply.cookie);
  std::string cookie = reply.cookie;
  std::string_view avail_path = "/api/v1/me/availability";
  std::string_view avail_body = R"({"available":true})";
  auto avail = co_await http_call(http, target, http::verb::put, avail_path, avail_body, cookie, "", 30s);
  if (avail.ec || avail.status != 200) {
    throw std::runtime_error("availability " + email + ": HTTP " + std::to_string(avail.status) + " " + avail.body);
  }
  co_await Side::open(a);
  ++r.agents_ready;
}

awaitable<void> pair_setup(Run& r, int i) {
  const auto& o = r.o;
  auto v = std::make_shared<Side>(r, false, i, std::vector<unsigned short>{o.common.target.port});
  r.visitors.push_back(v);
  beast::tcp_stream http(r.ioc);
  auto local = r.sources.next();
  auto ec = co_await tcp_connect(http, o.common.target, local, 15s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  std::string token = co_await new_visitor_token(http, o.common.target);
  v->set_token(token);
  co_await Side::open(v);
  std::int64_t id = co_await request_chat(
      http, o.common.target, token, "Failover Visitor " + std::to_string(i + 1),
      "failover-visitor-" + std::to_string(i + 1) + "-" + r.run_tag + "@bench.local");
  Conv c;
  c.id = id;
  v->convs().emplace(id, std::move(c));
  v->subscribe(id, 0);
  beast::error_code ignored;
  http.socket().shutdown(tcp::socket::shutdown_both, ignored);
  // Set up when the agent (on the other node: the offer crosses the bus) has accepted.
  auto deadline = Clock::now() + 60s;
  bool ok = co_await wait_until(v->signal(), [&] { return v->convs().at(id).ready; }, deadline);
  if (!ok) {
    throw std::runtime_error("conversation " + std::to_string(id) +
                             ": chat.accepted did not reach the visitor in 60 s (was the offer seen?)");
  }
}

awaitable<void> setup_worker(Run& r) {
  for (;;) {
    int i = r.next_pair++;
    if (i >= r.o.pairs || r.setup_failures > 0) break;
    try {
      co_await pair_setup(r, i);
    } catch (const std::exception& e) {
      ++r.setup_failures;
      r.fail("pair " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  --r.setup_workers;
}

// Polls `done` every `poll` until it holds or `timeout` passes.
template <class Pred>
awaitable<bool> wait_for(Run& r, Pred done, std::chrono::milliseconds timeout,
                         std::chrono::milliseconds poll = 5ms) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) co_return false;
    co_await sleep_for(r.ioc, poll);
  }
  co_return true;
}

json::object check_json(const DeliveryCheck& c) {
  return {{"sent", c.sent},           {"acked", c.acked},
          {"unacked", c.unacked},     {"delivered", c.delivered},
          {"lost", c.lost},           {"duplicated", c.duplicated},
          {"reordered", c.reordered}, {"redelivered", c.redelivered},
          {"delivered_unacked", c.delivered_unacked}};
}

json::object spread_ms(std::vector<double> v) {
  json::object o{{"count", static_cast<std::uint64_t>(v.size())}};
  if (v.empty()) return o;
  std::sort(v.begin(), v.end());
  o["p50_ms"] = v[(v.size() - 1) / 2];
  o["max_ms"] = v.back();
  o["min_ms"] = v.front();
  return o;
}

struct Outcome {
  double setup_s = 0;
  bool setup_ok = false, killed = false, drained = false;
  std::int64_t started = 0, stopped = 0;
};

awaitable<void> run_all(Run& r, Outcome& out) {
  const auto& o = r.o;
  auto setup_start = Clock::now();
  // Agents first: requests are routed only to agents who are available.
  for (int j = 0; j < o.agents; ++j) {
    auto a = std::make_shared<Side>(r, true, j, o.agent_ports);
    r.agents.push_back(a);
    asio::co_spawn(r.ioc, agent_setup(r, a, j), [&r, j](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        ++r.setup_failures;
        r.fail("agent " + std::to_string(j + 1) + ": " + x.what());
      }
    });
  }
  bool ok = co_await wait_for(r, [&] { return r.agents_ready == o.agents || r.setup_failures > 0; }, 120s);
  if (ok && r.setup_failures == 0) {
    r.setup_workers = std::min(o.setup_concurrency, o.pairs);
    for (int k = 0, n = r.setup_workers; k < n; ++k) asio::co_spawn(r.ioc, setup_worker(r), asio::detached);
    ok = co_await wait_for(r, [&] { return r.setup_workers == 0; }, 300s);
    ok = ok && co_await wait_for(r, [&] { return r.sides_ready >= 2 * o.pairs || r.setup_failures > 0; }, 30s);
  }
  out.setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  out.setup_ok = ok && r.setup_failures == 0 && r.sides_ready >= 2 * o.pairs;
  if (!out.setup_ok) {
    r.fail("setup incomplete: " + std::to_string(r.sides_ready) + " of " + std::to_string(2 * o.pairs) +
           " sides ready, " + std::to_string(r.agents_ready) + " of " + std::to_string(o.agents) + " agents");
  } else {
    // --- chat, the kill, chat on ---
    r.sending = true;
    out.started = now_ns();
    for (auto* group : {&r.agents, &r.visitors}) {
      for (auto& s : *group) asio::co_spawn(r.ioc, Side::sender(s, out.started), asio::detached);
    }
    co_await sleep_for(r.ioc, std::chrono::nanoseconds(static_cast<std::int64_t>(o.before_s * 1e9)));
    if (o.kill_pid > 0) {
      r.kill_at = now_ns();
      if (::kill(o.kill_pid, SIGKILL) == 0) {
        out.killed = true;
      } else {
        r.fail("kill -9 " + std::to_string(o.kill_pid) + " failed");
        r.kill_at = INT64_MAX;
      }
    }
    co_await sleep_for(r.ioc, std::chrono::nanoseconds(static_cast<std::int64_t>(o.after_s * 1e9)));
    r.sending = false;
    out.stopped = now_ns();
    // --- drain: every outbox empty, every acknowledged message delivered ---
    auto settled = [&] {
      for (auto* group : {&r.agents, &r.visitors}) {
        for (auto& s : *group) {
          if (!s->live()) return false;
          for (auto& [id, c] : s->convs()) {
            if (!c.outbox.empty()) return false;
          }
        }
      }
      for (auto& [key, log] : r.streams) {
        auto c = check_stream(log);
        if (c.lost > 0) return false;
      }
      return true;
    };
    auto drain_ms = std::chrono::milliseconds(static_cast<long>(o.drain_timeout_s * 1000));
    out.drained = co_await wait_for(r, settled, drain_ms, 50ms);
    // A little longer: a duplicate delivered late would still be counted.
    co_await sleep_for(r.ioc, 200ms);
  }
  r.stopping = true;
  for (auto* group : {&r.agents, &r.visitors}) {
    for (auto& s : *group) s->close();
  }
  r.ioc.stop();
}

}  // namespace

int run_failover(const FailoverOptions& o) {
  raise_fd_limit();
  if (o.agent_ports.empty()) throw std::runtime_error("--agent-ports: at least one port");
  Run r(o);
  r.body = std::string(static_cast<std::size_t>(std::max(1, o.body_bytes)), 'x');
  {
    std::string prefix = "failover message ";
    r.body.replace(0, std::min(prefix.size(), r.body.size()), prefix.substr(0, r.body.size()));
  }
  r.run_tag = std::to_string(getpid()) + "-" + std::to_string(now_ns() % 1000000007);
  Outcome out;
  double cpu0 = self_cpu_seconds();
  asio::co_spawn(r.ioc, run_all(r, out), [&r](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      r.fail(std::string("run: ") + x.what());
    }
    r.ioc.stop();
  });
  r.ioc.run();
  double self_cpu = self_cpu_seconds() - cpu0;

  // --- the accounting ---
  DeliveryCheck all, to_agents, to_visitors;
  for (const auto& [key, log] : r.streams) {
    auto c = check_stream(log);
    all += c;
    (key.second ? to_visitors : to_agents) += c;
  }
  std::vector<double> reconnect_ms, dropped_ms, first_ms, conv_ms;
  int dropped = 0, not_back = 0;
  if (out.killed) {
    for (auto& a : r.agents) {
      if (a->lost_at() < 0) continue;
      ++dropped;
      dropped_ms.push_back(static_cast<double>(a->lost_at() - r.kill_at) / 1e6);
      if (a->back_at() >= 0) {
        reconnect_ms.push_back(static_cast<double>(a->back_at() - r.kill_at) / 1e6);
      } else {
        ++not_back;
      }
      if (a->first_delivery_after_kill() >= 0) {
        first_ms.push_back(static_cast<double>(a->first_delivery_after_kill() - r.kill_at) / 1e6);
      }
      for (auto& [id, c] : a->convs()) {
        conv_ms.push_back(c.first_delivery_after_kill >= 0
                              ? static_cast<double>(c.first_delivery_after_kill - r.kill_at) / 1e6
                              : -1.0);
      }
    }
    for (auto& v : r.visitors) {
      if (v->lost_at() >= 0) r.fail(v->tag() + " lost its connection too (its node was not killed)");
    }
  }
  bool conv_all = !conv_ms.empty() && std::none_of(conv_ms.begin(), conv_ms.end(), [](double v) { return v < 0; });

  json::object figures{
      {"setup_s", out.setup_s},
      {"killed", out.killed},
      {"drained", out.drained},
      {"delivery", check_json(all)},
      {"visitor_to_agent", check_json(to_agents)},
      {"agent_to_visitor", check_json(to_visitors)},
      {"exactly_once_in_order", all.exactly_once_in_order() && all.unacked == 0},
      {"acks_duplicate", r.acks_duplicate},
      {"resent_after_reconnect", r.resent},
      {"reconnects", r.reconnects},
      {"connect_failures", r.connect_failures},
      {"error_frames", r.error_frames},
      {"sockets_dropped", dropped},
      {"sockets_not_back", not_back},
      {"dropped_after_kill", spread_ms(dropped_ms)},
      {"reconnect_after_kill", spread_ms(reconnect_ms)},
      {"loadgen_cpu_s", self_cpu},
  };
  if (!first_ms.empty()) figures["first_delivery_after_kill_ms"] = *std::min_element(first_ms.begin(), first_ms.end());
  if (conv_all) figures["every_conversation_delivering_ms"] = *std::max_element(conv_ms.begin(), conv_ms.end());
  if (out.started && out.stopped) figures["chat_s"] = static_cast<double>(out.stopped - out.started) / 1e9;

  bool ok_run = out.setup_ok && (o.kill_pid == 0 || out.killed);
  if (out.killed && dropped == 0) {
    r.fail("no agent socket lost its connection after the kill: was --kill-pid the agents' node?");
    ok_run = false;
  }
  if (out.setup_ok && !out.drained) {
    r.fail("drain timed out: " + std::to_string(all.unacked) + " messages never acknowledged, " +
           std::to_string(all.lost) + " acknowledged ones not delivered");
  }
  json::array agent_ports;
  for (auto p : o.agent_ports) agent_ports.push_back(p);
  json::object params{{"pairs", o.pairs},
                      {"agents", o.agents},
                      {"rate", o.rate},
                      {"before_s", o.before_s},
                      {"after_s", o.after_s},
                      {"kill_pid", o.kill_pid},
                      {"drain_timeout_s", o.drain_timeout_s},
                      {"body_bytes", o.body_bytes},
                      {"port", o.common.target.port},
                      {"agent_ports", agent_ports},
                      {"server_pid", o.common.server_pid}};
  json::array errors;
  for (const auto& e : r.errors) errors.push_back(json::value(e));
  std::string name = o.common.name.empty() ? "cluster-failover" : o.common.name;
  auto result = make_result(name, "failover", "parley", params, figures, ok_run, errors);
  if (!o.common.out.empty()) write_json_file(o.common.out, result);

  auto ms = [&](const char* key) -> std::string {
    const auto& s = figures.at(key).as_object();
    if (!s.contains("p50_ms")) return "-";
    return std::to_string(static_cast<long long>(s.at("p50_ms").as_double())) + " / " +
           std::to_string(static_cast<long long>(s.at("max_ms").as_double())) + " ms";
  };
  std::cout << "| " << name << " | pairs " << o.pairs << " | sent " << all.sent << " | acked " << all.acked
            << " | delivered " << all.delivered << " | lost " << all.lost << " | duplicated " << all.duplicated
            << " | reordered " << all.reordered << " | unacked " << all.unacked << " | reconnect p50/max "
            << ms("reconnect_after_kill") << " | resent " << r.resent << " (" << r.acks_duplicate
            << " acked as duplicates) |\n";
  for (const auto& e : errors) std::cerr << "  error: " << e.as_string() << "\n";
  std::cout.flush();
  std::cerr.flush();
  _exit(ok_run ? 0 : 1);
}

}  // namespace parley::bench
