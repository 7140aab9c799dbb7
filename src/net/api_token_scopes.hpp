// Which REST routes an API token may call: each route open to tokens needs one scope
// (core::ApiScope); every other route — an agent's own actions, settings, the team, the
// tokens themselves — is closed to tokens whatever their scopes.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "core/api_token.hpp"
#include "net/http_util.hpp"

namespace parley::net {

// The scope `method` on the path `parts` (["api", "v1", …]) needs; nullopt when no token
// may call it.
std::optional<core::ApiScope> scope_for(http::verb method, std::span<const std::string_view> parts);

}  // namespace parley::net
