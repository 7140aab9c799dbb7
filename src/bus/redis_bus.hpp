// The event bus of a cluster: events published on this node reach this node's subscribers at
// once (as on LocalBus) and every other node through Redis pub/sub, one channel for all
// topics, named after the cluster's database (channel_of), so that clusters sharing a Redis
// stay apart. Redis is the fast path, not the record: Redis pub/sub loses messages only when a
// connection drops, so whenever a connection comes back the subscribers resync from the
// store (each conversation's events by seq); nothing here retries or buffers for long.
//
// Two connections: a publisher thread that drains a queue into pipelined PUBLISH commands,
// and a subscriber thread that reads the channel. Both reconnect by themselves; healthy()
// says whether the subscriber is connected now.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "bus/event_bus.hpp"
#include "bus/local_bus.hpp"

struct redisContext;

namespace parley::bus {

// Where Redis is: redis://host:port or unix:///path/to/redis.sock.
struct RedisAddress {
  std::string host;  // empty for a unix socket
  int port = 6379;
  std::string socket_path;
};
// nullopt when `url` is neither form.
std::optional<RedisAddress> parse_redis_url(const std::string& url);

class RedisBus final : public EventBus {
 public:
  // The channel of the cluster whose database is `cluster_id` (SettingsStore::cluster_id).
  static std::string channel_of(const std::string& cluster_id) {
    return "parley:events:" + cluster_id;
  }

  // Starts both threads; does not wait for Redis (a node may start before it). Every node of
  // one cluster names the same `channel`.
  RedisBus(RedisAddress address, std::string node_id, std::string channel);
  ~RedisBus() override;

  void publish(const std::string& topic, EventPtr event) override;
  void subscribe(const std::string& topic, std::weak_ptr<Subscriber> subscriber) override;
  void unsubscribe(const std::string& topic, const Subscriber* subscriber) override;

  // The subscriber is connected: events of other nodes arrive. Each time the subscription
  // is (re)established, and each time another node's publisher is back after dropping events
  // it could not publish, every local subscriber is told to resync (Subscriber::resync) from
  // the store.
  bool healthy() const { return subscribed_.load(); }
  std::optional<std::string> unavailable() const override {
    if (healthy()) return std::nullopt;
    return std::string("redis: not connected");
  }

 private:
  redisContext* connect() const;
  void publish_loop();
  bool send_batch(redisContext* c, const std::deque<std::string>& batch) const;
  void subscribe_loop();

  RedisAddress address_;
  std::string node_id_;
  std::string channel_;
  LocalBus local_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> outgoing_;  // encoded messages waiting for the publisher
  bool stopping_ = false;

  std::atomic<bool> subscribed_{false};
  std::atomic<int> subscriber_fd_{-1};  // shut down to unblock the subscriber's read
  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace parley::bus
