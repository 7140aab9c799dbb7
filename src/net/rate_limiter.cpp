#include "net/rate_limiter.hpp"

#include <chrono>
#include <functional>

namespace parley::net {

namespace {
constexpr core::Millis kPruneEvery = 10'000;
}

core::Millis KeyedRateLimiter::take(const std::string& key, core::Millis now) {
  if (!limit_.enabled()) return 0;
  auto& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mutex);
  if (now - shard.pruned_at >= kPruneEvery) {
    shard.pruned_at = now;
    std::erase_if(shard.buckets, [&](const auto& kv) { return kv.second.full(limit_, now); });
  }
  auto wait = shard.buckets[key].take(limit_, now);
  if (wait && metrics_) metrics_->rate_limited(name_);
  return wait;
}

std::optional<core::Error> take_visitor_message(KeyedRateLimiter& per_visitor, core::Id visitor_id,
                                                core::Millis now) {
  auto wait = per_visitor.take("visitor:" + std::to_string(visitor_id), now);
  if (!wait) return std::nullopt;
  return too_many_messages(wait);
}

core::Error too_many_messages(core::Millis wait) {
  return core::too_many_requests("too many messages; slow down", wait);
}

core::Millis limiter_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace parley::net
