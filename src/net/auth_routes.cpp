#include "net/auth_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

std::string session_cookie(std::string_view token, long max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds) +
         (secure ? "; Secure" : "");
}

void set_session_cookie(Response& res, std::string_view token, const RouteCall& call) {
  res.set(http::field::set_cookie, session_cookie(token, app::AuthService::kSessionLifetime / 1000,
                                                  call.context.https));
}

namespace {

using http::verb;

Response login(const RouteCall& c) {
  // A page on another site must not log a browser in (login CSRF), nor probe passwords
  // with the visitor's own browser.
  if (is_cross_origin(c.req)) return error_response(c.req, core::forbidden("cross-origin login refused"));
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto email = required_string(*b, "email");
  if (!email) return error_response(c.req, email.error());
  auto password = required_string(*b, "password");
  if (!password) return error_response(c.req, password.error());
  auto outcome = c.services.auth.login(*email, *password);
  if (!outcome) return error_response(c.req, outcome.error());
  const auto& agent = outcome->agent;
  auto res = ok_json(c.req, {{"agent", to_json(agent, c.services.agents.status(agent))}});
  set_session_cookie(res, outcome->session_token, c);
  return res;
}

Response logout(const RouteCall& c) {
  if (auto token = cookie_value(c.req, kSessionCookie)) c.services.auth.logout(*token);
  auto res = empty_response(c.req, http::status::no_content);
  res.set(http::field::set_cookie, session_cookie("", 0, c.context.https));
  return res;
}

}  // namespace

void add_auth_routes(RouteTable& t) {
  t.add(verb::post, "/api/v1/auth/login", Access::anyone, login);
  t.add(verb::post, "/api/v1/auth/logout", Access::anyone, logout);
}

}  // namespace parley::net
