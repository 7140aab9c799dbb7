#include "net/visitor_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::status;
using http::verb;

// Public and cheap (no token, a cached read): the widget asks on every page view whether
// anyone could take a chat now, before it shows a form.
Response agents_available(const RouteCall& c) {
  return ok_json(c.req, {{"agents_available", c.services.chats.agents_available()}});
}

Response new_session(const RouteCall& c) {
  auto v = c.services.auth.new_visitor();
  return ok_json(c.req, {{"visitor_token", v.visitor_token}, {"visitor_id", v.visitor.id}},
                 status::created);
}

Response report_activity(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  core::activity::VisitorReport report;
  auto type = required_string(*b, "type");
  if (!type) return error_response(c.req, type.error());
  auto url = required_string(*b, "url");
  if (!url) return error_response(c.req, url.error());
  auto title = optional_string(*b, "title");
  if (!title) return error_response(c.req, title.error());
  report.type = *type;
  report.url = *url;
  report.title = title->value_or("");
  auto activity = c.services.chats.record_visitor_activity(c.visitor_id, std::move(report));
  if (!activity) return error_response(c.req, activity.error());
  return ok_json(c.req, {{"activity", to_json(*activity)}}, status::created);
}

}  // namespace

void add_visitor_routes(RouteTable& t) {
  t.add(verb::get, "/api/v1/visitor/status", Access::widget, agents_available);
  t.add(verb::post, "/api/v1/visitor/session", Access::widget, new_session);
  t.add(verb::post, "/api/v1/visitor/activities", Access::visitor, report_activity);
}

}  // namespace parley::net
