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

Response my_calendar(Services& s, const Request& req, const core::Agent& a) {
  if (req.method() == verb::get)
    return ok_json(req, {{"calendar", to_json(s.meetings.calendar(a))}});
  return only(req, verb::put, [&] {
    auto body = parse_object(req.body());
    if (!body) return error_response(req, body.error());
    auto wanted = calendar_from_json(*body, s.meetings.calendar(a));
    if (!wanted) return error_response(req, wanted.error());
    auto saved = s.meetings.update_calendar(a, wanted->calendar, wanted->ics_url);
    if (!saved) return error_response(req, saved.error());
    return ok_json(req, {{"calendar", to_json(*saved)}});
  });
}

Response calendar_reply(const Request& req, const core::Result<core::CalendarSettings>& r) {
  if (!r) return error_response(req, r.error());
  return ok_json(req, {{"calendar", to_json(*r)}});
}

Response meetings_list(Services& s, const Request& req, const core::Agent& a) {
  auto q = query_of(req.target());
  bool all = false;
  if (auto it = q.find("scope"); it != q.end()) {
    if (it->second == "all")
      all = true;
    else if (it->second != "mine")
      return error_response(req, core::bad_request("scope must be mine or all"));
  }
  auto list = s.meetings.list(a, all);
  if (!list) return error_response(req, list.error());
  json::array items;
  for (const auto& v : *list) items.push_back(view_json(v));
  return ok_json(req, {{"meetings", std::move(items)}});
}

}  // namespace

std::optional<Response> handle_agent_calendar_api(Services& s, const Request& req,
                                                  const core::Agent& a,
                                                  std::span<const std::string_view> p) {
  auto n = p.size();
  if (n >= 4 && p[2] == "me" && p[3] == "calendar") {
    if (n == 4) return my_calendar(s, req, a);
    if (n == 5 && p[4] == "busy") {
      return only(req, verb::put,
                  [&] { return calendar_reply(req, s.meetings.import_busy(a, req.body())); });
    }
    if (n == 6 && p[4] == "busy" && p[5] == "refresh") {
      return only(req, verb::post, [&] { return calendar_reply(req, s.meetings.refresh_busy(a)); });
    }
    return std::nullopt;
  }
  if (p[2] == "calendars") {
    if (n == 3) {
      return only(req, verb::get, [&] {
        json::array items;
        for (const auto& c : s.meetings.calendars(a)) {
          items.push_back(
              json::object{{"agent_id", c.agent_id}, {"agent_name", c.agent_name}, {"own", c.own}});
        }
        return ok_json(req, {{"calendars", std::move(items)}});
      });
    }
    auto id = n == 5 && p[4] == "slots" ? parse_id(p[3]) : std::nullopt;
    if (!id) return std::nullopt;
    return only(req, verb::get, [&] {
      auto slots = s.meetings.slots(*id);
      if (!slots) return error_response(req, slots.error());
      return ok_json(req, slot_list_json(*slots));
    });
  }
  if (n == 5 && p[2] == "conversations" && p[4] == "calendar-card") {
    auto id = parse_id(p[3]);
    if (!id) return error_response(req, core::not_found("no such conversation"));
    return only(req, verb::post, [&] {
      auto body = parse_object(req.body());
      if (!body) return error_response(req, body.error());
      auto agent_id = required_int(*body, "agent_id");
      if (!agent_id) return error_response(req, agent_id.error());
      auto event = s.meetings.share_card(a, *id, *agent_id);
      if (!event) return error_response(req, event.error());
      return ok_json(req, {{"event", to_json(*event)}}, status::created);
    });
  }
  if (p[2] != "meetings") return std::nullopt;
  if (n == 3) return only(req, verb::get, [&] { return meetings_list(s, req, a); });
  auto id = n == 5 ? parse_id(p[3]) : std::nullopt;
  if (!id) return error_response(req, core::not_found("no such meeting"));
  if (p[4] == "cancel") {
    return only(req, verb::post, [&] {
      auto v = s.meetings.cancel(a, *id);
      if (!v) return error_response(req, v.error());
      return ok_json(req, {{"meeting", view_json(*v)}});
    });
  }
  if (p[4] == "reschedule") {
    return only(req, verb::post, [&] {
      auto start = start_of(req);
      if (!start) return error_response(req, start.error());
      return booking_reply(req, s.meetings.reschedule(a, *id, *start),
                           [](const app::MeetingView& v) {
                             return json::object{{"meeting", view_json(v)}};
                           });
    });
  }
  if (p[4] == "invite.ics") {
    return only(req, verb::get,
                [&] {
                  auto lang = document_language(req.target(), a.language);
                  return ics_response(req, s.meetings.invitation(a, *id, lang), *id);
                });
  }
  return std::nullopt;
}

std::optional<Response> handle_visitor_calendar_api(Services& s, const Request& req,
                                                    core::Id visitor_id,
                                                    std::span<const std::string_view> p) {
  auto n = p.size();
  if (n == 6 && p[3] == "calendars" && p[5] == "slots") {
    auto id = parse_id(p[4]);
    if (!id) return error_response(req, core::not_found("that agent has no meeting calendar"));
    return only(req, verb::get, [&] {
      // ?tz=<the visitor's IANA zone>: only slots inside the visitor's reasonable hours.
      auto q = query_of(req.target());
      std::optional<std::string> tz;
      if (auto it = q.find("tz"); it != q.end()) tz = it->second;
      auto slots = s.meetings.visitor_slots(*id, tz);
      if (!slots) return error_response(req, slots.error());
      return ok_json(req, slot_list_json(*slots));
    });
  }
  if (n < 4 || p[3] != "meetings") return std::nullopt;
  if (n == 4) {
    return only(req, verb::post, [&] {
      auto body = parse_object(req.body());
      if (!body) return error_response(req, body.error());
      auto agent_id = required_int(*body, "agent_id");
      if (!agent_id) return error_response(req, agent_id.error());
      auto start = required_int(*body, "start");
      if (!start) return error_response(req, start.error());
      auto email = required_string(*body, "email");
      if (!email) return error_response(req, email.error());
      std::optional<core::Id> conversation;
      if (body->contains("conversation_id") && !body->at("conversation_id").is_null()) {
        auto c = required_int(*body, "conversation_id");
        if (!c) return error_response(req, c.error());
        conversation = *c;
      }
      return booking_reply(
          req, s.meetings.book(visitor_id, *agent_id, *start, *email, conversation),
          [](const app::Booking& b) {
            return json::object{{"meeting", view_json(b.meeting)},
                                {"manage_token", b.manage_token}};
          },
          status::created);
    });
  }
  auto id = n == 6 && p[5] == "invite.ics" ? parse_id(p[4]) : std::nullopt;
  if (!id) return error_response(req, core::not_found("no such meeting"));
  return only(req, verb::get, [&] {
    auto lang = document_language(req.target());
    return ics_response(req, s.meetings.visitor_invitation(visitor_id, *id, lang), *id);
  });
}

Response handle_meeting_link_api(Services& s, const Request& req,
                                 std::span<const std::string_view> p) {
  // p: {"api", "v1", "meeting-links", token, [action]}
  if (p.size() < 4 || p.size() > 5) return error_response(req, core::not_found("no such meeting"));
  std::string token(p[3]);
  if (p.size() == 4) {
    return only(req, verb::get, [&] {
      auto v = s.meetings.by_token(token);
      if (!v) return error_response(req, v.error());
      auto slots = s.meetings.slots(v->meeting.agent_id);
      return ok_json(
          req, {{"meeting", view_json(*v)},
                {"slots", slots_json(slots ? slots->slots : std::vector<core::TimeRange>{})}});
    });
  }
  auto action = p[4];
  if (action == "cancel") {
    return only(req, verb::post, [&] {
      auto v = s.meetings.cancel_by_token(token);
      if (!v) return error_response(req, v.error());
      return ok_json(req, {{"meeting", view_json(*v)}});
    });
  }
  if (action == "reschedule") {
    return only(req, verb::post, [&] {
      auto start = start_of(req);
      if (!start) return error_response(req, start.error());
      return booking_reply(req, s.meetings.reschedule_by_token(token, *start),
                           [](const app::MeetingView& v) {
                             return json::object{{"meeting", view_json(v)}};
                           });
    });
  }
  if (action == "invite.ics") {
    return only(req, verb::get, [&] {
      auto v = s.meetings.by_token(token);
      return ics_response(req, s.meetings.invitation_by_token(token, document_language(req.target())), v ? v->meeting.id : 0);
    });
  }
  return error_response(req, core::not_found("no route for this meeting link"));
}

}  // namespace parley::net
