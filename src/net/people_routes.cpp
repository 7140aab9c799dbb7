#include "net/people_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

core::Result<core::PersonInput> person_input(const json::object& o) {
  core::PersonInput p;
  auto email = required_string(o, "email");
  if (!email) return email.error();
  p.email = *email;
  for (auto [key, field] : {std::pair{"name", &p.name},
                            {"job_title", &p.job_title},
                            {"phone", &p.phone},
                            {"company", &p.company},
                            {"crm_status", &p.crm_status}}) {
    auto v = optional_string(o, key);
    if (!v) return v.error();
    *field = *v;
  }
  return p;
}

Response import_people(Services& s, const Request& req, const core::Agent& caller) {
  auto report = s.people.import_csv(caller, req.body());
  if (!report) return error_response(req, report.error());
  if (report->errors.empty()) {
    return ok_json(req, {{"imported", report->imported},
                         {"created", report->created},
                         {"updated", report->imported - report->created}});
  }
  json::array rows;
  std::string message = "nothing was imported: " + std::to_string(report->errors.size()) +
                        " bad row(s); first: line " + std::to_string(report->errors[0].line) +
                        ": " + report->errors[0].message;
  for (const auto& e : report->errors) rows.push_back({{"line", e.line}, {"message", e.message}});
  return ok_json(req,
                 {{"error", json::object{{"code", "bad_request"},
                                         {"message", std::move(message)},
                                         {"rows", std::move(rows)}}}},
                 http::status::bad_request);
}

Response custom_activity(Services& s, const Request& req, const core::Agent& caller) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  app::ActivityTarget target;
  if (body->contains("visitor_id")) {
    auto id = required_int(*body, "visitor_id");
    if (!id) return error_response(req, id.error());
    target = *id;
  } else {
    auto email = required_string(*body, "email");
    if (!email) return error_response(req, core::bad_request("visitor_id or email is required"));
    target = *email;
  }
  auto detail = required_string(*body, "detail");
  if (!detail) return error_response(req, detail.error());
  auto url = optional_string(*body, "url");
  if (!url) return error_response(req, url.error());
  auto activity = s.people.post_custom_activity(caller, target, *detail, *url);
  if (!activity) return error_response(req, activity.error());
  return ok_json(req, {{"activity", to_json(*activity)}}, http::status::created);
}

Response find(const RouteCall& c) {
  auto q = query_of(c.req.target());
  auto it = q.find("email");
  if (it == q.end()) return error_response(c.req, core::bad_request("email is required"));
  auto person = c.services.people.find(c.caller(), it->second);
  if (!person) return error_response(c.req, person.error());
  return ok_json(c.req, {{"person", to_json(*person)}});
}

Response upsert(const RouteCall& c) {
  auto body = parse_object(c.req.body());
  if (!body) return error_response(c.req, body.error());
  auto input = person_input(*body);
  if (!input) return error_response(c.req, input.error());
  auto person = c.services.people.upsert(c.caller(), std::move(*input));
  if (!person) return error_response(c.req, person.error());
  return ok_json(c.req, {{"person", to_json(*person)}});
}

Response import_row(const RouteCall& c) { return import_people(c.services, c.req, c.caller()); }

Response activity_row(const RouteCall& c) { return custom_activity(c.services, c.req, c.caller()); }

}  // namespace

void add_people_routes(RouteTable& t) {
  using core::ApiScope;
  t.add(verb::get, "/api/v1/admin/people", Access::admin, ApiScope::people_read, find);
  t.add(verb::put, "/api/v1/admin/people", Access::admin, ApiScope::people_write, upsert);
  t.add(verb::post, "/api/v1/admin/people/import", Access::admin, ApiScope::people_write, import_row);
  t.add(verb::post, "/api/v1/admin/activities", Access::admin, ApiScope::people_write, activity_row);
}

}  // namespace parley::net
