#include "histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using parley::bench::Histogram;

namespace {

// The exact quantile by the same rank rule the histogram uses: the ceil(q*n)-th smallest.
std::uint64_t exact_quantile(std::vector<std::uint64_t> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

// Reported quantiles are never below the true one and at most 1/128 above it.
void expect_within_bucket_error(const Histogram& h, const std::vector<std::uint64_t>& values) {
  for (double q : {0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    auto exact = exact_quantile(values, q);
    auto got = h.value_at_quantile(q);
    EXPECT_GE(got, exact) << "q=" << q;
    EXPECT_LE(static_cast<double>(got), static_cast<double>(exact) * (1.0 + 1.0 / Histogram::kSubBuckets) + 1)
        << "q=" << q;
  }
}

}  // namespace

TEST(HistogramTest, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.value_at_quantile(0.5), 0u);
  EXPECT_EQ(h.value_at_quantile(0.99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.value_at_quantile(0.5), 50u);
  EXPECT_EQ(h.value_at_quantile(0.99), 99u);
  EXPECT_EQ(h.value_at_quantile(1.0), 100u);
  EXPECT_EQ(h.value_at_quantile(0.0), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(HistogramTest, ConstantDistributionReportsTheConstant) {
  Histogram h;
  for (int i = 0; i < 1000; ++i) h.record(1'234'567);
  // Clamped to the recorded max, so a constant is reported exactly.
  EXPECT_EQ(h.value_at_quantile(0.5), 1'234'567u);
  EXPECT_EQ(h.value_at_quantile(0.999), 1'234'567u);
}

TEST(HistogramTest, UniformDistributionPercentilesWithinBucketError) {
  Histogram h;
  std::vector<std::uint64_t> values;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t v = 1000 + rng() % 10'000'000;  // 1 us .. 10 ms in ns
    values.push_back(v);
    h.record(v);
  }
  expect_within_bucket_error(h, values);
  // And close to the analytic quantiles of U(1000, 10,001,000).
  EXPECT_NEAR(static_cast<double>(h.value_at_quantile(0.5)), 5'001'000.0, 5'001'000.0 * 0.01);
  EXPECT_NEAR(static_cast<double>(h.value_at_quantile(0.99)), 9'901'000.0, 9'901'000.0 * 0.01);
}

TEST(HistogramTest, ExponentialDistributionPercentilesWithinBucketError) {
  Histogram h;
  std::vector<std::uint64_t> values;
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> exp(1.0 / 200'000.0);  // mean 200 us
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<std::uint64_t>(exp(rng)) + 1;
    values.push_back(v);
    h.record(v);
  }
  expect_within_bucket_error(h, values);
  // Analytic: the q-quantile of Exp(mean m) is -m ln(1-q).
  EXPECT_NEAR(static_cast<double>(h.value_at_quantile(0.99)), 200'000.0 * std::log(100.0),
              200'000.0 * std::log(100.0) * 0.03);
}

TEST(HistogramTest, LongTailMaxIsExact) {
  Histogram h;
  for (int i = 0; i < 10000; ++i) h.record(50'000);
  h.record(987'654'321);
  EXPECT_EQ(h.max(), 987'654'321u);
  EXPECT_EQ(h.value_at_quantile(1.0), 987'654'321u);
  // Below the tail: the top of 50,000's bucket, never below the true value.
  EXPECT_GE(h.value_at_quantile(0.999), 50'000u);
  EXPECT_LE(h.value_at_quantile(0.999), 50'000u + 50'000u / Histogram::kSubBuckets);
}

TEST(HistogramTest, BucketBoundsContainTheValueWithBoundedRelativeError) {
  std::mt19937_64 rng(3);
  std::vector<std::uint64_t> probes = {0, 1, 127, 128, 129, 255, 256, 257, 1000, 1ULL << 20,
                                       (1ULL << 20) - 1, (1ULL << 40) + 12345, UINT64_MAX};
  for (int i = 0; i < 100000; ++i) probes.push_back(rng() >> (rng() % 64));
  for (auto v : probes) {
    auto b = Histogram::bucket_of(v);
    ASSERT_LT(b, Histogram::kBucketCount) << v;
    auto lo = Histogram::bucket_low(b), hi = Histogram::bucket_high(b);
    EXPECT_LE(lo, v);
    EXPECT_GE(hi, v);
    if (v >= Histogram::kSubBuckets) {
      EXPECT_LE(static_cast<double>(hi - lo) / static_cast<double>(v), 1.0 / Histogram::kSubBuckets);
    } else {
      EXPECT_EQ(lo, hi);
    }
  }
}

TEST(HistogramTest, BucketsTileTheRangeWithoutGaps) {
  for (std::size_t b = 0; b + 1 < Histogram::kBucketCount; ++b) {
    ASSERT_EQ(Histogram::bucket_high(b) + 1, Histogram::bucket_low(b + 1)) << b;
    ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_low(b)), b);
    ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_high(b)), b);
  }
  EXPECT_EQ(Histogram::bucket_high(Histogram::kBucketCount - 1), UINT64_MAX);
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 50000; ++i) {
    auto v = rng() % 1'000'000;
    (i % 2 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double q : {0.5, 0.9, 0.99, 0.999}) EXPECT_EQ(a.value_at_quantile(q), all.value_at_quantile(q));
  a.reset();
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.value_at_quantile(0.5), 0u);
}

TEST(HistogramTest, QuantilesAreMonotonic) {
  Histogram h;
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> ln(12.0, 1.5);
  for (int i = 0; i < 100000; ++i) h.record(static_cast<std::uint64_t>(ln(rng)));
  std::uint64_t prev = 0;
  for (int i = 0; i <= 1000; ++i) {
    auto v = h.value_at_quantile(i / 1000.0);
    EXPECT_GE(v, prev);
    prev = v;
  }
}
