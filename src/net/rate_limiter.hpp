// Rate limits of one node, in memory: one token bucket per key (a client address, a
// visitor, an account) for each kind of action. Thread-safe; keys whose bucket has
// refilled are forgotten, so the table holds only clients that are being limited.
// In a cluster each node limits on its own (a client spread over N nodes gets up to N
// times the rate), which is enough to blunt floods and password guessing.
#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/rate_limit.hpp"
#include "core/result.hpp"
#include "observability/metrics.hpp"

namespace parley::net {

class KeyedRateLimiter {
 public:
  // `name` is the setting's (login_per_ip, …): each refusal is counted under it in
  // `metrics`, when given.
  explicit KeyedRateLimiter(core::RateLimit limit, const char* name = "other",
                            observability::Metrics* metrics = nullptr)
      : limit_(limit), name_(name), metrics_(metrics) {}

  // 0 when `key` may act at `now`, otherwise the milliseconds until it may.
  core::Millis take(const std::string& key, core::Millis now);
  const core::RateLimit& limit() const { return limit_; }

 private:
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, core::TokenBucket> buckets;
    core::Millis pruned_at = 0;
  };
  core::RateLimit limit_;
  const char* name_;
  observability::Metrics* metrics_;
  std::array<Shard, 16> shards_;
};

// Every limit of issue "abuse and slow clients", each a `serve` setting (docs/api.md,
// "Limits"). Counts are per period; 0 turns a limit off.
struct RateLimits {
  core::RateLimit login_per_ip{30, 60'000};
  core::RateLimit visitor_sessions_per_ip{60, 60'000};
  core::RateLimit chat_requests_per_ip{20, 60'000};
  core::RateLimit messages_per_socket{60, 10'000};
  core::RateLimit messages_per_visitor{60, 10'000};
  core::RateLimit ws_upgrades_per_ip{120, 60'000};
};

// The limiters of one server, built from the settings.
struct Limiters {
  explicit Limiters(const RateLimits& l, observability::Metrics* metrics = nullptr)
      : settings(l),
        login_per_ip(l.login_per_ip, "login_per_ip", metrics),
        visitor_sessions_per_ip(l.visitor_sessions_per_ip, "visitor_sessions_per_ip", metrics),
        chat_requests_per_ip(l.chat_requests_per_ip, "chat_requests_per_ip", metrics),
        messages_per_visitor(l.messages_per_visitor, "messages_per_visitor", metrics),
        ws_upgrades_per_ip(l.ws_upgrades_per_ip, "ws_upgrades_per_ip", metrics) {}
  RateLimits settings;
  KeyedRateLimiter login_per_ip, visitor_sessions_per_ip, chat_requests_per_ip,
      messages_per_visitor, ws_upgrades_per_ip;
};

// The current time for the limiters (steady, in ms).
core::Millis limiter_now();

// A visitor's message budget, one for all their sockets and the REST API: nullopt when the
// message may go ahead, otherwise the refusal to answer with.
std::optional<core::Error> take_visitor_message(KeyedRateLimiter& per_visitor, core::Id visitor_id,
                                                core::Millis now);
core::Error too_many_messages(core::Millis wait);

}  // namespace parley::net
