#include "core/meetings.hpp"

#include <algorithm>

namespace parley::core {

std::optional<TimeRange> free_slot_at(const MeetingCalendar& cal, const date::time_zone& zone,
                                      std::span<const TimeRange> meetings,
                                      std::span<const TimeRange> busy, Millis now, Millis start) {
  auto slots = free_slots(cal, zone, meetings, busy, now);
  auto it = std::lower_bound(slots.begin(), slots.end(), start,
                             [](const TimeRange& s, Millis t) { return s.start < t; });
  if (it == slots.end() || it->start != start) return std::nullopt;
  return *it;
}

}  // namespace parley::core
