// The REST routes of team management (docs/api.md, "Team"):
//   POST  /api/v1/admin/agents                          add an agent (password or invitation link)
//   PATCH /api/v1/admin/agents/{id}                     name, role, Calendar Agent, limit, initials
//   POST  /api/v1/admin/agents/{id}/password-link       a new one-time set-password link
//   POST  /api/v1/admin/agents/{id}/deactivate|reactivate
//   PATCH /api/v1/me/profile                            own name and initials
//   PUT   /api/v1/me/password                           own password (needs the current one)
//   PUT   /api/v1/conversations/{id}/person             the visitor panel's person fields
//   POST  /api/v1/auth/password-link[/check]            the set-password page (no session)
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_team_routes(RouteTable& table);

}  // namespace parley::net
