#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace parley::bench {

Histogram::Histogram() : counts_(kBucketCount, 0) {}

std::size_t Histogram::bucket_of(std::uint64_t value) {
  if (value < kSubBuckets) return static_cast<std::size_t>(value);
  int msb = 63 - std::countl_zero(value);  // >= kSubBits
  int shift = msb - kSubBits;               // width of a sub-bucket is 2^shift
  std::uint64_t sub = value >> shift;       // in [kSubBuckets, 2 * kSubBuckets)
  return static_cast<std::size_t>(kSubBuckets + static_cast<std::uint64_t>(shift) * kSubBuckets +
                                  (sub - kSubBuckets));
}

std::uint64_t Histogram::bucket_low(std::size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  std::uint64_t j = bucket - kSubBuckets;
  int shift = static_cast<int>(j / kSubBuckets);
  std::uint64_t sub = j % kSubBuckets + kSubBuckets;
  return sub << shift;
}

std::uint64_t Histogram::bucket_high(std::size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  std::uint64_t j = bucket - kSubBuckets;
  int shift = static_cast<int>(j / kSubBuckets);
  std::uint64_t width = 1ULL << shift;
  return bucket_low(bucket) + (width - 1);
}

void Histogram::record_n(std::uint64_t value, std::uint64_t n) {
  if (n == 0) return;
  counts_[bucket_of(value)] += n;
  count_ += n;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += static_cast<long double>(value) * n;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = 0;
}

double Histogram::mean() const {
  return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

std::uint64_t Histogram::value_at_quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(bucket_high(i), min(), max_);
  }
  return max_;
}

}  // namespace parley::bench
