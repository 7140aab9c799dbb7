#include "bus/redis_bus.hpp"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <chrono>
#include <regex>

#include "bus/event_codec.hpp"
#include "os/thread_name.hpp"

namespace parley::bus {
namespace {

using namespace std::chrono_literals;

// A node that cannot reach Redis keeps at most this many events for it, then drops the
// oldest: the store has them all, and the seq-gap fill delivers them on the other nodes.
constexpr std::size_t kMaxQueued = 50'000;
constexpr auto kRetryDelay = 500ms;
// Sent by a node whose publisher reconnected: it may have dropped events meanwhile.
constexpr std::string_view kResyncMessage = "resync";

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r) freeReplyObject(r);
  }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

std::optional<RedisAddress> parse_redis_url(const std::string& url) {
  static const std::regex tcp(R"(^redis://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?/?$)");
  static const std::regex unix_socket(R"(^unix://(/.+)$)");
  std::smatch m;
  RedisAddress a;
  if (std::regex_match(url, m, unix_socket)) {
    a.socket_path = m[1];
    return a;
  }
  if (std::regex_match(url, m, tcp)) {
    a.host = m[1];
    if (a.host.front() == '[') a.host = a.host.substr(1, a.host.size() - 2);
    if (m[2].matched) a.port = std::stoi(m[2]);
    if (a.port < 1 || a.port > 65535) return std::nullopt;
    return a;
  }
  return std::nullopt;
}

RedisBus::RedisBus(RedisAddress address, std::string node_id, std::string channel)
    : address_(std::move(address)),
      node_id_(std::move(node_id)),
      channel_(std::move(channel)),
      publisher_([this] { publish_loop(); }),
      subscriber_([this] { subscribe_loop(); }) {}

RedisBus::~RedisBus() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    // Unblocks the subscriber's read; it sees stopping_ and returns.
    if (int fd = subscriber_fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }
  wake_.notify_all();
  publisher_.join();
  subscriber_.join();
}

redisContext* RedisBus::connect() const {
  timeval timeout{2, 0};
  redisContext* c = address_.socket_path.empty()
                        ? redisConnectWithTimeout(address_.host.c_str(), address_.port, timeout)
                        : redisConnectUnixWithTimeout(address_.socket_path.c_str(), timeout);
  if (!c) return nullptr;
  if (c->err) {
    redisFree(c);
    return nullptr;
  }
  if (address_.socket_path.empty()) redisEnableKeepAlive(c);
  return c;
}

void RedisBus::publish(const std::string& topic, EventPtr event) {
  // Other nodes get the encoded form, prefixed with this node's id so the echo is ignored.
  std::string message = node_id_ + '\n' + encode_event(topic, *event);
  {
    std::lock_guard lock(mutex_);
    if (outgoing_.size() >= kMaxQueued) outgoing_.pop_front();
    outgoing_.push_back(std::move(message));
  }
  wake_.notify_one();
  local_.publish(topic, std::move(event));
}

void RedisBus::subscribe(const std::string& topic, std::weak_ptr<Subscriber> subscriber) {
  local_.subscribe(topic, std::move(subscriber));
}

void RedisBus::unsubscribe(const std::string& topic, const Subscriber* subscriber) {
  local_.unsubscribe(topic, subscriber);
}

// Writes the batch pipelined (every command, then every reply); false when the connection
// broke on the way, and then some of the batch may not have been published.
bool RedisBus::send_batch(redisContext* c, const std::deque<std::string>& batch) const {
  for (const auto& m : batch) {
    redisAppendCommand(c, "PUBLISH %b %b", channel_.data(), channel_.size(), m.data(), m.size());
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK) return false;
    Reply reply(static_cast<redisReply*>(raw));
  }
  return true;
}

void RedisBus::publish_loop() {
  os::name_this_thread("redis-publish");
  redisContext* c = nullptr;
  bool dropped = false;  // a batch was lost while Redis was away
  for (;;) {
    std::deque<std::string> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !outgoing_.empty(); });
      if (stopping_) break;
      batch.swap(outgoing_);
    }
    // A connection that broke since the last batch is only found out by using it: then the
    // batch goes again on a new one (twice at most; a receiver drops what it already has).
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!c) {
        c = connect();
        if (!c) break;
        // Events this node published while Redis was away were dropped: the others resync.
        if (dropped) batch.push_front(node_id_ + '\n' + std::string(kResyncMessage));
        dropped = false;
      }
      if (send_batch(c, batch)) break;
      redisFree(c);
      c = nullptr;
    }
    if (!c) {
      // Redis is away: the batch is dropped (the store has it); wait before trying again.
      dropped = true;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kRetryDelay, [&] { return stopping_; });
    }
  }
  if (c) redisFree(c);
}

void RedisBus::subscribe_loop() {
  os::name_this_thread("redis-listen");
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    redisContext* c = connect();
    Reply ok(c ? static_cast<redisReply*>(
                     redisCommand(c, "SUBSCRIBE %b", channel_.data(), channel_.size()))
               : nullptr);
    if (!ok || ok->type == REDIS_REPLY_ERROR) {
      if (c) redisFree(c);
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kRetryDelay, [&] { return stopping_; });
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        redisFree(c);
        return;
      }
      subscriber_fd_ = c->fd;
    }
    subscribed_ = true;
    // Whatever other nodes published while this one was not listening is in the store.
    local_.resync_all();
    for (;;) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) break;
      Reply reply(static_cast<redisReply*>(raw));
      // ["message", channel, payload]
      if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) continue;
      const redisReply* payload = reply->element[2];
      if (payload->type != REDIS_REPLY_STRING) continue;
      std::string_view text(payload->str, payload->len);
      auto newline = text.find('\n');
      if (newline == std::string_view::npos || text.substr(0, newline) == node_id_) continue;
      if (text.substr(newline + 1) == kResyncMessage) {
        local_.resync_all();
        continue;
      }
      if (auto decoded = decode_event(text.substr(newline + 1))) {
        local_.publish(decoded->topic, std::move(decoded->event));
      }
    }
    subscribed_ = false;
    {
      std::lock_guard lock(mutex_);
      subscriber_fd_ = -1;
      redisFree(c);
    }
  }
}

}  // namespace parley::bus
