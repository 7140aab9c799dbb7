// Headers every answer carries so that browsers treat Parley's pages and data safely:
// no MIME sniffing, no full URLs leaked to other sites, and for the Inbox and the meeting
// page a Content-Security-Policy that runs only Parley's own scripts and refuses framing
// (clickjacking). The widget script and the visitor API stay usable from any host page.
#pragma once

#include <string_view>

#include "net/http_util.hpp"

namespace parley::net {

inline constexpr std::string_view kAppPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// Adds the headers for an answer to `path` (the request path, without the query).
void add_security_headers(std::string_view path, Response& res);

}  // namespace parley::net
