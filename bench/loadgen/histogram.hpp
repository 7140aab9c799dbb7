// A small HDR-style latency histogram: log-linear buckets (each power of two split into
// 2^kSubBits equal sub-buckets), so any recorded value is known to within 1/2^kSubBits of
// itself (0.78 %) over the whole range, in a fixed 58 KiB with O(1) record. Values are
// integers (the load generator records nanoseconds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSubBuckets = 1ULL << kSubBits;  // 128
  // Values below kSubBuckets get one bucket each; every power of two above gets kSubBuckets.
  static constexpr std::size_t kBucketCount = kSubBuckets * (64 - kSubBits + 1);

  Histogram();

  void record(std::uint64_t value) { record_n(value, 1); }
  void record_n(std::uint64_t value, std::uint64_t n);
  void merge(const Histogram& other);
  void reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const;

  // The value at quantile q in [0, 1]: the highest value equivalent to the bucket holding
  // the ceil(q * count)-th smallest sample, clamped to the recorded [min, max]. So it is
  // never below the true quantile and at most a factor (1 + 1/kSubBuckets) above it.
  // 0 for an empty histogram.
  std::uint64_t value_at_quantile(double q) const;

  // Bucket geometry, public for tests and for readers of the JSON.
  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t bucket_low(std::size_t bucket);   // smallest value in the bucket
  static std::uint64_t bucket_high(std::size_t bucket);  // largest value in the bucket

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace parley::bench
