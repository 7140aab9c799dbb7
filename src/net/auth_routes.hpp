// The agent's sign-in (docs/api.md, "Agent endpoints"):
//   POST /api/v1/auth/login    {email, password} -> {agent}, the session cookie set
//   POST /api/v1/auth/logout   the session ended, the cookie cleared
// (The set-password link, which signs in too, is in net/team_routes.)
#pragma once

#include <string>
#include <string_view>

#include "net/route_table.hpp"

namespace parley::net {

void add_auth_routes(RouteTable& table);

// The Set-Cookie value of the session cookie: HttpOnly, SameSite=Lax, Secure when Parley is
// reached over HTTPS (so the browser never sends it in clear text). max_age 0 clears it.
std::string session_cookie(std::string_view token, long max_age_seconds, bool secure);
// The cookie of a new session of the normal lifetime.
void set_session_cookie(Response& res, std::string_view token, const RouteCall& call);

}  // namespace parley::net
