// The routing decision handed to the store: each agent's effective availability (schedule ⊕
// toggle, core/availability) at `now`, then the rules of core/routing.
#pragma once

#include "store/routing_store.hpp"

namespace parley::app {

store::RoutingDecision route_at(core::Millis now);

}  // namespace parley::app
