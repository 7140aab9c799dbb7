// The REST routes of API tokens (docs/api.md, "API tokens"), for admins signed in with a
// session (a token never manages tokens: none of these rows has a scope):
//   GET    /api/v1/admin/api-tokens         every token (never a secret)
//   POST   /api/v1/admin/api-tokens         {name, scopes: [...]} -> the token and its secret, once
//   DELETE /api/v1/admin/api-tokens/{id}    revoke
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_api_token_routes(RouteTable& table);

}  // namespace parley::net
