// Weekly blocks as instants: the one rule for turning "Friday 22:00-02:00 in Europe/Oslo"
// into time ranges, shared by live-chat availability (core/availability) and meeting
// calendars (core/meeting_slots), so a live-chat block and a meeting block with the same
// local times always start at the same instant.
//
// Local wall times map to instants with date::choose::earliest: a time skipped by a
// spring-forward change maps to the instant of the change, a repeated one (autumn) to its
// first occurrence. A block keeps its local start and end; its length in instants follows.
#pragma once

#include <date/tz.h>

#include <chrono>

#include "core/types.hpp"

namespace parley::core::blocks {

inline constexpr int kMinutesPerDay = 24 * 60;

// A block's length in minutes (end <= start runs past midnight).
inline int length_minutes(const WeeklyBlock& b) {
  return b.end_minute > b.start_minute ? b.end_minute - b.start_minute
                                       : kMinutesPerDay - b.start_minute + b.end_minute;
}

inline Millis to_instant(const date::time_zone& zone,
                         date::local_time<std::chrono::minutes> local) {
  auto sys = zone.to_sys(local, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
}

// The local calendar day (in `zone`) of the instant `at`.
inline date::local_days local_day_of(const date::time_zone& zone, Millis at) {
  using SysMs = date::sys_time<std::chrono::milliseconds>;
  return date::floor<date::days>(zone.to_local(SysMs(std::chrono::milliseconds(at))));
}

struct Occurrence {
  Millis start = 0;
  Millis end = 0;
};

// Calls f(Occurrence) for every occurrence of every block that starts on a local day in
// [first, last], day by day (within a day, in the schedule's order).
template <class F>
void for_each_occurrence(const Schedule& schedule, const date::time_zone& zone,
                         date::local_days first, date::local_days last, F&& f) {
  for (auto day = first; day <= last; day += date::days(1)) {
    unsigned iso = date::weekday(day).iso_encoding();
    for (const auto& b : schedule.blocks) {
      if (static_cast<unsigned>(b.weekday) != iso) continue;
      auto start_local = day + std::chrono::minutes(b.start_minute);
      f(Occurrence{to_instant(zone, start_local),
                   to_instant(zone, start_local + std::chrono::minutes(length_minutes(b)))});
    }
  }
}

}  // namespace parley::core::blocks
