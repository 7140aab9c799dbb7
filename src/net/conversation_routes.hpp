// The REST routes of conversations (docs/api.md, "Agent endpoints" and "Visitor endpoints"),
// the same chats seen by their two sides:
//   agent:   GET  /api/v1/conversations[/{id}[/events|/transcript]]
//            POST /api/v1/conversations/{id}/accept|messages|read|end
//   visitor: POST /api/v1/visitor/chats, GET /api/v1/visitor/chats/current,
//            GET  /api/v1/visitor/chats/{id}/events, POST .../messages|read|end
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_conversation_routes(RouteTable& table);

}  // namespace parley::net
