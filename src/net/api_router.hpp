// The REST API under /api/v1 (docs/api.md): parses requests, establishes who is calling,
// calls one use case, encodes the answer. No rules live here.
#pragma once

#include "net/http_util.hpp"
#include "net/request_context.hpp"
#include "net/services.hpp"

namespace parley::net {

// Handles any request whose path starts with /api/. Never throws for bad input.
Response handle_api(Services& services, const Request& req, const RequestContext& context);

}  // namespace parley::net
