#include "net/people_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

json::object person_json(const core::Person& p) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
  };
  return {{"id", p.id},
          {"email", p.email},
          {"name", opt(p.name)},
          {"job_title", opt(p.job_title)},
          {"phone", opt(p.phone)},
          {"company", opt(p.company)},
          {"crm_status", opt(p.crm_status)}};
}

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

}  // namespace

std::optional<Response> handle_people_api(Services& s, const Request& req,
                                          const core::Agent& caller,
                                          std::span<const std::string_view> rest) {
  if (rest.size() == 1 && rest[0] == "activities") {
    return only(req, verb::post, [&] { return custom_activity(s, req, caller); });
  }
  if (rest.empty() || rest[0] != "people") return std::nullopt;
  if (rest.size() == 2 && rest[1] == "import") {
    return only(req, verb::post, [&] { return import_people(s, req, caller); });
  }
  if (rest.size() != 1) return std::nullopt;
  if (req.method() == verb::get) {
    auto q = query_of(req.target());
    auto it = q.find("email");
    if (it == q.end()) return error_response(req, core::bad_request("email is required"));
    auto person = s.people.find(caller, it->second);
    if (!person) return error_response(req, person.error());
    return ok_json(req, {{"person", person_json(*person)}});
  }
  return only(req, verb::put, [&] {
    auto body = parse_object(req.body());
    if (!body) return error_response(req, body.error());
    auto input = person_input(*body);
    if (!input) return error_response(req, input.error());
    auto person = s.people.upsert(caller, std::move(*input));
    if (!person) return error_response(req, person.error());
    return ok_json(req, {{"person", person_json(*person)}});
  });
}

}  // namespace parley::net
