// The agent REST routes of missed chats and requests (docs/api.md, "Missed chats"):
//   POST /api/v1/conversations/{id}/pass-on           decline a request offered to you
//   POST /api/v1/conversations/{id}/followup/claim    take a missed chat for follow-up
//   POST /api/v1/conversations/{id}/followup/release  give it back
//   POST /api/v1/conversations/{id}/followup/done     mark it followed up
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "net/http_util.hpp"
#include "net/services.hpp"

namespace parley::net {

// `parts` is the whole path split ({"api", "v1", "conversations", ...}); nullopt when it
// names none of these routes.
std::optional<Response> handle_followup_api(Services& services, const Request& req,
                                            const core::Agent& caller,
                                            std::span<const std::string_view> parts);

}  // namespace parley::net
