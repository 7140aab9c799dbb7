#include "app/meeting_service.hpp"

#include <boost/json.hpp>

#include "app/agent_status.hpp"
#include "app/credentials.hpp"
#include "calendar/ics_import.hpp"
#include "calendar/ics_invite.hpp"
#include "core/activity_record.hpp"
#include "core/invitation_text.hpp"
#include "core/routing.hpp"
#include "core/transcript.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace {

constexpr core::Millis kDay = 24LL * 3600 * 1000;
// Busy times are imported for this far ahead: beyond any horizon a calendar can have.
constexpr core::Millis kBusyWindow = 365 * kDay;

core::Status check_zone(const std::string& zone) {
  if (!is_known_time_zone(zone)) return core::bad_request("unknown time zone: " + zone);
  return core::Ok{};
}

}  // namespace

// --- the agent's own calendar ---

core::CalendarSettings MeetingService::calendar(const core::Agent& agent) {
  return store_.load_calendar(agent.id);
}

core::Result<core::CalendarSettings> MeetingService::update_calendar(
    const core::Agent& agent, core::MeetingCalendar calendar, std::optional<std::string> ics_url) {
  if (auto ok = core::validate_meeting_calendar(calendar); !ok) return ok.error();
  if (auto ok = check_zone(calendar.time_zone); !ok) return ok.error();
  if (ics_url && ics_url->empty()) ics_url.reset();
  if (ics_url) {
    auto lower = core::lowercase_ascii(ics_url->substr(0, 8));
    if (!(lower.starts_with("https://") || lower.starts_with("http://")) ||
        ics_url->size() > core::kMaxUrlBytes) {
      return core::bad_request("ics_url must be an http:// or https:// URL");
    }
    // A changed URL is checked now, so an internal address is refused when it is typed;
    // every fetch checks again (a name may resolve elsewhere later).
    if (ics_url != store_.load_calendar(agent.id).ics_url) {
      if (!fetch_.check) return core::bad_request("fetching calendar URLs is not available here");
      auto ok = fetch_.check(*ics_url, store_.load_chat_policy().fetch_allowed_hosts);
      if (!ok) return ok.error();
    }
  }
  return store_.save_calendar(agent.id, calendar, ics_url);
}

core::Result<core::CalendarSettings> MeetingService::import_busy(const core::Agent& agent,
                                                                  std::string_view ics) {
  auto settings = store_.load_calendar(agent.id);
  auto now = clock_();
  auto busy = calendar::busy_times_from_ics(ics, now - kDay, now + kBusyWindow,
                                            settings.calendar.time_zone);
  if (!busy) return busy.error();
  store_.replace_busy_times(agent.id, *busy, now);
  return store_.load_calendar(agent.id);
}

core::Result<core::CalendarSettings> MeetingService::refresh_busy(const core::Agent& agent) {
  auto settings = store_.load_calendar(agent.id);
  if (!settings.ics_url) return core::bad_request("no calendar URL is saved");
  if (!fetch_.get) return core::bad_request("fetching calendar URLs is not available here");
  auto text = fetch_.get(*settings.ics_url, store_.load_chat_policy().fetch_allowed_hosts);
  if (!text) return text.error();
  return import_busy(agent, *text);
}

std::vector<std::pair<core::Id, std::string>> MeetingService::refresh_feeds() {
  std::vector<std::pair<core::Id, std::string>> failures;
  for (auto agent_id : store_.calendars_with_feeds()) {
    auto agent = store_.find_agent(agent_id);
    if (!agent || !agent->active) continue;
    if (auto r = refresh_busy(*agent); !r) failures.emplace_back(agent_id, r.error().message);
  }
  return failures;
}

// --- sharing ---

std::vector<CalendarChoice> MeetingService::calendars(const core::Agent& agent) {
  std::vector<CalendarChoice> out;
  auto all = store_.bookable_calendars();
  for (const auto& c : all) {
    if (c.agent_id == agent.id) out.push_back({c.agent_id, c.agent_name, true});
  }
  for (const auto& c : all) {
    if (c.agent_id != agent.id) out.push_back({c.agent_id, c.agent_name, false});
  }
  return out;
}

namespace {
std::string card_body(core::Id agent_id, const std::string& agent_name) {
  return boost::json::serialize(
      boost::json::object{{"agent_id", agent_id}, {"agent_name", agent_name}});
}

// The booking rule, asked inside the booking transaction with the state it read.
store::SlotCheck slot_check_at(Clock clock, core::Millis start) {
  return [clock = std::move(clock), start](const store::CalendarState& s) {
    return core::free_slot_at(s.calendar, zone_of(s.calendar.time_zone), s.meetings, s.busy,
                              clock(), start);
  };
}

// The words of a meeting on `calendar_agent`'s calendar (name and zone read up front).
store::DescribeMeeting describer(store::Store& store, core::Id calendar_agent) {
  // Read here, before the booking transaction: the callback runs on the store's writer,
  // where a read would hold up every write queued behind it.
  auto agent = store.find_agent(calendar_agent);
  std::string name = agent ? agent->name : "Agent";
  auto zone_name = store.load_calendar(calendar_agent).calendar.time_zone;
  return [name, zone_name](const core::Meeting& m) {
    const auto& zone = zone_of(zone_name);
    store::MeetingWords words;
    words.event_body =
        boost::json::serialize(boost::json::object{{"meeting_id", m.id},
                                                   {"agent_id", m.agent_id},
                                                   {"agent_name", name},
                                                   {"start", m.start},
                                                   {"end", m.end},
                                                   {"booker_email", m.booker_email},
                                                   {"status", core::to_string(m.status)}});
    // The sentence for the API, and the facts a reader words in its own language and zone.
    words.activity_detail = core::activity::make_record(
        "Meeting with " + name + " on " + core::format_local_time(m.start, zone).substr(0, 16) +
            " (" + zone_name + ")",
        {{"agent_name", name},
         {"start", std::to_string(m.start), true},
         {"end", std::to_string(m.end), true},
         {"time_zone", zone_name}});
    return words;
  };
}

}  // namespace

core::Result<core::Message> MeetingService::share_card(const core::Agent& agent,
                                                       core::Id conversation_id,
                                                       core::Id calendar_agent) {
  auto c = store_.find_conversation(conversation_id);
  auto viewer = core::viewer_of(agent);
  if (!c || !core::can_view(viewer, *c)) return core::not_found("no such conversation");
  if (c->status != core::ConversationStatus::active)
    return core::conflict("this chat is not active");
  if (!core::can_act(viewer, *c)) return core::forbidden("this chat is assigned to another agent");
  std::optional<store::BookableCalendar> chosen;
  for (auto& b : store_.bookable_calendars()) {
    if (b.agent_id == calendar_agent) chosen = std::move(b);
  }
  if (!chosen) return core::not_found("that agent has no meeting calendar");
  auto t = store_.append_system_event(conversation_id, core::kCalendarCardEvent,
                                      card_body(chosen->agent_id, chosen->agent_name), clock_());
  if (!t) return t.error();
  bus_.publish(bus::conversation_topic(conversation_id),
               std::make_shared<bus::Event>(bus::ConversationEvent{t->event}, t->conversation));
  return t->event;
}

std::optional<std::pair<core::Id, std::string>> MeetingService::calendar_by_rules(
    const core::Conversation& missed) {
  auto calendars = store_.bookable_calendars();
  if (calendars.empty()) return std::nullopt;
  core::VisitorFacts facts;
  facts.page_url = missed.page_url;
  if (auto profile = store_.visitor_profile(missed.visitor_id); profile && profile->person) {
    const auto& p = *profile->person;
    facts.email = p.email;
    facts.name = p.name;
    facts.company = p.company;
    facts.job_title = p.job_title;
    facts.phone = p.phone;
  }
  // Every calendar owner counts as free here: the question is whose calendar the rules
  // send this visitor to, not who could chat now (nobody could: the chat was missed).
  std::vector<core::RoutingCandidate> owners;
  for (const auto& c : calendars) owners.push_back({c.agent_id, true, 0, 1, true, true});
  auto choice = core::route(store_.load_routing_rules(), facts, owners, std::nullopt, {}, std::nullopt);
  if (!choice.agent_id || choice.stage == core::RouteStage::global) return std::nullopt;
  for (const auto& c : calendars) {
    if (c.agent_id == *choice.agent_id) return std::pair{c.agent_id, c.agent_name};
  }
  return std::nullopt;
}

void MeetingService::offer_fallback_card(const core::Conversation& missed) {
  // The agent routing's rules would pick for this visitor (account, custom rule, team), if
  // they have a calendar of their own; otherwise the round robin of bookable calendars. An
  // agent without a meeting calendar is never offered.
  auto pick = calendar_by_rules(missed);
  if (!pick) {
    if (auto next = store_.next_bookable_calendar()) pick = std::pair{next->agent_id, next->agent_name};
  }
  if (!pick) return;
  auto t = store_.append_system_event(missed.id, core::kCalendarCardEvent,
                                      card_body(pick->first, pick->second), clock_());
  if (!t) return;
  bus_.publish(bus::conversation_topic(missed.id),
               std::make_shared<bus::Event>(bus::ConversationEvent{t->event}, t->conversation));
}

// --- slots and bookings ---

core::Result<core::Agent> MeetingService::bookable_agent(core::Id calendar_agent) {
  auto agent = store_.find_agent(calendar_agent);
  if (!agent || !agent->active ||
      !core::is_bookable(store_.load_calendar(calendar_agent).calendar)) {
    return core::not_found("that agent has no meeting calendar");
  }
  return *agent;
}

core::Result<SlotList> MeetingService::slots(core::Id calendar_agent) {
  auto agent = bookable_agent(calendar_agent);
  if (!agent) return agent.error();
  auto now = clock_();
  auto state = store_.calendar_state(calendar_agent, now - kDay);
  return SlotList{agent->id, agent->name, state.calendar.time_zone, state.calendar.duration_minutes,
                  core::free_slots(state.calendar, zone_of(state.calendar.time_zone),
                                   state.meetings, state.busy, now)};
}

core::Result<SlotList> MeetingService::visitor_slots(core::Id calendar_agent,
                                                     std::optional<std::string> visitor_zone) {
  if (visitor_zone && !is_known_time_zone(*visitor_zone)) {
    return core::bad_request("tz must be an IANA time zone name");
  }
  auto list = slots(calendar_agent);
  if (!list || !visitor_zone) return list;
  auto policy = store_.load_chat_policy();
  list->slots = core::within_local_hours(list->slots, zone_of(*visitor_zone),
                                         policy.visitor_day_start, policy.visitor_day_end);
  return list;
}

MeetingView MeetingService::view_of(const core::Meeting& m) {
  auto agent = store_.find_agent(m.agent_id);
  MeetingView v{m, agent ? agent->name : "Agent",
                store_.load_calendar(m.agent_id).calendar.time_zone, std::nullopt};
  if (m.visitor_id) {
    if (auto profile = store_.visitor_profile(*m.visitor_id); profile && profile->person) {
      v.booker_name = profile->person->name;
    }
  }
  return v;
}

MeetingView MeetingService::publish(const store::MeetingChange& change, const char* what) {
  if (change.event && change.conversation) {
    bus_.publish(
        bus::conversation_topic(change.conversation->id),
        std::make_shared<bus::Event>(bus::ConversationEvent{*change.event}, change.conversation));
  }
  auto v = view_of(change.meeting);
  bus_.publish(bus::agent_topic(change.meeting.agent_id),
               std::make_shared<bus::Event>(
                   bus::MeetingChanged{what, v.meeting, v.agent_name, v.time_zone, v.booker_name},
                   std::nullopt));
  return v;
}

BookingResult<Booking> MeetingService::book(core::Id visitor_id, core::Id calendar_agent,
                                            core::Millis start, std::string_view email,
                                            std::optional<core::Id> conversation_id) {
  auto address = core::lowercase_ascii(core::trim(email));
  if (!core::looks_like_email(address) || address.size() > core::kMaxFieldBytes) {
    return BookingRefused{core::bad_request("a valid email is required"), {}};
  }
  if (conversation_id) {
    auto c = store_.find_conversation(*conversation_id);
    if (!c || !core::visitor_owns(visitor_id, *c)) {
      return BookingRefused{core::not_found("no such conversation"), {}};
    }
  }
  // Only whether the calendar is bookable: the free slot itself is checked inside the
  // booking transaction.
  if (auto agent = bookable_agent(calendar_agent); !agent) return BookingRefused{agent.error(), {}};
  auto token = random_token();
  store::NewMeeting m{calendar_agent, visitor_id, conversation_id, address, token_hash(token)};
  auto change = store_.book_meeting(m, slot_check_at(clock_, start), describer(store_, calendar_agent), clock_());
  if (!change) {
    auto fresh = slots(calendar_agent);
    return BookingRefused{change.error(), fresh ? fresh->slots : std::vector<core::TimeRange>{}};
  }
  return Booking{publish(*change, "meeting.booked"), std::move(token)};
}

core::Result<std::vector<MeetingView>> MeetingService::list(const core::Agent& agent, bool all) {
  if (all && agent.role != core::Role::admin)
    return core::forbidden("only admins see every meeting");
  std::vector<MeetingView> out;
  for (const auto& m :
       store_.list_meetings(all ? std::nullopt : std::optional(agent.id), kMaxListed)) {
    out.push_back(view_of(m));
  }
  return out;
}

core::Result<core::Meeting> MeetingService::own_meeting(const core::Agent& agent,
                                                        core::Id meeting_id) {
  auto m = store_.find_meeting(meeting_id);
  if (!m || (m->agent_id != agent.id && agent.role != core::Role::admin)) {
    return core::not_found("no such meeting");
  }
  return *m;
}

BookingResult<MeetingView> MeetingService::move(const core::Meeting& m, core::Millis start) {
  auto change = store_.reschedule_meeting(m.id, slot_check_at(clock_, start), describer(store_, m.agent_id), clock_());
  if (!change) {
    std::vector<core::TimeRange> fresh;
    if (change.error().code == core::ErrorCode::conflict) {
      auto state = store_.calendar_state(m.agent_id, clock_() - kDay, m.id);
      fresh = core::free_slots(state.calendar, zone_of(state.calendar.time_zone), state.meetings,
                               state.busy, clock_());
    }
    return BookingRefused{change.error(), std::move(fresh)};
  }
  return publish(*change, "meeting.rescheduled");
}

core::Result<MeetingView> MeetingService::cancel_meeting(const core::Meeting& m) {
  auto change = store_.cancel_meeting(m.id, describer(store_, m.agent_id), clock_());
  if (!change) return change.error();
  return publish(*change, "meeting.cancelled");
}

BookingResult<MeetingView> MeetingService::reschedule(const core::Agent& agent, core::Id meeting_id,
                                                      core::Millis start) {
  auto m = own_meeting(agent, meeting_id);
  if (!m) return BookingRefused{m.error(), {}};
  return move(*m, start);
}

core::Result<MeetingView> MeetingService::cancel(const core::Agent& agent, core::Id meeting_id) {
  auto m = own_meeting(agent, meeting_id);
  if (!m) return m.error();
  return cancel_meeting(*m);
}

std::string MeetingService::invitation_of(const core::Meeting& m, core::Language language) {
  auto v = view_of(m);
  auto agent = store_.find_agent(m.agent_id);
  calendar::Invitation inv;
  inv.uid = "meeting-" + std::to_string(m.id) + "@parley";
  inv.start = m.start;
  inv.end = m.end;
  auto text = core::invitation_text(language, v.agent_name);
  inv.summary = std::move(text.summary);
  inv.description = std::move(text.description);
  inv.organizer_name = v.agent_name;
  inv.organizer_email = agent ? agent->email : "";
  inv.attendee_email = m.booker_email;
  inv.sequence = m.sequence;
  inv.cancelled = m.status == core::MeetingStatus::cancelled;
  inv.stamp = clock_();
  return calendar::meeting_invitation_ics(inv);
}

core::Result<std::string> MeetingService::invitation(const core::Agent& agent,
                                                     core::Id meeting_id,
                                                     core::Language language) {
  // Besides the calendar's agent and admins, whoever may view the chat it was booked in
  // (the agent who shared someone else's calendar) may download the invitation.
  auto m = store_.find_meeting(meeting_id);
  if (m && m->agent_id != agent.id && agent.role != core::Role::admin) {
    auto c = m->conversation_id ? store_.find_conversation(*m->conversation_id) : std::nullopt;
    if (!c || !core::can_view(core::viewer_of(agent), *c)) m.reset();
  }
  if (!m) return core::not_found("no such meeting");
  return invitation_of(*m, language);
}

core::Result<std::string> MeetingService::visitor_invitation(core::Id visitor_id,
                                                             core::Id meeting_id,
                                                             core::Language language) {
  auto m = store_.find_meeting(meeting_id);
  if (!m || m->visitor_id != visitor_id) return core::not_found("no such meeting");
  return invitation_of(*m, language);
}

// --- the manage link ---

core::Result<MeetingView> MeetingService::by_token(std::string_view token) {
  auto m = store_.find_meeting_by_token(token_hash(token));
  if (!m) return core::not_found("no such meeting");
  return view_of(*m);
}

BookingResult<MeetingView> MeetingService::reschedule_by_token(std::string_view token,
                                                               core::Millis start) {
  auto m = store_.find_meeting_by_token(token_hash(token));
  if (!m) return BookingRefused{core::not_found("no such meeting"), {}};
  return move(*m, start);
}

core::Result<MeetingView> MeetingService::cancel_by_token(std::string_view token) {
  auto m = store_.find_meeting_by_token(token_hash(token));
  if (!m) return core::not_found("no such meeting");
  return cancel_meeting(*m);
}

core::Result<std::string> MeetingService::invitation_by_token(std::string_view token,
                                                              core::Language language) {
  auto m = store_.find_meeting_by_token(token_hash(token));
  if (!m) return core::not_found("no such meeting");
  return invitation_of(*m, language);
}

}  // namespace parley::app
