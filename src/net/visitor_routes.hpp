// The visitor widget's first calls and its page reports (docs/api.md, "Visitor endpoints"):
//   GET  /api/v1/visitor/status       public: could anyone take a chat now?
//   POST /api/v1/visitor/session      public: a new visitor and their token
//   POST /api/v1/visitor/activities   a page view or a widget event (visitor token)
// Any site's page calls them (the dispatcher adds CORS); the chats themselves are in
// net/conversation_routes.
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_visitor_routes(RouteTable& table);

}  // namespace parley::net
