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
  return shard.buckets[key].take(limit_, now);
}

core::Millis limiter_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace parley::net
