// The API's contract, docs/openapi.json (OpenAPI 3.1: every REST route, its objects and the
// WebSocket frames), as it was when the server was built: the build writes its bytes into
// a generated file (cmake/embed_openapi.cmake), so the binary serves it without the
// repository. GET /api/v1/openapi.json answers it (net/openapi_routes).
#pragma once

#include <string_view>

namespace parley::net {

std::string_view openapi_document();

}  // namespace parley::net
