// GET /api/v1/openapi.json: the API's contract (net/openapi_document.hpp), public, cacheable
// for a few minutes.
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_openapi_routes(RouteTable& table);

}  // namespace parley::net
