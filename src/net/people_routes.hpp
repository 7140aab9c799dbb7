// The admin REST routes of the CRM side (docs/api.md, "People and activities"):
//   GET  /api/v1/admin/people?email=...   one person
//   PUT  /api/v1/admin/people             upsert by email
//   POST /api/v1/admin/people/import      CSV, all or nothing, every bad row reported
//   POST /api/v1/admin/activities         a custom activity for a visitor or an email
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_people_routes(RouteTable& table);

}  // namespace parley::net
