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

Response admin_email(Services& s, const Request& req, const core::Agent& a) {
  if (req.method() == verb::get) {
    auto settings = s.email.settings(a);
    if (!settings) return error_response(req, settings.error());
    return ok_json(req, {{"email", smtp_json(*settings)}});
  }
  return only(req, verb::put, [&] {
    auto current = s.email.settings(a);
    if (!current) return error_response(req, current.error());
    auto b = parse_object(req.body());
    if (!b) return error_response(req, b.error());
    auto wanted = smtp_from_json(*b, *current);
    if (!wanted) return error_response(req, wanted.error());
    auto saved = s.email.update_settings(a, *wanted);
    if (!saved) return error_response(req, saved.error());
    return ok_json(req, {{"email", smtp_json(*saved)}});
  });
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

}  // namespace

std::optional<Response> handle_email_api(Services& s, const Request& req, const core::Agent& caller,
                                         std::span<const std::string_view> parts) {
  if (parts.size() == 3 && parts[2] == "email") {
    return only(req, verb::get, [&] { return ok_json(req, {{"configured", s.email.configured()}}); });
  }
  if (parts.size() >= 4 && parts[2] == "admin" && parts[3] == "email") {
    if (parts.size() == 4) return admin_email(s, req, caller);
    if (parts.size() == 5 && parts[4] == "test") {
      return only(req, verb::post, [&] {
        auto sent = s.email.send_test(caller);
        if (!sent) return error_response(req, sent.error());
        return empty_response(req, status::no_content);
      });
    }
    return std::nullopt;
  }
  if (parts.size() == 6 && parts[2] == "conversations" && parts[4] == "followup" &&
      parts[5] == "email") {
    auto id = parse_id(parts[3]);
    if (!id) return std::nullopt;
    return only(req, verb::post, [&] { return followup_email(s, req, caller, *id); });
  }
  return std::nullopt;
}

}  // namespace parley::net
