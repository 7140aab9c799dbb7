// The admin REST routes of the CRM side (docs/api.md, "People and activities"):
//   GET  /api/v1/admin/people?email=...   one person
//   PUT  /api/v1/admin/people             upsert by email
//   POST /api/v1/admin/people/import      CSV, all or nothing, every bad row reported
//   POST /api/v1/admin/activities         a custom activity for a visitor or an email
#pragma once

#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

// `rest` is the path after /api/v1/admin/ ({"people"}, {"people", "import"}, ...);
// nullopt when it names none of these routes.
std::optional<Response> handle_people_api(Services& services, const Request& req,
                                          const core::Agent& caller,
                                          std::span<const std::string_view> rest);

}  // namespace parley::net
