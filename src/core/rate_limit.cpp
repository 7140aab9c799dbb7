#include "core/rate_limit.hpp"

#include <algorithm>

namespace parley::core {

Millis TokenBucket::take(const RateLimit& limit, Millis now) {
  if (!limit.enabled()) return 0;
  // One action costs `period` units; the bucket holds `period * count` (the burst).
  std::int64_t scaled_now = now * limit.count;
  std::int64_t next = std::max(tat_, scaled_now) + limit.period_ms;
  std::int64_t over = next - scaled_now - limit.period_ms * limit.count;
  if (over > 0) return (over + limit.count - 1) / limit.count;  // ms, rounded up
  tat_ = next;
  return 0;
}

bool TokenBucket::full(const RateLimit& limit, Millis now) const {
  return !limit.enabled() || tat_ <= now * limit.count;
}

Millis login_backoff(int failures) {
  if (failures < kFreeLoginFailures) return 0;
  int doublings = std::min(failures - kFreeLoginFailures, 20);
  return std::min<Millis>(Millis{1000} << doublings, kMaxLoginBackoff);
}

}  // namespace parley::core
