// Who gets the next chat. For now: global round robin over effectively available agents
// under their chat limit (SPEC §3.2, last step). Account rules, custom rules and teams
// will be added in front of it here, as further pure functions over the same snapshot.
#pragma once

#include <optional>
#include <span>

#include "core/types.hpp"

namespace parley::core {

struct RoutingCandidate {
  Id agent_id = 0;
  bool available = false;
  int open_chats = 0;  // pending + active conversations assigned to the agent
  int max_chats = 10;
};

// An agent may be offered a chat only when available and under their limit.
bool is_eligible(const RoutingCandidate& c);

// Sequential round robin: the first eligible agent whose id comes after `last_assigned`
// in ascending id order, wrapping around (after 3 of 5 comes 4, then 5, then 1).
// `candidates` may be in any order. Returns nullopt when nobody is eligible.
std::optional<Id> pick_round_robin(std::span<const RoutingCandidate> candidates,
                                   std::optional<Id> last_assigned);

}  // namespace parley::core
