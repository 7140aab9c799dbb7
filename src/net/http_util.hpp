// HTTP helpers shared by the router, static files and the WebSocket upgrade: response
// builders (every error in the {"error":{code,message}} shape), cookies, query strings.
#pragma once

#include <boost/beast/http.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace parley::net {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

inline constexpr std::size_t kMaxRequestBody = 64 * 1024;  // documented in docs/api.md
inline constexpr std::size_t kMaxAdminRequestBody = 4 * 1024 * 1024;  // imports, see below
// Paths that take kMaxAdminRequestBody: everything under /api/v1/admin/ and an agent's
// calendar file upload (PUT /api/v1/me/calendar/busy).
inline bool allows_large_body(std::string_view path) {
  return path.starts_with("/api/v1/admin/") || path == "/api/v1/me/calendar/busy";
}

http::status status_of(core::ErrorCode code);
Response json_response(const Request& req, http::status status, std::string body);
Response error_response(const Request& req, const core::Error& error);
// Sets Retry-After (whole seconds, rounded up) when `error` is a rate limit's refusal.
void set_retry_after(const core::Error& error, Response& res);
Response empty_response(const Request& req, http::status status);

// The value of cookie `name` in the request's Cookie header, if any.
std::optional<std::string> cookie_value(const Request& req, std::string_view name);
// A bearer token from `Authorization: Bearer <token>`.
std::optional<std::string> bearer_token(const Request& req);

// The path without the query, and the decoded query parameters.
std::string_view path_of(std::string_view target);
std::map<std::string, std::string> query_of(std::string_view target);
std::string url_decode(std::string_view s);

// True when an Origin header is present and names another host than the Host header:
// a cross-site request that must not ride on the agent's cookie.
bool is_cross_origin(const Request& req);

}  // namespace parley::net
