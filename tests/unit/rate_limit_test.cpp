#include "core/rate_limit.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

TEST(TokenBucketTest, LetsABurstThroughThenSaysWhenTheNextTokenIsBack) {
  RateLimit five_per_minute{5, 60'000};
  TokenBucket b;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(0, b.take(five_per_minute, 1'000)) << i;
  EXPECT_EQ(12'000, b.take(five_per_minute, 1'000));  // one token per 12 s
  EXPECT_EQ(2'000, b.take(five_per_minute, 11'000));  // a refused try takes nothing
  EXPECT_EQ(0, b.take(five_per_minute, 13'000));
  EXPECT_GT(b.take(five_per_minute, 13'000), 0);
}

TEST(TokenBucketTest, RefillsToTheLimitAndNoFurther) {
  RateLimit two_per_second{2, 1'000};
  TokenBucket b;
  EXPECT_TRUE(b.full(two_per_second, 0));
  EXPECT_EQ(0, b.take(two_per_second, 0));
  EXPECT_FALSE(b.full(two_per_second, 0));
  EXPECT_TRUE(b.full(two_per_second, 10'000));
  // A long quiet spell gives back the burst, not more.
  EXPECT_EQ(0, b.take(two_per_second, 10'000));
  EXPECT_EQ(0, b.take(two_per_second, 10'000));
  EXPECT_GT(b.take(two_per_second, 10'000), 0);
}

TEST(TokenBucketTest, ADisabledLimitNeverRefuses) {
  TokenBucket b;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(0, b.take(RateLimit{0, 1'000}, 0));
}

TEST(LoginBackoffTest, StartsAfterFiveFailuresAndDoublesUpToFifteenMinutes) {
  for (int f = 0; f < kFreeLoginFailures; ++f) EXPECT_EQ(0, login_backoff(f));
  EXPECT_EQ(1'000, login_backoff(5));
  EXPECT_EQ(2'000, login_backoff(6));
  EXPECT_EQ(4'000, login_backoff(7));
  EXPECT_EQ(kMaxLoginBackoff, login_backoff(20));
  EXPECT_EQ(kMaxLoginBackoff, login_backoff(1'000'000));
}

}  // namespace
}  // namespace parley::core
