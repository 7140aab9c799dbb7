#include "net/openapi_routes.hpp"

#include "net/openapi_document.hpp"

namespace parley::net {

namespace {

Response document(const RouteCall& c) {
  auto res = json_response(c.req, http::status::ok, std::string(openapi_document()));
  // The same bytes until the server is upgraded: a client or proxy may keep them a while.
  res.set(http::field::cache_control, "public, max-age=300");
  return res;
}

}  // namespace

void add_openapi_routes(RouteTable& t) {
  t.add(http::verb::get, "/api/v1/openapi.json", Access::anyone, document);
}

}  // namespace parley::net
