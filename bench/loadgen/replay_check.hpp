// The long-chat scenario's check of a replay: after `subscribe` with after_seq S the server
// answers `subscribed` with head_seq H and then owes every seq S+1 .. H once, in order
// (docs/api.md). Fed the seqs in arrival order, this says when the replay is complete and what
// went wrong if it is not clean. Pure, so that it is unit-tested (bench/tests/replay_check_test.cpp).
#pragma once

#include <cstdint>
#include <vector>

namespace parley::bench {

class ReplayCheck {
 public:
  // The replay owed: seqs after_seq + 1 .. head_seq.
  void expect(std::int64_t after_seq, std::int64_t head_seq);
  // One `event` frame's seq, in arrival order.
  void add(std::int64_t seq);

  // Every owed seq has arrived (newer seqs, live events after the head, are not needed).
  bool complete() const { return expected_ && owed_seen_ == owed(); }
  // Complete, and nothing arrived twice or out of order.
  bool clean() const { return complete() && duplicates_ == 0 && out_of_order_ == 0 && outside_ == 0; }

  std::int64_t owed() const { return head_ > after_ ? head_ - after_ : 0; }
  std::int64_t received() const { return received_; }
  std::int64_t missing() const { return owed() - owed_seen_; }   // owed, not (yet) arrived
  std::int64_t duplicates() const { return duplicates_; }       // a seq that had arrived already
  std::int64_t out_of_order() const { return out_of_order_; }   // arrived after a higher seq
  std::int64_t outside() const { return outside_; }             // a seq <= after_seq: not owed

 private:
  bool expected_ = false;
  std::int64_t after_ = 0, head_ = 0;
  std::int64_t highest_ = 0;
  std::int64_t received_ = 0, owed_seen_ = 0, duplicates_ = 0, out_of_order_ = 0, outside_ = 0;
  std::vector<bool> seen_;  // index seq - after_seq - 1, grown as higher seqs arrive
};

}  // namespace parley::bench
