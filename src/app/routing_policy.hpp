// The routing decision handed to the store: each agent's effective availability (schedule ⊕
// toggle, core/availability) at `now`, then the rules of core/routing.
#pragma once

#include <span>
#include <vector>

#include "store/routing_store.hpp"

namespace parley::app {

store::RoutingDecision route_at(core::Millis now);

// The agents as routing weighs them at `now`: effective availability, load, presence.
std::vector<core::RoutingCandidate> candidates_at(std::span<const store::AgentLoad> agents,
                                                  core::Millis now);

}  // namespace parley::app
