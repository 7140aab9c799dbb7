// The agent REST routes of missed chats and requests (docs/api.md, "Missed chats"):
//   POST /api/v1/conversations/{id}/pass-on           decline a request offered to you
//   POST /api/v1/conversations/{id}/followup/claim    take a missed chat for follow-up
//   POST /api/v1/conversations/{id}/followup/release  give it back
//   POST /api/v1/conversations/{id}/followup/done     mark it followed up
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_followup_routes(RouteTable& table);

}  // namespace parley::net
