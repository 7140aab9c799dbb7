// The routing decision handed to the store: effective availability (schedule ⊕ toggle) and
// chat limits from core/, then round robin among agents this request was not offered to.
#pragma once

#include "store/store.hpp"

namespace parley::app {

store::RoutingDecision route_at(core::Millis now);

}  // namespace parley::app
