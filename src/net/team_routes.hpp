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

#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

// The routes above that need a session; `parts` is the whole path ({"api","v1",...}) and
// `session_token` the caller's cookie. nullopt when the path is none of them.
std::optional<Response> handle_team_api(Services& services, const Request& req,
                                        const core::Agent& caller,
                                        std::span<const std::string_view> parts,
                                        std::string_view session_token);

// POST /api/v1/auth/password-link/check {token} -> {agent: {name, email}}
// POST /api/v1/auth/password-link {token, password} -> {agent}, signed in (`cookie` is
// called with the new session token). nullopt when the path is neither.
std::optional<Response> handle_password_link_api(
    Services& services, const Request& req, std::span<const std::string_view> parts,
    const std::function<void(Response&, const std::string& session_token)>& set_cookie);

}  // namespace parley::net
