// Resolves an agent's time zone and computes their effective status (core/availability)
// at a given time. The zone database is Howard Hinnant's date/tz over the system tzdata.
#pragma once

#include <string_view>

#include "core/availability.hpp"
#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace parley::app {

bool is_known_time_zone(std::string_view name);
// The named zone, or UTC when the name is unknown (a zone removed from tzdata).
const date::time_zone& zone_of(std::string_view name);

core::EffectiveStatus status_of(const core::Agent& agent, core::Millis now);

}  // namespace parley::app
