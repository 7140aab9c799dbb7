#include "net/email_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::status;
using http::verb;

// The setting as the API shows it: the password never, only whether one is set.
json::object smtp_json(const core::SmtpSettings& s) {
  return {{"host", s.host},
          {"port", s.port},
          {"security", core::to_string(s.security)},
          {"user", s.user},
          {"password_set", !s.password.empty()},
          {"from_address", s.from_address},
          {"from_name", s.from_name},
          {"configured", s.configured()}};
}

// Fields of `o` over `base`: absent (or null) keeps a field; "password": "" clears it.
core::Result<core::SmtpSettings> smtp_from_json(const json::object& o, core::SmtpSettings base) {
  for (auto [key, field] : {std::pair{"host", &base.host}, {"user", &base.user},
                            {"password", &base.password}, {"from_address", &base.from_address},
                            {"from_name", &base.from_name}}) {
    auto v = optional_string(o, key);
    if (!v) return v.error();
    if (*v) *field = std::move(**v);
  }
  if (auto it = o.find("port"); it != o.end() && !it->value().is_null()) {
    auto port = required_int(o, "port");
    if (!port) return port.error();
    if (*port < 1 || *port > 65535) return core::bad_request("port must be 1..65535");
    base.port = static_cast<int>(*port);
  }
  auto security = optional_string(o, "security");
  if (!security) return security.error();
  if (*security) {
    auto s = core::smtp_security_of(**security);
    if (!s) return core::bad_request("security must be none, starttls or tls");
    base.security = *s;
  }
  return base;
}

Response smtp_setting(const RouteCall& c) {
  auto settings = c.services.email.settings(c.caller());
  if (!settings) return error_response(c.req, settings.error());
  return ok_json(c.req, {{"email", smtp_json(*settings)}});
}

Response update_smtp_setting(const RouteCall& c) {
  auto current = c.services.email.settings(c.caller());
  if (!current) return error_response(c.req, current.error());
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto wanted = smtp_from_json(*b, *current);
  if (!wanted) return error_response(c.req, wanted.error());
  auto saved = c.services.email.update_settings(c.caller(), *wanted);
  if (!saved) return error_response(c.req, saved.error());
  return ok_json(c.req, {{"email", smtp_json(*saved)}});
}

Response send_test(const RouteCall& c) {
  auto sent = c.services.email.send_test(c.caller());
  if (!sent) return error_response(c.req, sent.error());
  return empty_response(c.req, status::no_content);
}

Response configured(const RouteCall& c) {
  return ok_json(c.req, {{"configured", c.services.email.configured()}});
}

Response followup_email(Services& s, const Request& req, const core::Agent& a, core::Id id) {
  auto b = parse_object(req.body());
  if (!b) return error_response(req, b.error());
  auto kind_text = required_string(*b, "kind");
  if (!kind_text) return error_response(req, kind_text.error());
  auto kind = core::followup_email_kind_of(*kind_text);
  if (!kind) return error_response(req, core::bad_request("kind must be transcript or reply"));
  app::FollowupEmailRequest request;
  request.kind = *kind;
  auto body = optional_string(*b, "body");
  if (!body) return error_response(req, body.error());
  if (*kind == core::FollowupEmailKind::reply) {
    if (!*body) return error_response(req, core::bad_request("body is required for a reply"));
    request.body = std::move(**body);
  }
  if (auto it = b->find("include_transcript"); it != b->end() && !it->value().is_null()) {
    if (!it->value().is_bool()) {
      return error_response(req, core::bad_request("include_transcript must be true or false"));
    }
    request.include_transcript = it->value().as_bool();
  }
  // The visitor's language when the Inbox says it ("lang"), else the agent's own setting.
  auto lang = optional_string(*b, "lang");
  if (!lang) return error_response(req, lang.error());
  if (*lang && **lang != "sv" && **lang != "en") {
    return error_response(req, core::bad_request("lang must be sv or en"));
  }
  request.language = core::language_of(*lang ? **lang : a.language);
  auto event = s.email.email_followup(a, id, request);
  if (!event) return error_response(req, event.error());
  return ok_json(req, {{"event", to_json(*event)}}, status::created);
}

Response followup_email_row(const RouteCall& c) {
  return followup_email(c.services, c.req, c.caller(), c.id());
}

}  // namespace

void add_email_routes(RouteTable& t) {
  t.add(verb::get, "/api/v1/email", Access::agent, configured);
  t.add(verb::get, "/api/v1/admin/email", Access::admin, smtp_setting);
  t.add(verb::put, "/api/v1/admin/email", Access::admin, update_smtp_setting);
  t.add(verb::post, "/api/v1/admin/email/test", Access::admin, send_test);
  t.add(verb::post, "/api/v1/conversations/{id}/followup/email", Access::agent, followup_email_row);
}

}  // namespace parley::net
