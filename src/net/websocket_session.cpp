#include "net/websocket_session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>
#include <unordered_map>
#include <vector>

#include "net/as_tuple_awaitable.hpp"
#include "net/json_codec.hpp"
#include "net/log.hpp"
#include "net/message_json.hpp"
#include "net/websocket_frame.hpp"

namespace parley::net {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// A peer that lets this many frames pile up is too slow; it is disconnected and will
// catch up from its last seq when it reconnects.
constexpr std::size_t kMaxQueuedFrames = 4096;
// Frames' worth of queue capacity a socket keeps between writes.
constexpr std::size_t kKeptFrames = 32;
// Replay (subscribe, or a gap in live events) reads the store a page at a time and reads
// the next page only once the writer is down to kReplayLowWater unwritten frames, so a
// backlog of any size resumes without ever filling the queue.
constexpr int kReplayPage = 256;
constexpr std::size_t kReplayLowWater = 64;
constexpr std::size_t kMaxFrameBytes = kMaxRequestBody;
// After the server's close frame, how long the peer has to answer with its own.
constexpr auto kClosingTimeout = std::chrono::seconds(5);
// Reads a session makes in a row without returning to the scheduler: a peer that keeps its
// socket full cannot hold an I/O thread.
constexpr int kReadsPerTurn = 16;
// Sends of one peer that may await their commit at once before the session stops reading.
constexpr int kMaxInFlightSends = 64;

// Where a session's reads land before the frame reader takes what it needs: one buffer per
// I/O thread, so a socket holds no read buffer of its own.
thread_local std::array<char, 16 * 1024> read_chunk;

class Session : public bus::Subscriber, public std::enable_shared_from_this<Session> {
 public:
  Session(asio::ip::tcp::socket socket, Services& services, std::optional<core::Agent> agent,
          const WebSocketSettings& settings, std::shared_ptr<void> slot)
      : socket_(std::move(socket)),
        reader_(kMaxFrameBytes),
        flow_(socket_.get_executor()),
        deadline_(socket_.get_executor()),
        settings_(settings),
        slot_(std::move(slot)),
        s_(services),
        agent_(agent ? std::make_unique<core::Agent>(std::move(*agent)) : nullptr) {
    if (agent_) actor_ = app::Actor::of_agent(*agent_);
  }

  awaitable<void> run(Request upgrade) {
    if (!co_await accept(std::move(upgrade))) co_return;
    last_heard_ = std::chrono::steady_clock::now();
    // Closes a socket that has not authenticated in time: an open socket costs the server
    // memory and a descriptor, so an anonymous one may not hold them for long. Once
    // authenticated, the same timer closes a socket whose peer went silent.
    watch(last_heard_ + (actor_ ? settings_.idle_timeout : settings_.auth_timeout));
    if (actor_) on_authenticated();

    bool drained = false;  // the last read emptied the socket
    for (int reads = 0;;) {
      auto incoming = reader_.next();
      if (!incoming) {
        // Reads what the peer sent: at once while bytes are waiting (kReadsPerTurn times in
        // a row at most), otherwise once the socket is readable. Nothing is buffered while
        // waiting, so an idle socket holds one small wait operation. A read that did not
        // fill the chunk emptied the socket: the next read would most likely find nothing
        // (a wasted system call, most of the time at saturation), so the session waits
        // instead. The wait re-arms the socket, and so reports bytes that came meanwhile.
        if (reads < kReadsPerTurn && !drained) {
          boost::system::error_code ec;
          std::size_t n = socket_.read_some(asio::buffer(read_chunk), ec);
          if (!ec) {
            ++reads;
            drained = n < read_chunk.size();
            reader_.append(std::string_view(read_chunk.data(), n));
            last_heard_ = std::chrono::steady_clock::now();
            continue;
          }
          if (ec != asio::error::would_block) break;  // the peer is gone, or we dropped it
        }
        reads = 0;
        drained = false;
        auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_read, as_tuple_awaitable);
        if (ec) break;
        continue;
      }
      using Kind = ws::Incoming::Kind;
      if (incoming->kind == Kind::violation && !closing_) {
        // Says what failed, then ends the server's side of the stream after the close frame
        // and reads (and drops) what the peer still sends until it closes: closing a socket
        // with unread bytes would reset the connection, and the reset can destroy the close
        // frame before the peer reads it.
        if (incoming->code == ws::kCloseTooBig) send_error("payload_too_large", "frame over 64 KiB", "");
        begin_close(incoming->code, incoming->reason);
        shutdown_after_writes_ = true;
        continue;
      }
      if (incoming->kind == Kind::violation || incoming->kind == Kind::close) {
        // The server's close frame answers the peer's (or already went out).
        if (!closing_) begin_close(incoming->code, incoming->reason);
        break;
      }
      if (closing_) continue;  // only the peer's close frame matters now
      if (incoming->kind == Kind::ping) {
        send(std::move(incoming->payload), ws::Opcode::pong);
        continue;
      }
      if (incoming->kind == Kind::binary) {
        send_error("bad_request", "send JSON text frames", "");
        continue;
      }
      try {
        if (!handle(incoming->payload)) begin_close(ws::kCloseNormal);
      } catch (const core::Unavailable&) {
        send_error("unavailable", "the database cannot be reached; try again shortly", "");
      } catch (const std::exception& e) {
        log_error("websocket frame failed", {{"error", e.what()}});
        send_error("internal", "internal error", "");
      }
      // Flow control: stop reading while too many sends of this peer await their commit.
      while (in_flight_ >= kMaxInFlightSends && !closed_) {
        flow_.expires_at(std::chrono::steady_clock::time_point::max());
        co_await flow_.async_wait(as_tuple_awaitable);
      }
    }
    for (const auto& topic : topics_) s_.bus.unsubscribe(topic, this);
    if (!closing_) {
      drop_now();  // the peer went away (or was dropped): nobody to say goodbye to
    } else {
      drop_after_writes_ = true;  // the close frame goes out, then the TCP connection closes
      if (!writing_) drop_now();
    }
  }

  // However the session ends (a closed socket, a failed frame, an exception), the agent's
  // socket stops counting.
  ~Session() override {
    if (counted_present_) s_.presence.disconnected(agent_->id);
    if (counted_open_ && settings_.metrics) settings_.metrics->socket_closed(*counted_open_);
  }

  auto executor() { return socket_.get_executor(); }

  void deliver(const bus::EventPtr& event) override {
    // This socket's own message: its ack carried the event (on_stored). Dropped here, on the
    // publisher's thread, it costs no hand-off to the socket's thread.
    if (event->already_told(this)) return;
    asio::post(socket_.get_executor(), [self = shared_from_this(), event] { self->on_event(event); });
  }

  // Events may have been lost between nodes: every followed conversation is read from the
  // store after its last sent seq (replay sends only what is missing).
  void resync() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->closed_) return;
      for (const auto& [conversation_id, seq] : self->last_sent_) self->replay(conversation_id);
    });
  }

 private:
  // --- inbound frames ---
  // Returns false when the connection must close.
  bool handle(std::string_view text) {
    auto parsed = parse_object(text);
    if (!parsed) {
      send_error("bad_request", parsed.error().message, "");
      return true;
    }
    const json::object& f = *parsed;
    auto type = required_string(f, "type");
    if (!type) {
      send_error("bad_request", type.error().message, "");
      return true;
    }
    if (*type == "ping") {
      send(R"({"type":"pong"})");
      return true;
    }
    if (!actor_) {
      if (*type != "auth") {
        send_error("unauthorized", "authenticate first", *type);
        return false;
      }
      auto token = required_string(f, "visitor_token");
      auto visitor = token ? s_.auth.visitor_for_token(*token) : std::nullopt;
      if (!visitor) {
        send_error("unauthorized", "a valid visitor token is required", "auth");
        return false;
      }
      actor_ = app::Actor::of_visitor(visitor->id);
      watch(last_heard_ + settings_.idle_timeout);
      on_authenticated();
      return true;
    }
    auto conversation = required_int(f, "conversation_id");
    if (*type == "subscribe") {
      if (!conversation) return reply_error(conversation.error(), *type);
      std::int64_t after = 0;
      if (f.contains("after_seq")) {
        auto a = required_int(f, "after_seq");
        if (!a) return reply_error(a.error(), *type);
        after = *a;
      }
      subscribe(*conversation, after);
      return true;
    }
    if (*type == "message.send") {
      if (!conversation) return reply_error(conversation.error(), *type);
      auto client_id = required_string(f, "client_id");
      if (!client_id) return reply_error(client_id.error(), *type);
      auto body = required_string(f, "body");
      if (!body) return reply_error(body.error(), *client_id, *conversation);
      if (auto refused = over_message_limit()) return reply_error(*refused, *client_id, *conversation);
      // Answered when durable, on this socket's thread; meanwhile the next frames are read, so one
      // peer's sends (and everyone else's) share commits.
      ++in_flight_;
      s_.chats.post_message_async(
          *actor_, *conversation, *client_id, *body,
          [self = shared_from_this(), id = *client_id,
           conversation = *conversation](core::Result<app::ChatService::Posted> r) mutable {
            auto home = self->socket_.get_executor();  // before `self` moves below
            asio::post(home, [self = std::move(self), id = std::move(id), conversation,
                              r = std::move(r)] { self->on_stored(id, conversation, r); });
          },
          this);
      return true;
    }
    if (*type == "typing") {
      if (!conversation) return reply_error(conversation.error(), *type);
      auto ok = s_.chats.typing(*actor_, *conversation);
      if (!ok) return reply_error(ok.error(), *type, *conversation);
      return true;
    }
    if (*type == "read") {
      if (!conversation) return reply_error(conversation.error(), *type);
      auto seq = required_int(f, "seq");
      if (!seq) return reply_error(seq.error(), *type, *conversation);
      auto ok = s_.chats.mark_read(*actor_, *conversation, *seq);
      if (!ok) return reply_error(ok.error(), *type, *conversation);
      return true;
    }
    if (*type == "chat.accept") {
      if (!conversation) return reply_error(conversation.error(), *type);
      if (!agent_) return reply_error(core::forbidden("only agents accept chats"), *type, *conversation);
      auto c = s_.chats.accept(*agent_, *conversation);
      if (!c) return reply_error(c.error(), *type, *conversation);
      return true;  // conversation.updated reaches everyone concerned through the bus
    }
    if (*type == "chat.pass_on") {
      if (!conversation) return reply_error(conversation.error(), *type);
      if (!agent_) return reply_error(core::forbidden("only agents pass chats on"), *type, *conversation);
      auto ok = s_.chats.pass_on(*agent_, *conversation);
      if (!ok) return reply_error(ok.error(), *type, *conversation);
      return true;  // offer.withdrawn (declined) and the next offer go out through the bus
    }
    if (*type == "chat.end") {
      if (!conversation) return reply_error(conversation.error(), *type);
      auto c = s_.chats.end(*actor_, *conversation);
      if (!c) return reply_error(c.error(), *type, *conversation);
      return true;
    }
    send_error("bad_request", "unknown frame type: " + *type, *type);
    return true;
  }

  void on_stored(const std::string& client_id, core::Id conversation,
                 const core::Result<app::ChatService::Posted>& r) {
    --in_flight_;
    flow_.cancel();
    if (!r) {
      send_error(core::to_string(r.error().code), r.error().message, client_id, conversation);
      return;
    }
    // Made from the event frame the other sockets get: the message is serialized once.
    send(ack_frame(client_id, r->event->frame(encode_frame), r->duplicate));
    // The ack carries the event (the bus does not hand this socket its own messages): when it
    // is the next one this socket is owed, count it as sent. Otherwise an earlier event is
    // still on its way, and the gap the next one finds is filled from the store (replay).
    if (auto it = last_sent_.find(conversation); it != last_sent_.end()) {
      if (r->message().seq == it->second + 1) it->second = r->message().seq;
    }
  }

  // Messages per socket, and per visitor across all their sockets and the REST API.
  std::optional<core::Error> over_message_limit() {
    auto now = limiter_now();
    if (auto wait = message_bucket_.take(settings_.messages_per_socket, now)) {
      if (settings_.metrics) settings_.metrics->rate_limited("messages_per_socket");
      return too_many_messages(wait);
    }
    if (actor_->is_agent()) return std::nullopt;
    return take_visitor_message(*settings_.messages_per_visitor, actor_->id, now);
  }

  bool reply_error(const core::Error& e, std::string_view ref,
                   std::optional<core::Id> conversation = std::nullopt) {
    send_error(core::to_string(e.code), e.message, ref, conversation, e.retry_after_ms);
    return true;
  }

  void on_authenticated() {
    // Online before `hello`: a chat requested once the agent has it can be routed to them.
    if (agent_) {
      s_.presence.connected(agent_->id);
      counted_present_ = true;
    }
    if (settings_.metrics) {
      counted_open_ = actor_->is_agent() ? observability::SocketKind::agent
                                         : observability::SocketKind::visitor;
      settings_.metrics->socket_opened(*counted_open_);
    }
    if (actor_->is_agent()) {
      listen(bus::kInboxTopic);
      listen(bus::agent_topic(actor_->id));
      if (agent_->role == core::Role::admin) listen(bus::kAgentsTopic);
    } else {
      listen(bus::visitor_topic(actor_->id));
    }
    send(json::serialize(json::object{
        {"type", "hello"}, {"role", actor_->is_agent() ? "agent" : "visitor"}, {"id", actor_->id}}));
    // Offers still waiting for this agent: a reloaded or reconnected Inbox shows them again.
    if (agent_) {
      for (auto& [summary, visitor] : s_.inbox.pending_offers(*agent_)) {
        send(encode_frame(bus::ChatRequested{
            std::move(summary), std::make_shared<const core::VisitorProfile>(std::move(visitor))}));
      }
    }
  }

  void listen(const std::string& topic) {
    if (std::find(topics_.begin(), topics_.end(), topic) != topics_.end()) return;
    topics_.push_back(topic);
    s_.bus.subscribe(topic, weak_from_this());
  }

  // Listen first, then replay from the store: an event published in between is either
  // in the replay (dropped later by seq) or delivered after it, never lost. `subscribed`
  // answers at once with the head seq, so the peer knows when its replay is complete.
  void subscribe(core::Id conversation_id, std::int64_t after_seq) {
    listen(bus::conversation_topic(conversation_id));
    auto head = s_.inbox.head_seq(*actor_, conversation_id);
    if (!head) {
      forget(conversation_id);
      send_error(core::to_string(head.error().code), head.error().message, "subscribe",
                 conversation_id);
      return;
    }
    after_seq = std::max<std::int64_t>(after_seq, 0);
    last_sent_[conversation_id] = after_seq;
    send(json::serialize(json::object{{"type", "subscribed"},
                                      {"conversation_id", conversation_id},
                                      {"after_seq", after_seq},
                                      {"head_seq", *head}}));
    if (*head > after_seq) replay(conversation_id);
  }

  void forget(core::Id conversation_id) {
    std::erase(topics_, bus::conversation_topic(conversation_id));
    s_.bus.unsubscribe(bus::conversation_topic(conversation_id), this);
    last_sent_.erase(conversation_id);
  }

  // Sends everything stored after what this peer has, in pages paced by the writer: one
  // replay coroutine per session serves every conversation that needs one.
  void replay(core::Id conversation_id) {
    if (std::find(replaying_.begin(), replaying_.end(), conversation_id) != replaying_.end()) {
      return;
    }
    replaying_.push_back(conversation_id);
    if (replaying_.size() > 1) return;  // the running replay takes it in turn
    if (!drained_) drained_ = std::make_unique<asio::steady_timer>(socket_.get_executor());
    asio::co_spawn(socket_.get_executor(), replay_loop(shared_from_this()), asio::detached);
  }

  static awaitable<void> replay_loop(std::shared_ptr<Session> self) {
    auto& s = *self;
    for (std::size_t turn = 0; !s.replaying_.empty() && !s.closed_; ++turn) {
      if (!co_await s.writer_drained()) break;
      core::Id id = s.replaying_[turn % s.replaying_.size()];
      auto it = s.last_sent_.find(id);
      bool done = it == s.last_sent_.end();  // unsubscribed meanwhile
      if (!done) {
        auto page = s.s_.inbox.events(*s.actor_, id, {it->second, {}, kReplayPage});
        if (!page) {
          s.forget(id);
          s.send_error(core::to_string(page.error().code), page.error().message, "subscribe", id);
          done = true;
        } else {
          s.send_events(id, page->events);
          done = !page->has_more;
        }
      }
      if (done) std::erase(s.replaying_, id);
    }
    s.replaying_.clear();
  }

  // Waits until the writer is down to the low-water mark. False when the session closed,
  // or when the writer made no progress for write_stall_: that peer is really too slow.
  awaitable<bool> writer_drained() {
    auto seen = written_;
    auto deadline = std::chrono::steady_clock::now() + settings_.write_stall;
    while (!closed_ && unwritten_ > kReplayLowWater) {
      drained_->expires_at(deadline);
      co_await drained_->async_wait(as_tuple_awaitable);
      if (written_ != seen) {
        seen = written_;
        deadline = std::chrono::steady_clock::now() + settings_.write_stall;
      } else if (std::chrono::steady_clock::now() >= deadline && !closed_) {
        log_warn("websocket peer stopped reading during a replay; disconnecting");
        drop_now();
      }
    }
    co_return !closed_;
  }

  void send_events(core::Id conversation_id, const std::vector<core::Message>& events) {
    auto& last = last_sent_[conversation_id];
    for (const auto& m : events) {
      if (m.seq <= last) continue;
      send(encode_frame(bus::ConversationEvent{m}));
      last = m.seq;
    }
  }

  // --- outbound events (on the socket's thread) ---
  void on_event(const bus::EventPtr& event) {
    if (closed_ || !actor_) return;
    const auto& about = event->about();
    if (about && !app::can_read(*actor_, *about)) return;  // the visibility rule, per event
    const auto& payload = event->payload();
    if (auto* e = std::get_if<bus::ConversationEvent>(&payload)) {
      auto it = last_sent_.find(e->message.conversation_id);
      if (it == last_sent_.end() || e->message.seq <= it->second) return;
      if (e->message.seq == it->second + 1) {
        send(event->frame(encode_frame));
        it->second = e->message.seq;
      } else {
        replay(e->message.conversation_id);  // a gap: events published out of order
      }
      return;
    }
    if (auto* t = std::get_if<bus::Typing>(&payload)) {
      if (t->sender == actor_->kind || !last_sent_.contains(t->conversation_id)) return;
    }
    if (auto* st = std::get_if<bus::AgentStatusChanged>(&payload)) {
      if (agent_ && agent_->id == st->agent.id) {
        // Deactivated (app/team_service.hpp): the session that opened this socket is gone,
        // so the socket goes too, at once, after one last frame that says why (the Inbox
        // then finds its session gone and signs out).
        if (!st->agent.active) {
          send_error("unauthorized", "this account was deactivated", "");
          drop_after_writes_ = true;
          if (!writing_) drop_now();
          return;
        }
        *agent_ = st->agent;  // settings may have changed
      }
    }
    send(event->frame(encode_frame));
  }

  // `ref` names the client frame (its client_id, or its type); `conversation` the chat it
  // was about, when known.
  void send_error(std::string_view code, std::string_view message, std::string_view ref,
                  std::optional<core::Id> conversation = std::nullopt,
                  std::int64_t retry_after_ms = 0) {
    json::object frame{{"type", "error"}, {"code", code}, {"message", message}, {"ref", ref}};
    if (conversation) frame["conversation_id"] = *conversation;
    if (retry_after_ms > 0) frame["retry_after_ms"] = retry_after_ms;
    send(json::serialize(frame));
  }

  // Queues a frame (text, unless a pong) for the peer: nothing once closed, and a peer that
  // lets kMaxQueuedFrames pile up is dropped.
  void send(std::string frame, ws::Opcode opcode = ws::Opcode::text) {
    if (closed_) return;
    if (unwritten_ >= kMaxQueuedFrames) {
      log_warn("websocket peer too slow; disconnecting");
      drop_now();
      return;
    }
    push(opcode, std::move(frame));
  }

  // Queues a frame for the writer, closed or not. An idle writer starts once the handlers
  // already queued on this thread have run, so the frames they add (a commit's other acks,
  // events) leave in the same write.
  void push(ws::Opcode opcode, std::string payload) {
    queue_.push_back(Outgoing{opcode, std::move(payload)});
    ++unwritten_;
    if (!writing_) {
      writing_ = true;
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->flush(); });
    }
  }

  // The server's half of the closing handshake (RFC 6455 7.1): nothing is sent after its
  // close frame, and the peer has kClosingTimeout to answer before the socket is dropped.
  void begin_close(std::uint16_t code, std::string_view reason = {}) {
    closing_ = true;
    stop_sending();
    // A peer that closed without a code gets an empty close frame back.
    push(ws::Opcode::close, code == ws::kCloseNoStatus ? std::string() : ws::close_payload(code, reason));
    watch(std::chrono::steady_clock::now() + kClosingTimeout);
  }

  // Arms the session's one deadline: the auth deadline, then the idle one, then the closing
  // handshake's. When it passes the socket is dropped, unless the peer was heard since.
  void watch(std::chrono::steady_clock::time_point at) {
    deadline_.expires_at(at);
    deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (self && !ec) self->on_deadline();  // ec: re-armed, or the session is going
    });
  }

  void on_deadline() {
    if (actor_ && !closed_) {
      auto idle_until = last_heard_ + settings_.idle_timeout;
      if (idle_until > std::chrono::steady_clock::now()) return watch(idle_until);
    }
    drop_now();  // never authenticated, silent too long, or no answer to the close frame
  }

  // Closes the TCP connection at once: pending reads and writes fail, the read loop ends.
  void drop_now() {
    stop_sending();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  // Nothing more is sent (send() drops frames); a replay or a flow-controlled read wakes up
  // to see it.
  void stop_sending() {
    closed_ = true;
    if (drained_) drained_->cancel();
    flow_.cancel();
  }

  struct Outgoing {
    ws::Opcode opcode;
    std::string payload;
  };

  // Writes whatever is queued, each batch in one gathered write, at once: the socket is
  // non-blocking, and a peer that reads leaves room in its socket buffer, so the common case
  // is one system call and no asynchronous operation. Only what the kernel does not take
  // waits for the socket (write_rest).
  void flush() {
    while (!queue_.empty()) {
      batch_.swap(queue_);
      boost::system::error_code ec;
      std::size_t n = asio::write(socket_, gather(batch_, 0, thread_scratch), ec);
      if (ec == asio::error::would_block) {
        asio::co_spawn(socket_.get_executor(), write_rest(shared_from_this(), n), asio::detached);
        return;  // still writing
      }
      if (ec) return writes_failed();
      batch_written();
    }
    writes_done();
  }

  // The rest of batch_ from byte `skip` on, once the socket takes it; then the queue again.
  static awaitable<void> write_rest(std::shared_ptr<Session> self, std::size_t skip) {
    WriteScratch scratch;  // the thread's own belongs to the flushes that run meanwhile
    auto [ec, n] = co_await asio::async_write(
        self->socket_, gather(self->batch_, skip, scratch), as_tuple_awaitable);
    if (ec) co_return self->writes_failed();
    self->batch_written();
    self->flush();
  }

  // Frame headers and the buffer list of one gathered write (a system call carries up to
  // 32 frames; asio::write makes as many calls as the batch needs).
  struct WriteScratch {
    std::vector<std::array<char, 10>> headers;
    std::vector<asio::const_buffer> buffers;
  };
  inline static thread_local WriteScratch thread_scratch;

  // The buffers of `batch` from byte `skip` on.
  static const std::vector<asio::const_buffer>& gather(const std::vector<Outgoing>& batch,
                                                       std::size_t skip, WriteScratch& out) {
    out.headers.resize(batch.size());
    out.buffers.clear();
    auto add = [&](const char* data, std::size_t size) {
      if (skip >= size) {
        skip -= size;  // already written
        return;
      }
      out.buffers.push_back(asio::buffer(data + skip, size - skip));
      skip = 0;
    };
    for (std::size_t i = 0; i < batch.size(); ++i) {
      add(out.headers[i].data(),
          ws::encode_header(batch[i].opcode, batch[i].payload.size(), out.headers[i]));
      add(batch[i].payload.data(), batch[i].payload.size());
    }
    return out.buffers;
  }

  void batch_written() {
    unwritten_ -= batch_.size();
    written_ += batch_.size();
    if (drained_ && unwritten_ <= kReplayLowWater) drained_->cancel();
    batch_.clear();
  }

  void writes_failed() {
    drop_now();
    queue_.clear();
    batch_.clear();
    unwritten_ = 0;
    writing_ = false;
  }

  void writes_done() {
    writing_ = false;
    // A busy socket keeps a small queue's capacity; a replay's big one is given back.
    if (batch_.capacity() > kKeptFrames) std::vector<Outgoing>().swap(batch_);
    if (queue_.capacity() > kKeptFrames) std::vector<Outgoing>().swap(queue_);
    if (shutdown_after_writes_) {
      boost::system::error_code ignored;
      socket_.shutdown(asio::socket_base::shutdown_send, ignored);
    }
    if (drop_after_writes_) drop_now();
  }

  // The opening handshake (RFC 6455 4.2.2): a 101 with the key's answer, or a refusal that
  // says why. The upgrade request is freed before the session settles in.
  awaitable<bool> accept(Request upgrade) {
    auto key = upgrade[http::field::sec_websocket_key];
    std::optional<Response> refusal;
    if (upgrade[http::field::sec_websocket_version] != "13") {
      refusal = error_response(upgrade, core::bad_request("WebSocket version 13 is required"));
      refusal->result(http::status::upgrade_required);
      refusal->set(http::field::sec_websocket_version, "13");
    } else if (!ws::is_valid_client_key(key)) {
      refusal = error_response(upgrade, core::bad_request("missing or malformed Sec-WebSocket-Key"));
    }
    if (refusal) {
      refusal->keep_alive(false);
      co_await http::async_write(socket_, *refusal, as_tuple_awaitable);
      co_return false;
    }
    std::string answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Server: parley\r\nSec-WebSocket-Accept: " + ws::accept_key(key) + "\r\n\r\n";
    upgrade = {};
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(answer), as_tuple_awaitable);
    if (ec) co_return false;
    socket_.non_blocking(true, ec);  // the read loop reads what is there without waiting
    co_return !ec;
  }

  asio::ip::tcp::socket socket_;
  ws::MessageReader reader_;
  asio::steady_timer flow_;      // wakes the read loop when a send in flight completes
  asio::steady_timer deadline_;  // see watch()
  std::chrono::steady_clock::time_point last_heard_;
  const WebSocketSettings& settings_;
  std::shared_ptr<void> slot_;  // the place under the per-address connection cap
  core::TokenBucket message_bucket_;
  int in_flight_ = 0;
  Services& s_;
  std::unique_ptr<core::Agent> agent_;  // agents only: most sessions are visitors
  std::optional<app::Actor> actor_;
  std::vector<std::string> topics_;  // a handful per session: a vector beats a hash set
  std::unordered_map<core::Id, std::int64_t> last_sent_;
  std::vector<Outgoing> queue_;  // frames waiting for the writer (empty: no allocation)
  std::vector<Outgoing> batch_;  // frames being written
  std::size_t unwritten_ = 0;    // frames queued or in the writer's batch
  std::uint64_t written_ = 0;    // frames written so far: progress seen by a replay
  std::vector<core::Id> replaying_;  // conversations the replay coroutine still owes pages
  std::unique_ptr<asio::steady_timer> drained_;  // made by the first replay: idle sockets pay nothing
  bool writing_ = false;
  bool drop_after_writes_ = false;  // close the TCP connection once the queue is out
  bool shutdown_after_writes_ = false;  // end the server's half of the stream once it is out
  bool closing_ = false;            // the server's close frame is queued or out
  bool closed_ = false;             // nothing more is sent
  bool counted_present_ = false;  // this socket counts in Presence until the session is gone
  // The kind this socket counts under in the open-sockets gauge, once authenticated.
  std::optional<observability::SocketKind> counted_open_;
};
}  // namespace

void start_websocket_session(asio::ip::tcp::socket socket, Request upgrade, Services& services,
                             std::optional<core::Agent> agent, const WebSocketSettings& settings,
                             std::shared_ptr<void> slot) {
  auto session = std::make_shared<Session>(std::move(socket), services, std::move(agent),
                                           settings, std::move(slot));
  auto executor = session->executor();
  // The completion handler owns the session until its coroutine ends.
  asio::co_spawn(executor, session->run(std::move(upgrade)),
                 [session](std::exception_ptr e) {
                   if (!e) return;
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     log_error("websocket session failed", {{"error", ex.what()}});
                   }
                 });
}

}  // namespace parley::net
