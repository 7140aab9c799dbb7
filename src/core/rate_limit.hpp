// Rate-limit rules, pure: a token bucket (N actions per period, bursts up to N) and the
// back-off that follows repeated failed logins of one account. Time comes in as a
// parameter; the tables that hold one bucket per client live at the edges.
#pragma once

#include <cstdint>

#include "core/types.hpp"

namespace parley::core {

// `count` actions per `period_ms`; count 0 means no limit. count <= 1,000,000 and
// period <= one day keep the arithmetic far from overflow.
struct RateLimit {
  int count = 0;
  Millis period_ms = 60'000;
  bool enabled() const { return count > 0 && period_ms > 0; }
};

class TokenBucket {
 public:
  // Takes one token at `now`: 0 when the action may go ahead, otherwise how many
  // milliseconds until a token is back (nothing is taken then).
  Millis take(const RateLimit& limit, Millis now);
  // True when the bucket has refilled completely by `now`: it can be forgotten.
  bool full(const RateLimit& limit, Millis now) const;

 private:
  // The generic cell rate algorithm: the "theoretical arrival time" of the next action,
  // in units of ms x count so that every step is exact integer arithmetic.
  std::int64_t tat_ = 0;
};

// Failed logins of one account in a row before each next attempt has to wait.
inline constexpr int kFreeLoginFailures = 5;
inline constexpr Millis kMaxLoginBackoff = 15 * 60 * 1000;

// How long after the last of `failures` consecutive failures the next attempt must wait:
// nothing for the first kFreeLoginFailures, then 1 s, 2 s, 4 s, ... up to 15 minutes.
Millis login_backoff(int failures);

}  // namespace parley::core
