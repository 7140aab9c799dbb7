// The wire form of settings and admin objects (docs/api.md "Availability, settings and
// timeouts", "Routing rules", "Meeting calendar"): agent settings and meeting calendars with
// "HH:MM" blocks, the chat policy in seconds, routing rules with teams by name.
#pragma once

#include "net/json_codec.hpp"

namespace parley::net {

// Weekly blocks: [{weekday, start: "HH:MM", end: "HH:MM"}].
json::array to_json(const core::Schedule& schedule);
core::Result<core::Schedule> schedule_from_json(const json::value& v, std::string_view key);

json::object to_json(const core::AgentSettings& s);
// The meeting calendar, with its busy-time source and whether it is bookable.
json::object to_json(const core::CalendarSettings& s);
// Reads the fields present in `o` over `base`; bounds are checked by the use case.
core::Result<core::CalendarSettings> calendar_from_json(const json::object& o,
                                                         core::CalendarSettings base);
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

}  // namespace parley::net
