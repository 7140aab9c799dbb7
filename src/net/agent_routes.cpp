#include "net/agent_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"
#include "net/json_settings.hpp"

namespace parley::net {

namespace {

using http::verb;

json::object agent_json(const RouteCall& c, const core::Agent& a) {
  return to_json(a, c.services.agents.status(a));
}

core::AgentSettings settings_of(const core::Agent& a) {
  return {a.time_zone, a.schedule, a.max_chats, a.sound, a.language};
}

Response me(const RouteCall& c) { return ok_json(c.req, {{"agent", agent_json(c, c.caller())}}); }

Response set_availability(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto available = required_bool(*b, "available");
  if (!available) return error_response(c.req, available.error());
  auto updated = c.services.agents.set_availability(c.caller(), *available);
  if (!updated) return error_response(c.req, updated.error());
  return ok_json(c.req, {{"agent", agent_json(c, *updated)}});
}

Response settings(const RouteCall& c) {
  return ok_json(c.req, {{"settings", to_json(settings_of(c.caller()))}});
}

Response update_settings(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return error_response(c.req, b.error());
  auto wanted = agent_settings_from_json(*b, settings_of(c.caller()));
  if (!wanted) return error_response(c.req, wanted.error());
  auto updated = c.services.agents.update_settings(c.caller(), *wanted);
  if (!updated) return error_response(c.req, updated.error());
  return ok_json(c.req, {{"settings", to_json(settings_of(*updated))},
                         {"agent", agent_json(c, *updated)}});
}

Response agents(const RouteCall& c) {
  auto all = c.services.agents.list_agents(c.caller());
  if (!all) return error_response(c.req, all.error());
  json::array items;
  for (const auto& agent : *all) items.push_back(agent_json(c, agent));
  return ok_json(c.req, {{"agents", std::move(items)}});
}

}  // namespace

void add_agent_routes(RouteTable& t) {
  t.add(verb::get, "/api/v1/me", Access::agent, me);
  t.add(verb::put, "/api/v1/me/availability", Access::agent, set_availability);
  t.add(verb::get, "/api/v1/me/settings", Access::agent, settings);
  t.add(verb::put, "/api/v1/me/settings", Access::agent, update_settings);
  // Admins only (AgentService::list_agents says so too), and agents:read tokens.
  t.add(verb::get, "/api/v1/agents", Access::admin, core::ApiScope::agents_read, agents);
}

}  // namespace parley::net
