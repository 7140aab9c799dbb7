// The REST routes of calendars and meetings (docs/api.md, "Meeting calendar and meetings"):
//   agent (cookie):  /api/v1/me/calendar[/busy[/refresh]], /api/v1/calendars[/{id}/slots],
//                    /api/v1/conversations/{id}/calendar-card,
//                    /api/v1/meetings[/{id}/cancel|reschedule|invite.ics]
//   visitor (token): /api/v1/visitor/calendars/{id}/slots,
//   /api/v1/visitor/meetings[/{id}/invite.ics] manage link:
//   /api/v1/meeting-links/{token}[/cancel|reschedule|invite.ics]
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

// `parts` is the whole path split ({"api", "v1", ...}). Each answers nullopt when the path
// is none of its routes.
std::optional<Response> handle_agent_calendar_api(Services& s, const Request& req,
                                                  const core::Agent& caller,
                                                  std::span<const std::string_view> parts);
std::optional<Response> handle_visitor_calendar_api(Services& s, const Request& req,
                                                    core::Id visitor_id,
                                                    std::span<const std::string_view> parts);
Response handle_meeting_link_api(Services& s, const Request& req,
                                 std::span<const std::string_view> parts);

}  // namespace parley::net
