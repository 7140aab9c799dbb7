// The wire form of the domain (docs/api.md "Objects"), and small readers for request
// bodies that turn type mistakes into clear bad_request errors.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "app/inbox_queries.hpp"
#include "bus/event.hpp"
#include "core/availability.hpp"
#include "core/chat_policy.hpp"
#include "core/result.hpp"
#include "core/routing.hpp"
#include "core/types.hpp"
#include "core/records.hpp"

namespace parley::net {

namespace json = boost::json;

json::object to_json(const core::Agent& a, const core::EffectiveStatus& status);
json::object to_json(const core::EffectiveStatus& status);

json::object to_json(const core::ConversationSummary& s);
json::object to_json(const core::Message& m);
json::object to_json(const core::VisitorProfile& v);
json::object to_json(const core::Activity& a);
// A person of the address book (docs/api.md "People"); unknown fields are null.
json::object to_json(const core::Person& p);
// A meeting as the API shows it; `passed` is judged at `now` (default: the system clock).
json::object meeting_json(const core::Meeting& m, const std::string& agent_name,
                          const std::string& time_zone,
                          const std::optional<std::string>& booker_name,
                          std::optional<core::Millis> now = {});

// The WebSocket frame for a bus event.
std::string encode_frame(const bus::Payload& payload);

// Parses a JSON object body; bad_request (with the parser's reason) otherwise.
core::Result<json::object> parse_object(std::string_view text);

// Field readers: absent -> nullopt (or error when required); wrong type -> bad_request.
core::Result<std::string> required_string(const json::object& o, std::string_view key);
core::Result<std::optional<std::string>> optional_string(const json::object& o,
                                                         std::string_view key);
core::Result<std::int64_t> required_int(const json::object& o, std::string_view key);
core::Result<bool> required_bool(const json::object& o, std::string_view key);

std::string error_body(const core::Error& e);

}  // namespace parley::net
