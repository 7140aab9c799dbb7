// Calendar sharing and meetings (SPEC §4, §5): an agent's meeting calendar and its busy
// times, sharing a calendar card in a chat, free slots, booking (atomic in the store), and
// the agent's and the visitor's changes afterwards. Slots are computed by core::free_slots;
// the booking transaction asks core::free_slot_at, so the rule lives in core/ only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/ports.hpp"
#include "bus/event_bus.hpp"
#include "core/meetings.hpp"
#include "core/language.hpp"
#include "core/records.hpp"
#include "core/result.hpp"

namespace parley::app {

// The process's guarded URL client (net/guarded_fetch; net/ does HTTP), for the agent's "busy
// times from a URL". `allowed_hosts` is the admin's fetch_allowed_hosts, read at each call.
// Failures are bad_request "could not fetch: <generic reason>".
struct UrlFetcher {
  using AllowedHosts = std::vector<std::string>;
  // The body at `url`.
  std::function<core::Result<std::string>(const std::string& url, const AllowedHosts&)> get;
  // Whether `url` may be fetched (its form, and where its host resolves now): on saving it.
  std::function<core::Status(const std::string& url, const AllowedHosts&)> check;
};

struct MeetingView {
  core::Meeting meeting;
  std::string agent_name;
  std::string time_zone;                   // the calendar's
  std::optional<std::string> booker_name;  // the booking visitor's name, when known
};

struct SlotList {
  core::Id agent_id = 0;
  std::string agent_name;
  std::string time_zone;
  int duration_minutes = 0;
  std::vector<core::TimeRange> slots;
};

struct CalendarChoice {
  core::Id agent_id = 0;
  std::string agent_name;
  bool own = false;
};

struct Booking {
  MeetingView meeting;
  std::string manage_token;  // the visitor's manage link; shown once, stored hashed
};

// A refused booking: what was wrong, and (for a slot that was just taken) the fresh slots.
struct BookingRefused {
  core::Error error;
  std::vector<core::TimeRange> fresh_slots;
};
template <class T>
using BookingResult = std::variant<T, BookingRefused>;

class MeetingService {
 public:
  MeetingService(store::Store& store, bus::EventBus& bus, Clock clock, UrlFetcher fetch)
      : store_(store), bus_(bus), clock_(std::move(clock)), fetch_(std::move(fetch)) {}

  static constexpr int kMaxListed = 500;

  // --- the agent's own calendar ---
  core::CalendarSettings calendar(const core::Agent& agent);
  core::Result<core::CalendarSettings> update_calendar(const core::Agent& agent,
                                                        core::MeetingCalendar calendar,
                                                        std::optional<std::string> ics_url);
  // (A new ics_url is checked by the fetcher first: "could not fetch: the address is not
  // allowed" for one that resolves to an internal address.)
  // Replaces the busy times with those of an uploaded .ics (the next 365 days).
  core::Result<core::CalendarSettings> import_busy(const core::Agent& agent, std::string_view ics);
  // Fetches the saved URL (through the guarded fetcher) and imports it; bad_request when none
  // is saved or it fails. The 15-minute refresh of every feed (refresh_feeds) comes here too.
  core::Result<core::CalendarSettings> refresh_busy(const core::Agent& agent);
  // Refreshes every calendar that has a URL (the periodic job); returns the failures as
  // (agent id, message). A failed feed keeps its last busy times.
  std::vector<std::pair<core::Id, std::string>> refresh_feeds();

  // --- sharing ---
  // The caller's own calendar first (when bookable), then every other bookable one.
  std::vector<CalendarChoice> calendars(const core::Agent& agent);
  // Posts a calendar card of `calendar_agent` into the agent's active chat.
  core::Result<core::Message> share_card(const core::Agent& agent, core::Id conversation_id,
                                         core::Id calendar_agent);
  // A missed request: offers a bookable calendar in a card under the fallback message: the
  // agent routing's rules pick for the visitor when they have one, else the round-robin
  // choice. Nothing when no calendar is bookable.
  void offer_fallback_card(const core::Conversation& missed);

  // --- slots and bookings ---
  // not_found when the agent has no bookable calendar.
  core::Result<SlotList> slots(core::Id calendar_agent);
  // The slots a visitor is offered (the widget's calendar cards, the missed-chat card): only
  // those inside the visitor's reasonable hours (ChatPolicy visitor_day_start..end) in
  // `visitor_zone`, the IANA zone the widget sends. bad_request for an unknown zone; none
  // given: every slot (an older widget).
  core::Result<SlotList> visitor_slots(core::Id calendar_agent, std::optional<std::string> visitor_zone);
  // A visitor books `start` on the agent's calendar; conversation_id, when given, must be
  // the visitor's own (not_found otherwise).
  BookingResult<Booking> book(core::Id visitor_id, core::Id calendar_agent, core::Millis start,
                              std::string_view email, std::optional<core::Id> conversation_id);
  // The calendar's agent or an admin; not_found for anyone else.
  core::Result<std::vector<MeetingView>> list(const core::Agent& agent, bool all);
  BookingResult<MeetingView> reschedule(const core::Agent& agent, core::Id meeting_id,
                                        core::Millis start);
  core::Result<MeetingView> cancel(const core::Agent& agent, core::Id meeting_id);
  // The calendar's agent, an admin, or an agent who may view the chat it was booked in.
  // Invitations are written in the reader's language (core/invitation_text.hpp).
  core::Result<std::string> invitation(const core::Agent& agent, core::Id meeting_id,
                                       core::Language language);
  core::Result<std::string> visitor_invitation(core::Id visitor_id, core::Id meeting_id,
                                               core::Language language);

  // --- the visitor's manage link (the token is the only credential) ---
  core::Result<MeetingView> by_token(std::string_view token);
  BookingResult<MeetingView> reschedule_by_token(std::string_view token, core::Millis start);
  core::Result<MeetingView> cancel_by_token(std::string_view token);
  core::Result<std::string> invitation_by_token(std::string_view token, core::Language language);

 private:
  // The calendar of the agent routing's rules (not the round robin) send this visitor to,
  // among agents with a bookable calendar; nullopt when no rule names one.
  // (Its agent's id and name.)
  std::optional<std::pair<core::Id, std::string>> calendar_by_rules(const core::Conversation& missed);
  MeetingView view_of(const core::Meeting& m);
  core::Result<core::Meeting> own_meeting(const core::Agent& agent, core::Id meeting_id);
  BookingResult<MeetingView> move(const core::Meeting& m, core::Millis start);
  core::Result<MeetingView> cancel_meeting(const core::Meeting& m);
  std::string invitation_of(const core::Meeting& m, core::Language language);
  // Publishes the conversation event and tells the calendar's agent; returns the meeting as
  // the API shows it.
  MeetingView publish(const store::MeetingChange& change, const char* what);
  // The agent, when active with a bookable calendar; not_found otherwise.
  core::Result<core::Agent> bookable_agent(core::Id calendar_agent);

  store::Store& store_;
  bus::EventBus& bus_;
  Clock clock_;
  UrlFetcher fetch_;
};

}  // namespace parley::app
