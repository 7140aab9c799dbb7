#include "core/routing.hpp"

namespace parley::core {

bool is_eligible(const RoutingCandidate& c) { return c.available && c.open_chats < c.max_chats; }

std::optional<Id> pick_round_robin(std::span<const RoutingCandidate> candidates,
                                   std::optional<Id> last_assigned) {
  // Two candidates of interest: the smallest eligible id after the pointer, and the
  // smallest eligible id overall (the wrap-around). One pass, no sorting needed.
  std::optional<Id> after, lowest;
  for (const auto& c : candidates) {
    if (!is_eligible(c)) continue;
    if (!lowest || c.agent_id < *lowest) lowest = c.agent_id;
    if (last_assigned && c.agent_id > *last_assigned && (!after || c.agent_id < *after)) {
      after = c.agent_id;
    }
  }
  return after ? after : lowest;
}

}  // namespace parley::core
