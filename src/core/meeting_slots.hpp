// Meeting slots (SPEC §4, §5): the times a visitor can book with an agent. The agent's weekly
// meeting blocks, cut into slots of the meeting duration, minus existing meetings with their
// buffers, minus imported busy times, minus the past and the minimum notice, up to a horizon.
// Blocks are wall-clock times in the calendar's zone, as in core/availability.
//
// Pure: the time zone comes in as a date::time_zone (resolved by the caller) and "now" as a
// parameter.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace parley::core {

// An agent's meeting calendar settings. The blocks use the live-chat schedule's vocabulary
// (weekday 1 = Monday, minutes from local midnight, end <= start runs past midnight) but are
// a separate schedule: when one can be booked is not when one takes chats.
struct MeetingCalendar {
  std::string time_zone = "UTC";  // IANA name; the caller resolves it (and rejects unknown ones)
  Schedule blocks;
  int duration_minutes = 30;
  int buffer_minutes = 0;  // kept free after every meeting, and before the next one
  int notice_minutes = 0;  // how far ahead of "now" the first bookable slot must start
  int horizon_days = 14;   // how far ahead slots are offered
  bool operator==(const MeetingCalendar&) const = default;
};

// A half-open interval [start, end) of instants.
struct TimeRange {
  Millis start = 0;
  Millis end = 0;
  bool operator==(const TimeRange&) const = default;
};

inline constexpr int kMinMeetingMinutes = 5;
inline constexpr int kMaxMeetingMinutes = 480;
inline constexpr int kMaxBufferMinutes = 480;
inline constexpr int kMaxNoticeMinutes = 30 * 24 * 60;
inline constexpr int kMaxHorizonDays = 90;

// The blocks as core::validate_schedule checks them, and every number within the limits
// above (horizon 1..kMaxHorizonDays). The time zone name is not checked here: only the caller
// that resolves it knows the zone database.
Status validate_meeting_calendar(const MeetingCalendar& cal);

// The bookable slots, sorted by start, without duplicates. A slot starts at or after
// now + notice and before now + horizon_days (24-hour days; at most kMaxHorizonDays).
//
// Each occurrence of a block runs from the instant of its local start to the instant of its
// local end, and is cut into consecutive slots of the duration from its start; a remainder
// shorter than the duration is dropped. Local times map to instants as in core/availability:
// a time skipped by a spring-forward change maps to the instant of the change, a repeated one
// (autumn) to its first occurrence (date::choose::earliest). So a block on a change day keeps
// its local start and end, and holds an hour of slots less (spring) or more (autumn, when it
// spans the repeated hour) than usual.
//
// A slot S is taken by a meeting M when [S.start, S.end + buffer) and [M.start, M.end + buffer)
// share an instant: nothing starts until `buffer` after a meeting ends, and a new meeting keeps
// its own buffer before the next one. A busy range takes the slots it shares an instant with,
// with no buffer; so an empty busy range (end <= start) takes nothing.
// O((slots + meetings + busy) log(meetings + busy)); the spans need not be sorted.
std::vector<TimeRange> free_slots(const MeetingCalendar& cal, const date::time_zone& zone,
                                  std::span<const TimeRange> meetings,
                                  std::span<const TimeRange> busy, Millis now);

// The slots a visitor in `visitor_zone` is offered: those that start at or after
// `day_start` and end at or before `day_end` (minutes of the visitor's local day, the same
// day), so nobody is offered a meeting at 03:00 their time. Order is kept.
std::vector<TimeRange> within_local_hours(std::span<const TimeRange> slots,
                                          const date::time_zone& visitor_zone, int day_start,
                                          int day_end);

}  // namespace parley::core
