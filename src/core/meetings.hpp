// Booking rules (SPEC §5) on top of core/meeting_slots: what a booking must satisfy, and
// the words of the conversation events and activities a meeting writes.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/meeting_slots.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

// Conversation event kinds (sender system). calendar.card shares a calendar in the chat;
// the meeting.* kinds confirm a booking and its changes on both sides.
inline constexpr std::string_view kCalendarCardEvent = "calendar.card";
inline constexpr std::string_view kMeetingBookedEvent = "meeting.booked";
inline constexpr std::string_view kMeetingRescheduledEvent = "meeting.rescheduled";
inline constexpr std::string_view kMeetingCancelledEvent = "meeting.cancelled";

// The slot that starts at `start` among the calendar's free slots at `now`, given the other
// meetings (cancelled ones already left out) and busy times; nullopt when that time is not
// bookable (taken, in the past, outside the blocks, misaligned).
std::optional<TimeRange> free_slot_at(const MeetingCalendar& cal, const date::time_zone& zone,
                                      std::span<const TimeRange> meetings,
                                      std::span<const TimeRange> busy, Millis now, Millis start);

// A bookable calendar has at least one weekly block.
inline bool is_bookable(const MeetingCalendar& cal) { return !cal.blocks.blocks.empty(); }

inline bool has_passed(const Meeting& m, Millis now) { return m.end <= now; }

}  // namespace parley::core
