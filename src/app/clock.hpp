// Time is a parameter: services take a Clock so tests can set "now".
#pragma once

#include <chrono>
#include <functional>

#include "core/types.hpp"

namespace parley::app {

using Clock = std::function<core::Millis()>;

inline core::Millis system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace parley::app
