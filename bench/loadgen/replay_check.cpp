#include "replay_check.hpp"

namespace parley::bench {

void ReplayCheck::expect(std::int64_t after_seq, std::int64_t head_seq) {
  expected_ = true;
  after_ = after_seq;
  head_ = head_seq;
  highest_ = after_seq;
  seen_.assign(static_cast<std::size_t>(owed()), false);
}

void ReplayCheck::add(std::int64_t seq) {
  ++received_;
  if (seq <= after_) {
    ++outside_;
    return;
  }
  auto i = static_cast<std::size_t>(seq - after_ - 1);
  if (i >= seen_.size()) seen_.resize(i + 1, false);
  if (seen_[i]) {
    ++duplicates_;
    return;
  }
  seen_[i] = true;
  if (seq < highest_) ++out_of_order_;
  if (seq > highest_) highest_ = seq;
  if (seq <= head_) ++owed_seen_;
}

}  // namespace parley::bench
