// The signed-in agent's own routes and the team list (docs/api.md, "Agent endpoints" and
// "Availability, settings and timeouts"):
//   GET /api/v1/me                     the agent, with their live status
//   PUT /api/v1/me/availability        {available}
//   GET|PUT /api/v1/me/settings        time zone, schedule, chat limit, sound, language
//   GET /api/v1/agents                 the team with each one's status (admins; agents:read tokens)
// The profile, password and calendar of /me are in net/team_routes and net/calendar_routes.
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_agent_routes(RouteTable& table);

}  // namespace parley::net
