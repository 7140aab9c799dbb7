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

#include <optional>
#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

std::optional<Response> handle_webhook_api(Services& services, const Request& req,
                                           const core::Agent& caller,
                                           std::span<const std::string_view> parts);

}  // namespace parley::net
