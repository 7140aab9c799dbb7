// The REST API under /api/v1 (docs/api.md, docs/openapi.json): every request is dispatched
// through one route table (net/route_table.hpp), whose rows each area's *_routes.cpp adds.
// The dispatcher finds the row, establishes who is calling as the row says, and calls its
// handler; handlers parse, call one use case and encode. No rules live here.
#pragma once

#include <string>
#include <vector>

#include "net/http_util.hpp"
#include "net/request_context.hpp"
#include "net/route_table.hpp"
#include "net/services.hpp"

namespace parley::net {

// Handles any request whose path starts with /api/. Never throws for bad input.
Response handle_api(Services& services, const Request& req, const RequestContext& context);

// Every route of the API, built once.
const RouteTable& api_routes();

// The distinct patterns of the table as /metrics labels them (net/route_table.hpp,
// label_pattern), for observability::RouteLabels.
std::vector<std::string> api_route_labels();

}  // namespace parley::net
