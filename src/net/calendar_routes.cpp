#include "net/calendar_routes.hpp"

#include "net/api_support.hpp"
#include "net/document_language.hpp"
#include "net/json_codec.hpp"
#include "net/json_settings.hpp"

namespace parley::net {

namespace {

using http::status;
using http::verb;

json::object view_json(const app::MeetingView& v) {
  return meeting_json(v.meeting, v.agent_name, v.time_zone, v.booker_name);
}

json::array slots_json(const std::vector<core::TimeRange>& slots) {
  json::array out;
  out.reserve(slots.size());
  for (const auto& s : slots) out.push_back(json::object{{"start", s.start}, {"end", s.end}});
  return out;
}

json::object slot_list_json(const app::SlotList& l) {
  return {{"agent_id", l.agent_id},
          {"agent_name", l.agent_name},
          {"time_zone", l.time_zone},
          {"duration_minutes", l.duration_minutes},
          {"slots", slots_json(l.slots)}};
}

// A refused booking: the error, with the fresh slots when the time was just taken.
Response refused(const Request& req, const app::BookingRefused& r) {
  if (r.error.code != core::ErrorCode::conflict) return error_response(req, r.error);
  return ok_json(req,
                 {{"error", json::object{{"code", "conflict"},
                                         {"message", r.error.message},
                                         {"slots", slots_json(r.fresh_slots)}}}},
                 status::conflict);
}

template <class T, class Encode>
Response booking_reply(const Request& req, const app::BookingResult<T>& r, Encode encode,
                       status ok = status::ok) {
  if (const auto* no = std::get_if<app::BookingRefused>(&r)) return refused(req, *no);
  return ok_json(req, encode(std::get<T>(r)), ok);
}

Response ics_response(const Request& req, const core::Result<std::string>& ics, core::Id id) {
  if (!ics) return error_response(req, ics.error());
  return attachment_response(req, "text/calendar; charset=utf-8",
                             "parley-meeting-" + std::to_string(id) + ".ics", *ics);
}

core::Result<core::Millis> start_of(const Request& req) {
  auto body = parse_object(req.body());
  if (!body) return body.error();
  return required_int(*body, "start");
}

Response calendar_reply(const Request& req, const core::Result<core::CalendarSettings>& r) {
  if (!r) return error_response(req, r.error());
  return ok_json(req, {{"calendar", to_json(*r)}});
}

Response meetings_list(const RouteCall& c) {
  auto q = query_of(c.req.target());
  bool all = false;
  if (auto it = q.find("scope"); it != q.end()) {
    if (it->second == "all")
      all = true;
    else if (it->second != "mine")
      return error_response(c.req, core::bad_request("scope must be mine or all"));
  }
  auto list = c.services.meetings.list(c.caller(), all);
  if (!list) return error_response(c.req, list.error());
  json::array items;
  for (const auto& v : *list) items.push_back(view_json(v));
  return ok_json(c.req, {{"meetings", std::move(items)}});
}

Response meeting_reply(const Request& req, const core::Result<app::MeetingView>& v) {
  if (!v) return error_response(req, v.error());
  return ok_json(req, {{"meeting", view_json(*v)}});
}

Response reschedule_reply(const Request& req, const app::BookingResult<app::MeetingView>& r) {
  return booking_reply(req, r, [](const app::MeetingView& v) { return json::object{{"meeting", view_json(v)}}; });
}

// --- the agent's calendar and meetings ---

Response my_calendar(const RouteCall& c) {
  return ok_json(c.req, {{"calendar", to_json(c.services.meetings.calendar(c.caller()))}});
}

Response update_my_calendar(const RouteCall& c) {
  auto body = parse_object(c.req.body());
  if (!body) return error_response(c.req, body.error());
  auto wanted = calendar_from_json(*body, c.services.meetings.calendar(c.caller()));
  if (!wanted) return error_response(c.req, wanted.error());
  return calendar_reply(c.req, c.services.meetings.update_calendar(c.caller(), wanted->calendar,
                                                                   wanted->ics_url));
}

Response import_busy(const RouteCall& c) {
  return calendar_reply(c.req, c.services.meetings.import_busy(c.caller(), c.req.body()));
}

Response refresh_busy(const RouteCall& c) {
  return calendar_reply(c.req, c.services.meetings.refresh_busy(c.caller()));
}

Response calendars(const RouteCall& c) {
  json::array items;
  for (const auto& cal : c.services.meetings.calendars(c.caller())) {
    items.push_back(
        json::object{{"agent_id", cal.agent_id}, {"agent_name", cal.agent_name}, {"own", cal.own}});
  }
  return ok_json(c.req, {{"calendars", std::move(items)}});
}

Response agent_slots(const RouteCall& c) {
  auto slots = c.services.meetings.slots(c.id());
  if (!slots) return error_response(c.req, slots.error());
  return ok_json(c.req, slot_list_json(*slots));
}

Response share_card(const RouteCall& c) {
  auto body = parse_object(c.req.body());
  if (!body) return error_response(c.req, body.error());
  auto agent_id = required_int(*body, "agent_id");
  if (!agent_id) return error_response(c.req, agent_id.error());
  auto event = c.services.meetings.share_card(c.caller(), c.id(), *agent_id);
  if (!event) return error_response(c.req, event.error());
  return ok_json(c.req, {{"event", to_json(*event)}}, status::created);
}

Response cancel(const RouteCall& c) {
  return meeting_reply(c.req, c.services.meetings.cancel(c.caller(), c.id()));
}

Response reschedule(const RouteCall& c) {
  auto start = start_of(c.req);
  if (!start) return error_response(c.req, start.error());
  return reschedule_reply(c.req, c.services.meetings.reschedule(c.caller(), c.id(), *start));
}

Response invitation(const RouteCall& c) {
  auto lang = document_language(c.req.target(), c.caller().language);
  return ics_response(c.req, c.services.meetings.invitation(c.caller(), c.id(), lang), c.id());
}

// --- the visitor's ---

Response visitor_slots(const RouteCall& c) {
  // ?tz=<the visitor's IANA zone>: only slots inside the visitor's reasonable hours.
  auto q = query_of(c.req.target());
  std::optional<std::string> tz;
  if (auto it = q.find("tz"); it != q.end()) tz = it->second;
  auto slots = c.services.meetings.visitor_slots(c.id(), tz);
  if (!slots) return error_response(c.req, slots.error());
  return ok_json(c.req, slot_list_json(*slots));
}

Response book(const RouteCall& c) {
  auto body = parse_object(c.req.body());
  if (!body) return error_response(c.req, body.error());
  auto agent_id = required_int(*body, "agent_id");
  if (!agent_id) return error_response(c.req, agent_id.error());
  auto start = required_int(*body, "start");
  if (!start) return error_response(c.req, start.error());
  auto email = required_string(*body, "email");
  if (!email) return error_response(c.req, email.error());
  std::optional<core::Id> conversation;
  if (body->contains("conversation_id") && !body->at("conversation_id").is_null()) {
    auto id = required_int(*body, "conversation_id");
    if (!id) return error_response(c.req, id.error());
    conversation = *id;
  }
  return booking_reply(
      c.req, c.services.meetings.book(c.visitor_id, *agent_id, *start, *email, conversation),
      [](const app::Booking& b) {
        return json::object{{"meeting", view_json(b.meeting)}, {"manage_token", b.manage_token}};
      },
      status::created);
}

Response visitor_invitation(const RouteCall& c) {
  auto lang = document_language(c.req.target());
  return ics_response(c.req, c.services.meetings.visitor_invitation(c.visitor_id, c.id(), lang), c.id());
}

// --- the manage link: its token is its only credential ---

Response by_link(const RouteCall& c) {
  std::string token(c.token);
  auto v = c.services.meetings.by_token(token);
  if (!v) return error_response(c.req, v.error());
  auto slots = c.services.meetings.slots(v->meeting.agent_id);
  return ok_json(c.req,
                 {{"meeting", view_json(*v)},
                  {"slots", slots_json(slots ? slots->slots : std::vector<core::TimeRange>{})}});
}

Response cancel_by_link(const RouteCall& c) {
  return meeting_reply(c.req, c.services.meetings.cancel_by_token(std::string(c.token)));
}

Response reschedule_by_link(const RouteCall& c) {
  auto start = start_of(c.req);
  if (!start) return error_response(c.req, start.error());
  return reschedule_reply(c.req, c.services.meetings.reschedule_by_token(std::string(c.token), *start));
}

Response invitation_by_link(const RouteCall& c) {
  std::string token(c.token);
  auto v = c.services.meetings.by_token(token);
  auto ics = c.services.meetings.invitation_by_token(token, document_language(c.req.target()));
  return ics_response(c.req, ics, v ? v->meeting.id : 0);
}

}  // namespace

void add_calendar_routes(RouteTable& t) {
  t.add(verb::get, "/api/v1/me/calendar", Access::agent, my_calendar);
  t.add(verb::put, "/api/v1/me/calendar", Access::agent, update_my_calendar);
  t.add(verb::put, "/api/v1/me/calendar/busy", Access::agent, import_busy);
  t.add(verb::post, "/api/v1/me/calendar/busy/refresh", Access::agent, refresh_busy);
  t.add(verb::get, "/api/v1/calendars", Access::agent, calendars);
  t.add(verb::get, "/api/v1/calendars/{id}/slots", Access::agent, agent_slots);
  t.add(verb::post, "/api/v1/conversations/{id}/calendar-card", Access::agent, share_card);
  t.add(verb::get, "/api/v1/meetings", Access::agent, meetings_list);
  t.add(verb::post, "/api/v1/meetings/{id}/cancel", Access::agent, cancel);
  t.add(verb::post, "/api/v1/meetings/{id}/reschedule", Access::agent, reschedule);
  t.add(verb::get, "/api/v1/meetings/{id}/invite.ics", Access::agent, invitation);

  t.add(verb::get, "/api/v1/visitor/calendars/{id}/slots", Access::visitor, visitor_slots);
  t.add(verb::post, "/api/v1/visitor/meetings", Access::visitor, book);
  t.add(verb::get, "/api/v1/visitor/meetings/{id}/invite.ics", Access::visitor, visitor_invitation);

  t.add(verb::get, "/api/v1/meeting-links/{token}", Access::meeting_link, by_link);
  t.add(verb::post, "/api/v1/meeting-links/{token}/cancel", Access::meeting_link, cancel_by_link);
  t.add(verb::post, "/api/v1/meeting-links/{token}/reschedule", Access::meeting_link, reschedule_by_link);
  t.add(verb::get, "/api/v1/meeting-links/{token}/invite.ics", Access::meeting_link, invitation_by_link);
}

}  // namespace parley::net
