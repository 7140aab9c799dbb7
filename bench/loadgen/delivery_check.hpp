// The failover scenario's accounting: was every message a sender had acknowledged delivered
// to the other side exactly once, and in the order it was sent? Pure, so that it is
// unit-tested (bench/tests/delivery_check_test.cpp).
//
// A stream is one direction of one conversation (the visitor's messages to the agent, or the
// agent's to the visitor). The sender numbers its messages 0, 1, 2, ... (the n in its
// client_id, kept when a message is sent again after a reconnect); the server stores each at a
// seq of the conversation. The check reads what the sender was acknowledged (n and the seq the
// ack carried) and what the receiving socket got, in arrival order (seq and n).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace parley::bench {

struct StreamLog {
  std::uint64_t sent = 0;  // messages the sender made: n = 0 .. sent-1
  std::vector<std::pair<std::uint64_t, std::int64_t>> acked;     // (n, seq), in ack order
  std::vector<std::pair<std::int64_t, std::uint64_t>> received;  // (seq, n), in arrival order
};

struct DeliveryCheck {
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;        // distinct n acknowledged
  std::uint64_t unacked = 0;      // made but never acknowledged (still waiting at the end)
  std::uint64_t delivered = 0;    // distinct n that reached the receiver
  std::uint64_t lost = 0;         // acknowledged, never delivered: the budget is 0
  std::uint64_t duplicated = 0;   // stored again under another seq (a retried client_id that
                                  // was not recognised): one per extra seq
  std::uint64_t reordered = 0;    // arrived after an event with a higher seq, or stored (seq)
                                  // before a message the same sender had sent earlier
  std::uint64_t redelivered = 0;  // the same seq again (a replay overlapping the live feed):
                                  // harmless, the client drops a seq it has (docs/api.md)
  std::uint64_t delivered_unacked = 0;  // delivered, but its ack never came (lost with a node)

  DeliveryCheck& operator+=(const DeliveryCheck& o);
  bool exactly_once_in_order() const { return lost == 0 && duplicated == 0 && reordered == 0; }
};

DeliveryCheck check_stream(const StreamLog& log);

}  // namespace parley::bench
