#include "delivery_check.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace parley::bench {

DeliveryCheck& DeliveryCheck::operator+=(const DeliveryCheck& o) {
  sent += o.sent;
  acked += o.acked;
  unacked += o.unacked;
  delivered += o.delivered;
  lost += o.lost;
  duplicated += o.duplicated;
  reordered += o.reordered;
  redelivered += o.redelivered;
  delivered_unacked += o.delivered_unacked;
  return *this;
}

DeliveryCheck check_stream(const StreamLog& log) {
  DeliveryCheck c;
  c.sent = log.sent;

  // Every seq each n was stored at, from the acks and from what arrived.
  std::map<std::uint64_t, std::set<std::int64_t>> seqs_of;
  std::set<std::uint64_t> acked;
  for (const auto& [n, seq] : log.acked) {
    acked.insert(n);
    seqs_of[n].insert(seq);
  }
  c.acked = acked.size();

  // Arrival order: a seq seen before is a redelivery (dropped by the client); a new seq below
  // the highest seen arrived out of order.
  std::map<std::int64_t, std::uint64_t> arrived;  // seq -> n, first arrival
  std::int64_t highest = INT64_MIN;
  std::set<std::int64_t> late;  // seqs that arrived out of order
  for (const auto& [seq, n] : log.received) {
    if (arrived.count(seq)) {
      ++c.redelivered;
      continue;
    }
    arrived.emplace(seq, n);
    seqs_of[n].insert(seq);
    if (seq < highest) late.insert(seq);
    highest = std::max(highest, seq);
  }

  // Store order: walking the delivered events by seq, each sender's n must go up; an event
  // whose n is below one stored before it was stored out of the order it was sent in. An extra
  // seq for an n already delivered is a duplicate, not a reordering.
  std::set<std::uint64_t> delivered;
  std::uint64_t max_n = 0;
  bool any = false;
  for (const auto& [seq, n] : arrived) {
    if (!delivered.insert(n).second) continue;  // counted below as a duplicate
    bool out_of_order = late.count(seq) > 0 || (any && n < max_n);
    if (out_of_order) ++c.reordered;
    if (!any || n > max_n) max_n = n;
    any = true;
  }
  c.delivered = delivered.size();
  for (const auto& [n, seqs] : seqs_of) c.duplicated += seqs.size() - 1;
  for (auto n : acked) {
    if (!delivered.count(n)) ++c.lost;
  }
  for (auto n : delivered) {
    if (!acked.count(n)) ++c.delivered_unacked;
  }
  c.unacked = c.sent > c.acked ? c.sent - c.acked : 0;
  return c;
}

}  // namespace parley::bench
