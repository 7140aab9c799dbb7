// The REST routes of calendars and meetings (docs/api.md, "Meeting calendar and meetings"):
//   agent (cookie):  /api/v1/me/calendar[/busy[/refresh]], /api/v1/calendars[/{id}/slots],
//                    /api/v1/conversations/{id}/calendar-card,
//                    /api/v1/meetings[/{id}/cancel|reschedule|invite.ics]
//   visitor (token): /api/v1/visitor/calendars/{id}/slots,
//                    /api/v1/visitor/meetings[/{id}/invite.ics]
//   manage link:     /api/v1/meeting-links/{token}[/cancel|reschedule|invite.ics]
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_calendar_routes(RouteTable& table);

}  // namespace parley::net
