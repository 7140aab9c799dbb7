// The admin's chat settings and routing rules (docs/api.md, "Admin settings" and "Routing
// rules"):
//   GET|PUT /api/v1/admin/settings                 the chat policy (timeouts, fallback)
//   GET|PUT /api/v1/admin/routing                  the routing rules
//   POST    /api/v1/admin/routing/accounts.csv     account owners from a CSV file
// The team, people, email, tokens and webhooks of /admin have files of their own.
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_admin_routes(RouteTable& table);

}  // namespace parley::net
