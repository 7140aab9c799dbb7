// Who is calling a use case: core::Actor, established by net/ from a session cookie or a
// visitor token, never taken from the request body.
#pragma once

#include "core/actor.hpp"

namespace parley::app {

using core::Actor;
using core::can_read;

}  // namespace parley::app
