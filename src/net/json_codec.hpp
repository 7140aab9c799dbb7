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
#include "store/store.hpp"

namespace parley::net {

namespace json = boost::json;

json::object to_json(const core::Agent& a, const core::EffectiveStatus& status);
json::object to_json(const core::EffectiveStatus& status);
json::object to_json(const core::AgentSettings& s);
json::object to_json(const core::ChatPolicy& p);
// Reads the fields present in `o` over `base` (omitted fields keep their value).
core::Result<core::AgentSettings> agent_settings_from_json(const json::object& o,
                                                           core::AgentSettings base);
core::Result<core::ChatPolicy> chat_policy_from_json(const json::object& o, core::ChatPolicy base);
// Routing rules on the wire: teams by name (rules and default_team refer to names).
json::object to_json(const core::RoutingRules& rules);
// Teams come back with team_id = position + 1, as Store::save_routing_rules expects.
core::Result<core::RoutingRules> routing_rules_from_json(const json::object& o);

// "HH:MM" <-> minutes from midnight; "24:00" is accepted (as an end).
std::string format_minutes(int minutes);
std::optional<int> parse_minutes(std::string_view hh_mm);
json::object to_json(const store::ConversationSummary& s);
json::object to_json(const core::Message& m);
json::object to_json(const store::VisitorProfile& v);
json::object to_json(const core::Activity& a);

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
