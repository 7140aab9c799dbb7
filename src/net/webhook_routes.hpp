// The REST routes of webhooks (docs/api.md, "Webhooks"), for admins (a session) and API
// tokens with webhooks:manage:
//   GET    /api/v1/admin/webhooks                         endpoints, and every event name
//   POST   /api/v1/admin/webhooks                         {url, events, active?} -> 201 endpoint
//   GET    /api/v1/admin/webhooks/{id}                    one endpoint
//   PUT    /api/v1/admin/webhooks/{id}                    {url, events, active} -> endpoint
//   DELETE /api/v1/admin/webhooks/{id}                    the endpoint and its deliveries
//   POST   /api/v1/admin/webhooks/{id}/rotate-secret      -> endpoint with a new secret
//   GET    /api/v1/admin/webhooks/{id}/deliveries         the newest 100, with their attempts
//   POST   /api/v1/admin/webhooks/{id}/deliveries/{d}/redeliver   send again from now
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_webhook_routes(RouteTable& table);

}  // namespace parley::net
