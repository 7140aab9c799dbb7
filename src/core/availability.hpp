// Live-chat availability (SPEC §2, §4): an agent's weekly schedule of time blocks, in the
// agent's time zone, combined with the manual toggle. The toggle's override lasts until the
// next block boundary (a block's start or end) or the next midnight in the agent's zone,
// whichever comes first; then the schedule rules again. Blocks are wall-clock times, so a
// daylight-saving change moves their instants, not their local times.
//
// Pure: the time zone comes in as a date::time_zone (resolved by the caller) and "now" as a
// parameter.
#pragma once

#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace parley::core {

enum class StatusSource { schedule, override };

struct EffectiveStatus {
  bool available = false;
  StatusSource source = StatusSource::schedule;
  // When this status will change by itself (the override expiring, or the next boundary of
  // the schedule); nullopt when it never will (no blocks and no override).
  std::optional<Millis> until;
};

// Weekdays 1..7, minutes 0..1439 for starts and 1..1440 for ends, non-zero length, and no
// two blocks overlapping (counting those that run past midnight).
Status validate_schedule(const Schedule& schedule);

bool in_schedule(const Schedule& schedule, const date::time_zone& zone, Millis at);
// The first block start or end strictly after `after`; nullopt for an empty schedule.
std::optional<Millis> next_block_boundary(const Schedule& schedule, const date::time_zone& zone,
                                          Millis after);
// The next local midnight strictly after `after`.
Millis next_local_midnight(const date::time_zone& zone, Millis after);
// When an override set at `set_at` stops applying.
Millis override_expiry(const Schedule& schedule, const date::time_zone& zone, Millis set_at);

EffectiveStatus effective_status(const Schedule& schedule, const date::time_zone& zone,
                                 const std::optional<AvailabilityOverride>& override_state,
                                 Millis now);

}  // namespace parley::core
