// The REST API's one list of routes (docs/api.md, docs/openapi.json): each row is a method,
// a path pattern in the OpenAPI document's form ("/api/v1/conversations/{id}/messages"), who
// may call it and the handler. net/api_router dispatches every /api request through it, the
// API-token scopes are read from it and the /metrics route labels are its patterns; a unit
// test (tests/net/route_table_test.cpp) compares it with docs/openapi.json both ways.
//
// Each area adds its rows in its own file (add_team_routes in net/team_routes.cpp, ...);
// net/api_router.cpp (api_routes) puts them together.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_token.hpp"
#include "core/types.hpp"
#include "net/http_util.hpp"
#include "net/request_context.hpp"
#include "net/services.hpp"

namespace parley::net {

// Who may call a route, established by the dispatcher before the handler runs.
enum class Access {
  anyone,        // no credential (login, the set-password link, the API document)
  widget,        // no credential, from any site's page (CORS *, preflight): the widget's first calls
  visitor,       // a visitor token (Authorization: Bearer), from any site's page (CORS *, preflight)
  meeting_link,  // the path's {token} is the only credential (no cookie): any origin may call
  agent,         // a signed-in agent (session cookie); an API token only when the row has a scope
  admin,         // a signed-in admin; an API token only when the row has a scope
};

const char* to_string(Access access);

// What a handler is given: the request, the caller the dispatcher established and the path
// parameters, parsed once.
struct RouteCall {
  Services& services;
  const Request& req;
  const RequestContext& context;
  // agent and admin rows: the signed-in agent, or an API token's principal.
  const core::Agent* agent = nullptr;
  // The agent's session cookie; empty when an API token called.
  std::string_view session_token{};
  // visitor rows: the visitor the token belongs to.
  core::Id visitor_id = 0;
  // The {id}-like parameters of the path, in order (each a positive decimal, as parse_id).
  std::vector<core::Id> ids{};
  // The {token} parameter of the path, if the pattern has one (one non-empty segment).
  std::string_view token{};

  core::Id id(std::size_t i = 0) const { return ids.at(i); }
  const core::Agent& caller() const { return *agent; }
};

using Handler = Response (*)(const RouteCall& call);

struct Route {
  http::verb method;
  std::string pattern;  // "/api/v1/conversations/{id}/messages"
  Access access;
  // agent and admin rows: the API-token scope that opens the route to tokens; none = closed
  // to tokens whatever their scopes.
  std::optional<core::ApiScope> scope;
  Handler handler;
  std::vector<std::string> segments;  // the pattern split at '/', for matching
};

class RouteTable {
 public:
  // Rows closed to API tokens...
  void add(http::verb method, std::string_view pattern, Access access, Handler handler);
  // ...and rows (agent or admin) a token with `scope` may call too.
  void add(http::verb method, std::string_view pattern, Access access, core::ApiScope scope,
           Handler handler);

  struct Match {
    const Route* route = nullptr;          // the row of the path and the method, if any
    std::vector<const Route*> same_path;   // every row of the path, whatever its method
    std::vector<core::Id> ids;
    std::string_view token;
  };
  // The rows whose pattern matches `path` (no query string). same_path empty: no route
  // (404); route null with same_path not empty: another method (405).
  Match match(http::verb method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  void add_row(Route row);  // throws std::logic_error for a row that cannot be right
  std::vector<Route> routes_;
};

// A placeholder of a pattern: "{token}" matches one non-empty segment, every other "{name}"
// a positive decimal id.
bool is_parameter(std::string_view segment);
bool is_token_parameter(std::string_view segment);

// The pattern with its parameters named as the /metrics route labels name them ({id},
// {token}): "/api/v1/admin/webhooks/{id}/deliveries/{delivery_id}/redeliver" ->
// "/api/v1/admin/webhooks/{id}/deliveries/{id}/redeliver".
std::string label_pattern(std::string_view pattern);

}  // namespace parley::net
