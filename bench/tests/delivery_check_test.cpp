// The failover scenario's accounting (bench/loadgen/delivery_check.hpp).
#include "delivery_check.hpp"

#include <gtest/gtest.h>

using namespace parley::bench;

namespace {
// n = 0 .. count-1 acknowledged at seq first_seq + 2n and received in that order (the other
// direction's messages take the odd seqs).
StreamLog clean(std::uint64_t count, std::int64_t first_seq = 3) {
  StreamLog log;
  log.sent = count;
  for (std::uint64_t n = 0; n < count; ++n) {
    auto seq = first_seq + 2 * static_cast<std::int64_t>(n);
    log.acked.emplace_back(n, seq);
    log.received.emplace_back(seq, n);
  }
  return log;
}
}  // namespace

TEST(DeliveryCheckTest, EveryAcknowledgedMessageOnceAndInOrderIsClean) {
  auto c = check_stream(clean(100));
  EXPECT_EQ(c.sent, 100u);
  EXPECT_EQ(c.acked, 100u);
  EXPECT_EQ(c.delivered, 100u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.duplicated, 0u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_EQ(c.redelivered, 0u);
  EXPECT_EQ(c.unacked, 0u);
  EXPECT_TRUE(c.exactly_once_in_order());
}

TEST(DeliveryCheckTest, AnAcknowledgedMessageNeverDeliveredIsLost) {
  auto log = clean(10);
  log.received.erase(log.received.begin() + 4);  // n = 4 never arrived
  auto c = check_stream(log);
  EXPECT_EQ(c.lost, 1u);
  EXPECT_EQ(c.delivered, 9u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_FALSE(c.exactly_once_in_order());
}

TEST(DeliveryCheckTest, AMessageNeverAcknowledgedIsNotLostButCounted) {
  auto log = clean(10);
  log.sent = 12;  // n = 10 and 11 were still waiting for their ack at the end
  auto c = check_stream(log);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.unacked, 2u);
  // Stored and delivered, but its ack went down with the node (and no resend came back).
  log.received.emplace_back(23, 10);
  c = check_stream(log);
  EXPECT_EQ(c.delivered_unacked, 1u);
  EXPECT_EQ(c.reordered, 0u);
}

TEST(DeliveryCheckTest, TheSameSeqTwiceIsARedeliveryNotADuplicate) {
  auto log = clean(5);
  // A replay after the reconnect overlapping what the live feed had already brought.
  log.received.emplace_back(7, 2);
  log.received.emplace_back(9, 3);
  auto c = check_stream(log);
  EXPECT_EQ(c.redelivered, 2u);
  EXPECT_EQ(c.duplicated, 0u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_TRUE(c.exactly_once_in_order());
}

TEST(DeliveryCheckTest, AResentMessageStoredAgainUnderANewSeqIsADuplicate) {
  auto log = clean(5);
  // n = 4 was stored at seq 11, its ack lost with the node; the resend was stored again.
  log.acked.back() = {4, 13};
  log.received.emplace_back(13, 4);
  auto c = check_stream(log);
  EXPECT_EQ(c.duplicated, 1u);
  EXPECT_EQ(c.delivered, 5u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_FALSE(c.exactly_once_in_order());
}

TEST(DeliveryCheckTest, AResendAcknowledgedAsADuplicateIsClean) {
  auto log = clean(5);
  log.acked.emplace_back(4, 11);  // the resend's ack: duplicate, the original event
  auto c = check_stream(log);
  EXPECT_EQ(c.duplicated, 0u);
  EXPECT_EQ(c.acked, 5u);
  EXPECT_TRUE(c.exactly_once_in_order());
}

TEST(DeliveryCheckTest, AnEventArrivingAfterAHigherSeqIsReordered) {
  auto log = clean(4);
  std::swap(log.received[1], log.received[2]);  // seq 7 before seq 5
  auto c = check_stream(log);
  EXPECT_EQ(c.reordered, 1u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.delivered, 4u);
}

TEST(DeliveryCheckTest, MessagesStoredInAnotherOrderThanSentAreReordered) {
  // n = 1 was lost with the node and resent after n = 2 had been stored: seq order 0, 2, 1.
  StreamLog log;
  log.sent = 3;
  log.acked = {{0, 3}, {2, 5}, {1, 7}};
  log.received = {{3, 0}, {5, 2}, {7, 1}};
  auto c = check_stream(log);
  EXPECT_EQ(c.reordered, 1u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.duplicated, 0u);
}

TEST(DeliveryCheckTest, ChecksAddUp) {
  DeliveryCheck a = check_stream(clean(3));
  auto log = clean(2);
  log.received.clear();
  a += check_stream(log);
  EXPECT_EQ(a.sent, 5u);
  EXPECT_EQ(a.acked, 5u);
  EXPECT_EQ(a.delivered, 3u);
  EXPECT_EQ(a.lost, 2u);
}
