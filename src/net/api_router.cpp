#include "net/api_router.hpp"

#include <algorithm>

#include "net/admin_routes.hpp"
#include "net/agent_routes.hpp"
#include "net/api_support.hpp"
#include "net/api_token_routes.hpp"
#include "net/auth_routes.hpp"
#include "net/calendar_routes.hpp"
#include "net/conversation_routes.hpp"
#include "net/email_routes.hpp"
#include "net/followup_routes.hpp"
#include "net/openapi_routes.hpp"
#include "net/people_routes.hpp"
#include "net/team_routes.hpp"
#include "net/visitor_routes.hpp"
#include "net/webhook_routes.hpp"

namespace parley::net {

const RouteTable& api_routes() {
  static const RouteTable table = [] {
    RouteTable t;
    add_auth_routes(t);
    add_agent_routes(t);
    add_conversation_routes(t);
    add_followup_routes(t);
    add_email_routes(t);
    add_calendar_routes(t);
    add_team_routes(t);
    add_admin_routes(t);
    add_people_routes(t);
    add_api_token_routes(t);
    add_webhook_routes(t);
    add_visitor_routes(t);
    add_openapi_routes(t);
    return t;
  }();
  return table;
}

std::vector<std::string> api_route_labels() {
  std::vector<std::string> out;
  for (const auto& row : api_routes().routes()) {
    auto label = label_pattern(row.pattern);
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(std::move(label));
  }
  return out;
}

namespace {

using http::status;
using http::verb;

// Visitor and meeting-link routes are called from other sites' pages (the widget, a manage
// link opened anywhere); they use a bearer token or the link's own token, never cookies, so
// any origin may call them.
bool any_origin(Access access) {
  return access == Access::widget || access == Access::visitor || access == Access::meeting_link;
}

// The widget's preflight: its calls send Authorization and a JSON Content-Type.
bool has_preflight(Access access) { return access == Access::widget || access == Access::visitor; }

Response preflight(const Request& req) {
  auto res = empty_response(req, status::no_content);
  res.set(http::field::access_control_allow_methods, "GET, POST");
  res.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
  res.set(http::field::access_control_max_age, "600");
  return res;
}

// 405 naming the methods the path has ("use GET or PUT here"), in Allow too.
Response method_not_allowed(const Request& req, const std::vector<const Route*>& rows) {
  std::vector<std::string> methods;
  for (const auto* row : rows) {
    std::string m(http::to_string(row->method));
    if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
  }
  std::string allow, words;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    allow += (i ? ", " : "") + methods[i];
    words += (i == 0 ? "" : i + 1 == methods.size() ? " or " : ", ") + methods[i];
  }
  auto res = error_response(req, {core::ErrorCode::method_not_allowed, "use " + words + " here"});
  res.set(http::field::allow, allow);
  return res;
}

// Calls the row's handler once the caller is who the row allows.
Response call(const Route& row, RouteCall& c) {
  const auto& req = c.req;
  auto& s = c.services;
  switch (row.access) {
    case Access::anyone:
    case Access::widget:
    case Access::meeting_link:
      return row.handler(c);
    case Access::visitor: {
      auto token = bearer_token(req);
      auto visitor = token ? s.auth.visitor_for_token(*token) : std::nullopt;
      if (!visitor) return error_response(req, core::unauthorized("a valid visitor token is required"));
      c.visitor_id = visitor->id;
      return row.handler(c);
    }
    case Access::agent:
    case Access::admin:
      break;
  }
  // A server calling with an API token: only rows with a scope the token has, run as the
  // token's principal. (A bearer header is decided on its own, whatever cookie comes with
  // it; a browser never sends one by itself, so no cross-origin check is needed.)
  if (auto secret = bearer_token(req)) {
    auto token = s.api_tokens.authenticate(*secret);
    if (!token) return error_response(req, core::unauthorized("the API token is unknown or revoked"));
    if (!row.scope) return error_response(req, core::forbidden("API tokens cannot call this route"));
    if (!token->has(*row.scope)) {
      return error_response(req, core::forbidden(std::string("this API token lacks the scope ") +
                                                 core::to_string(*row.scope)));
    }
    auto principal = core::api_token_principal(*token);
    c.agent = &principal;
    return row.handler(c);
  }
  auto session = cookie_value(req, kSessionCookie);
  auto agent = session ? s.auth.agent_for_session(*session) : std::nullopt;
  if (!agent) return error_response(req, core::unauthorized("log in first"));
  // SameSite=Lax already keeps the cookie off cross-site POSTs; refusing foreign origins
  // here closes the door for older browsers too.
  if (req.method() != verb::get && is_cross_origin(req)) {
    return error_response(req, core::forbidden("cross-origin request refused"));
  }
  // The use cases check the role as well; the row says it up front, so a new admin route
  // cannot forget it.
  if (row.access == Access::admin && agent->role != core::Role::admin) {
    return error_response(req, core::forbidden("only admins may call this route"));
  }
  c.agent = &*agent;
  c.session_token = *session;
  return row.handler(c);
}

}  // namespace

Response handle_api(Services& services, const Request& req, const RequestContext& context) {
  auto path = path_of(req.target());
  auto found = api_routes().match(req.method(), path);
  if (found.same_path.empty()) {
    return error_response(req, core::not_found("no route for " + std::string(path)));
  }
  bool cross_origin = std::any_of(found.same_path.begin(), found.same_path.end(),
                                  [](const Route* r) { return any_origin(r->access); });
  Response res;
  if (found.route) {
    RouteCall c{.services = services, .req = req, .context = context};
    c.ids = std::move(found.ids);
    c.token = found.token;
    res = call(*found.route, c);
  } else if (req.method() == verb::options &&
             std::any_of(found.same_path.begin(), found.same_path.end(),
                         [](const Route* r) { return has_preflight(r->access); })) {
    res = preflight(req);
  } else {
    res = method_not_allowed(req, found.same_path);
  }
  if (cross_origin) res.set(http::field::access_control_allow_origin, "*");
  return res;
}

}  // namespace parley::net
