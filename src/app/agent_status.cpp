#include "app/agent_status.hpp"

#include <date/tz.h>

namespace parley::app {

bool is_known_time_zone(std::string_view name) {
  try {
    date::locate_zone(name);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

const date::time_zone& zone_of(std::string_view name) {
  try {
    return *date::locate_zone(name);
  } catch (const std::exception&) {
    return *date::locate_zone("UTC");
  }
}

core::EffectiveStatus status_of(const core::Agent& agent, core::Millis now) {
  return core::effective_status(agent.schedule, zone_of(agent.time_zone), agent.override_state,
                                now);
}

}  // namespace parley::app
