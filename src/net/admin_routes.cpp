#include "net/admin_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"
#include "net/json_settings.hpp"

namespace parley::net {

namespace {

using http::verb;

Response chat_policy(const RouteCall& c) {
  return ok_json(c.req, {{"settings", to_json(c.services.chats.policy())}});
}

Response update_chat_policy(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto policy = chat_policy_from_json(*b, c.services.chats.policy());
  if (!policy) return error_response(c.req, policy.error());
  auto saved = c.services.chats.update_policy(c.caller(), *policy);
  if (!saved) return error_response(c.req, saved.error());
  return ok_json(c.req, {{"settings", to_json(*saved)}});
}

Response routing(const RouteCall& c) {
  auto rules = c.services.routing.rules(c.caller());
  if (!rules) return error_response(c.req, rules.error());
  return ok_json(c.req, {{"routing", to_json(*rules)}});
}

Response replace_routing(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto rules = routing_rules_from_json(*b);
  if (!rules) return error_response(c.req, rules.error());
  if (auto ok = c.services.routing.replace(c.caller(), *rules); !ok) return error_response(c.req, ok.error());
  return routing(c);
}

Response import_accounts(const RouteCall& c) {
  auto n = c.services.routing.import_accounts(c.caller(), c.req.body());
  if (!n) return error_response(c.req, n.error());
  return ok_json(c.req, {{"imported", *n}});
}

}  // namespace

void add_admin_routes(RouteTable& t) {
  t.add(verb::get, "/api/v1/admin/settings", Access::admin, chat_policy);
  t.add(verb::put, "/api/v1/admin/settings", Access::admin, update_chat_policy);
  t.add(verb::get, "/api/v1/admin/routing", Access::admin, routing);
  t.add(verb::put, "/api/v1/admin/routing", Access::admin, replace_routing);
  t.add(verb::post, "/api/v1/admin/routing/accounts.csv", Access::admin, import_accounts);
}

}  // namespace parley::net
