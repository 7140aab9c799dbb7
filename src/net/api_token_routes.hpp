// The REST routes of API tokens (docs/api.md, "API tokens"), for admins signed in with a
// session (a token never manages tokens: net/api_token_scopes.cpp opens none of these):
//   GET    /api/v1/admin/api-tokens         every token (never a secret)
//   POST   /api/v1/admin/api-tokens         {name, scopes: [...]} -> the token and its secret, once
//   DELETE /api/v1/admin/api-tokens/{id}    revoke
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

// `parts` is the whole path ({"api","v1",...}); nullopt when it is none of the routes above.
std::optional<Response> handle_api_token_api(Services& services, const Request& req,
                                             const core::Agent& caller,
                                             std::span<const std::string_view> parts);

}  // namespace parley::net
