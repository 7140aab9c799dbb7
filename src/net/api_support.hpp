// What every REST handler shares: path segments, ids and integers from the URL, JSON
// replies. (The method check is the route table's: net/route_table.hpp.)
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "net/http_util.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

// "/api/v1/conversations/7" -> {"api", "v1", "conversations", "7"}.
std::vector<std::string_view> segments(std::string_view path);
// A positive decimal id, nothing else.
std::optional<core::Id> parse_id(std::string_view s);
std::optional<std::int64_t> parse_int(std::string_view s);

Response ok_json(const Request& req, json::object body, http::status st = http::status::ok);

// A file to download (a transcript, an invitation): `content_type`, Content-Disposition
// attachment with `filename`, never cached.
Response attachment_response(const Request& req, std::string_view content_type,
                             const std::string& filename, std::string body);

}  // namespace parley::net
