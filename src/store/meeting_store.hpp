// The Store port, meeting calendars and meetings: each agent's bookable calendar and imported
// busy times, and the meetings booked on them (one booking per slot, settled by a unique index).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/meeting_slots.hpp"
#include "store/store_common.hpp"

namespace parley::store {

struct BookableCalendar {
  Id agent_id = 0;
  std::string agent_name;
};

// What a booking decision needs, read inside the transaction that books.
struct CalendarState {
  core::MeetingCalendar calendar;
  std::vector<core::TimeRange> meetings;  // the agent's other meetings, cancelled ones left out
  std::vector<core::TimeRange> busy;      // imported busy times
};

// Returns the slot to book, or nullopt when the wanted time is not free. Supplied by app/
// (core::free_slot_at) so the rule stays in core/.
using SlotCheck = std::function<std::optional<core::TimeRange>(const CalendarState& state)>;

// The words a meeting writes into its conversation and the visitor's history; supplied by
// app/, which knows the agent's name and the wire format.
struct MeetingWords {
  std::string event_body;       // of the meeting.* conversation event
  std::string activity_detail;  // of the meeting_booked / meeting_cancelled activity
};

using DescribeMeeting = std::function<MeetingWords(const core::Meeting& meeting)>;

struct NewMeeting {
  Id agent_id = 0;
  std::optional<Id> visitor_id;
  std::optional<Id> conversation_id;
  std::string booker_email;     // already validated, lower-cased
  std::string manage_token_hash;
};

// A meeting after a change, and the conversation event that change appended (when the
// meeting belongs to a conversation).
struct MeetingChange {
  core::Meeting meeting;
  std::optional<core::Conversation> conversation;
  std::optional<core::Message> event;
};

class MeetingStore {
 public:
  virtual ~MeetingStore() = default;

  // --- meeting calendars and meetings ---
  // The agent's calendar; defaults (no blocks: not bookable) when never saved.
  virtual CalendarSettings load_calendar(Id agent_id) = 0;
  // Replaces the calendar (already validated) and its URL. not_found when no such agent.
  virtual Result<CalendarSettings> save_calendar(Id agent_id, const core::MeetingCalendar& calendar,
                                                 const std::optional<std::string>& ics_url) = 0;
  // Replaces the agent's imported busy times.
  virtual void replace_busy_times(Id agent_id, const std::vector<core::TimeRange>& busy,
                                  Millis now) = 0;
  // Agents whose calendar has a busy-times URL, in id order.
  virtual std::vector<Id> calendars_with_feeds() = 0;
  // Active agents with a bookable calendar (at least one block), in id order.
  virtual std::vector<BookableCalendar> bookable_calendars() = 0;
  // The next bookable calendar in round-robin order after the last one picked (for a
  // missed request's "book a meeting instead"), moving the pointer in the same transaction.
  virtual std::optional<BookableCalendar> next_bookable_calendar() = 0;
  // The agent's calendar, meetings ending after `from` (but `except`) and busy times.
  virtual CalendarState calendar_state(Id agent_id, Millis from,
                                       std::optional<Id> except_meeting = std::nullopt) = 0;
  // One transaction: reads the calendar state, asks check() for the slot at the wanted
  // time, inserts the meeting, appends meeting.booked to its conversation and writes a
  // meeting_booked activity for its visitor. conflict when check() says no or another
  // booking took that slot first (a unique index: exactly one of two racing bookings wins).
  virtual Result<MeetingChange> book_meeting(const NewMeeting& meeting, const SlotCheck& check,
                                             const DescribeMeeting& describe, Millis now) = 0;
  // The same for a move: status rescheduled, sequence + 1, meeting.rescheduled. The meeting
  // itself does not block its new time. not_found / conflict (cancelled, or taken).
  virtual Result<MeetingChange> reschedule_meeting(Id meeting_id, const SlotCheck& check,
                                                   const DescribeMeeting& describe,
                                                   Millis now) = 0;
  // Cancels (frees the slot), sequence + 1, meeting.cancelled and a meeting_cancelled
  // activity. not_found; conflict when already cancelled.
  virtual Result<MeetingChange> cancel_meeting(Id meeting_id, const DescribeMeeting& describe,
                                               Millis now) = 0;
  virtual std::optional<core::Meeting> find_meeting(Id meeting_id) = 0;
  virtual std::optional<core::Meeting> find_meeting_by_token(std::string_view token_hash) = 0;
  // Newest start first; only the agent's when `agent_id` is set.
  virtual std::vector<core::Meeting> list_meetings(std::optional<Id> agent_id, int limit) = 0;
};

}  // namespace parley::store
