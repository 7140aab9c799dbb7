#include "net/json_settings.hpp"

#include <functional>

#include "core/address_policy.hpp"
#include "core/language.hpp"
#include "core/meetings.hpp"

namespace parley::net {

std::string format_minutes(int minutes) {
  auto two = [](int v) { return std::string{char('0' + v / 10 % 10), char('0' + v % 10)}; };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

std::optional<int> parse_minutes(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4])) return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

json::array to_json(const core::Schedule& schedule) {
  json::array blocks;
  for (const auto& b : schedule.blocks) {
    blocks.push_back(json::object{{"weekday", b.weekday},
                                  {"start", format_minutes(b.start_minute)},
                                  {"end", format_minutes(b.end_minute)}});
  }
  return blocks;
}

core::Result<core::Schedule> schedule_from_json(const json::value& v, std::string_view key) {
  if (!v.is_array()) return core::bad_request(std::string(key) + " must be an array of blocks");
  core::Schedule schedule;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) return core::bad_request("each block must be an object");
    const auto& b = item.as_object();
    auto weekday = required_int(b, "weekday");
    if (!weekday) return weekday.error();
    // Checked before the narrowing below, which would read 4294967297 as 1 (Monday).
    if (*weekday < 1 || *weekday > 7) {
      return core::bad_request("weekday must be 1 (Monday) to 7 (Sunday)");
    }
    auto start = required_string(b, "start");
    if (!start) return start.error();
    auto end = required_string(b, "end");
    if (!end) return end.error();
    auto s = parse_minutes(*start), e = parse_minutes(*end);
    if (!s || !e || *s == 24 * 60) {
      return core::bad_request("block times must be HH:MM (an end may be 24:00)");
    }
    schedule.blocks.push_back({static_cast<int>(*weekday), *s, *e});
  }
  return schedule;
}

json::object to_json(const core::AgentSettings& s) {
  return {{"time_zone", s.time_zone},
          {"schedule", to_json(s.schedule)},
          {"max_chats", s.max_chats},
          {"sound", s.sound},
          {"language", s.language}};
}

core::Result<core::AgentSettings> agent_settings_from_json(const json::object& o,
                                                           core::AgentSettings base) {
  if (o.contains("time_zone")) {
    auto tz = required_string(o, "time_zone");
    if (!tz) return tz.error();
    base.time_zone = *tz;
  }
  if (o.contains("max_chats")) {
    auto n = required_int(o, "max_chats");
    if (!n) return n.error();
    if (*n < 1 || *n > 1000) return core::bad_request("max_chats must be between 1 and 1000");
    base.max_chats = static_cast<int>(*n);
  }
  if (o.contains("sound")) {
    auto b = required_bool(o, "sound");
    if (!b) return b.error();
    base.sound = *b;
  }
  if (o.contains("language")) {
    auto lang = required_string(o, "language");
    if (!lang) return lang.error();
    if (!core::is_language_setting(*lang)) {
      return core::bad_request("language must be \"sv\", \"en\" or \"\" (the browser's)");
    }
    base.language = *lang;
  }
  if (o.contains("schedule")) {
    auto schedule = schedule_from_json(o.at("schedule"), "schedule");
    if (!schedule) return schedule.error();
    base.schedule = std::move(*schedule);
  }
  return base;
}

json::object to_json(const core::CalendarSettings& s) {
  const auto& c = s.calendar;
  return {{"time_zone", c.time_zone},
          {"blocks", to_json(c.blocks)},
          {"duration_minutes", c.duration_minutes},
          {"buffer_minutes", c.buffer_minutes},
          {"notice_minutes", c.notice_minutes},
          {"horizon_days", c.horizon_days},
          {"ics_url", s.ics_url ? json::value(*s.ics_url) : json::value(nullptr)},
          {"busy_count", s.busy_count},
          {"busy_updated_at", s.busy_updated_at ? json::value(*s.busy_updated_at) : json::value(nullptr)},
          {"bookable", core::is_bookable(c)}};
}

core::Result<core::CalendarSettings> calendar_from_json(const json::object& o,
                                                         core::CalendarSettings base) {
  auto& c = base.calendar;
  if (o.contains("time_zone")) {
    auto tz = required_string(o, "time_zone");
    if (!tz) return tz.error();
    c.time_zone = *tz;
  }
  if (o.contains("blocks")) {
    auto blocks = schedule_from_json(o.at("blocks"), "blocks");
    if (!blocks) return blocks.error();
    c.blocks = std::move(*blocks);
  }
  for (auto [key, field] : {std::pair{"duration_minutes", &c.duration_minutes},
                            {"buffer_minutes", &c.buffer_minutes},
                            {"notice_minutes", &c.notice_minutes},
                            {"horizon_days", &c.horizon_days}}) {
    if (!o.contains(key)) continue;
    auto v = required_int(o, key);
    if (!v) return v.error();
    if (*v < -1'000'000 || *v > 1'000'000) return core::bad_request(std::string(key) + " is out of range");
    *field = static_cast<int>(*v);
  }
  if (o.contains("ics_url")) {
    auto url = optional_string(o, "ics_url");
    if (!url) return url.error();
    base.ics_url = *url;
  }
  return base;
}

json::object to_json(const core::RoutingRules& rules) {
  auto team_name = [&](std::optional<core::Id> id) -> json::value {
    for (const auto& t : rules.teams) {
      if (id && t.id == *id) return json::value(t.name);
    }
    return nullptr;
  };
  json::array accounts, custom, teams;
  for (const auto& a : rules.accounts) {
    accounts.push_back(json::object{
        {"kind", a.kind == core::AccountRule::Kind::company ? "company" : "domain"},
        {"value", a.value},
        {"agent_id", a.agent_id}});
  }
  for (const auto& r : rules.custom) {
    json::array conditions;
    for (const auto& c : r.conditions) {
      conditions.push_back(
          json::object{{"attribute", c.attribute}, {"op", core::to_string(c.op)}, {"value", c.value}});
    }
    custom.push_back(json::object{{"priority", r.priority},
                                  {"conditions", std::move(conditions)},
                                  {"agent_id", r.agent_id ? json::value(*r.agent_id) : json::value(nullptr)},
                                  {"team", team_name(r.team_id)}});
  }
  for (const auto& t : rules.teams) {
    json::array members;
    for (auto m : t.members) members.push_back(m);
    teams.push_back(json::object{{"name", t.name}, {"members", std::move(members)}});
  }
  return {{"accounts", std::move(accounts)},
          {"custom", std::move(custom)},
          {"teams", std::move(teams)},
          {"default_team", team_name(rules.default_team)}};
}

core::Result<core::RoutingRules> routing_rules_from_json(const json::object& o) {
  core::RoutingRules rules;
  auto array_of = [&](std::string_view key) -> core::Result<const json::array*> {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return static_cast<const json::array*>(nullptr);
    if (!it->value().is_array()) return core::bad_request(std::string(key) + " must be an array");
    return &it->value().as_array();
  };
  auto objects = [](const json::array* a, std::string_view what,
                    const std::function<core::Status(const json::object&)>& f) -> core::Status {
    if (!a) return core::Ok{};
    for (const auto& v : *a) {
      if (!v.is_object()) return core::bad_request(std::string(what) + " entries must be objects");
      if (auto ok = f(v.as_object()); !ok) return ok;
    }
    return core::Ok{};
  };
  auto teams = array_of("teams");
  if (!teams) return teams.error();
  auto ok = objects(*teams, "teams", [&](const json::object& t) -> core::Status {
    auto name = required_string(t, "name");
    if (!name) return name.error();
    core::Team team{static_cast<core::Id>(rules.teams.size() + 1), *name, {}, {}};
    if (auto it = t.find("members"); it != t.end()) {
      if (!it->value().is_array()) return core::bad_request("members must be an array of agent ids");
      for (const auto& m : it->value().as_array()) {
        if (!m.is_int64()) return core::bad_request("members must be an array of agent ids");
        team.members.push_back(m.as_int64());
      }
    }
    rules.teams.push_back(std::move(team));
    return core::Ok{};
  });
  if (!ok) return ok.error();
  auto team_ref = [&](const json::object& obj, std::string_view key) -> core::Result<std::optional<core::Id>> {
    auto name = optional_string(obj, key);
    if (!name) return name.error();
    if (!*name) return std::optional<core::Id>{};
    for (const auto& t : rules.teams) {
      if (t.name == **name) return std::optional<core::Id>{t.id};
    }
    return core::bad_request("no team named " + **name);
  };
  auto accounts = array_of("accounts");
  if (!accounts) return accounts.error();
  ok = objects(*accounts, "accounts", [&](const json::object& a) -> core::Status {
    auto kind = required_string(a, "kind");
    if (!kind) return kind.error();
    if (*kind != "domain" && *kind != "company") return core::bad_request("kind must be domain or company");
    auto value = required_string(a, "value");
    if (!value) return value.error();
    auto agent = required_int(a, "agent_id");
    if (!agent) return agent.error();
    rules.accounts.push_back({0, *kind == "company" ? core::AccountRule::Kind::company
                                                    : core::AccountRule::Kind::domain,
                              *value, *agent});
    return core::Ok{};
  });
  if (!ok) return ok.error();
  auto custom = array_of("custom");
  if (!custom) return custom.error();
  ok = objects(*custom, "custom", [&](const json::object& r) -> core::Status {
    core::CustomRule rule;
    auto priority = required_int(r, "priority");
    if (!priority) return priority.error();
    if (*priority < -1'000'000 || *priority > 1'000'000) {
      return core::bad_request("priority must be between -1000000 and 1000000");
    }
    rule.priority = static_cast<int>(*priority);
    if (auto it = r.find("agent_id"); it != r.end() && !it->value().is_null()) {
      auto agent = required_int(r, "agent_id");
      if (!agent) return agent.error();
      rule.agent_id = *agent;
    }
    auto team = team_ref(r, "team");
    if (!team) return team.error();
    rule.team_id = *team;
    auto it = r.find("conditions");
    if (it == r.end() || !it->value().is_array()) return core::bad_request("conditions must be an array");
    for (const auto& cv : it->value().as_array()) {
      if (!cv.is_object()) return core::bad_request("conditions must be objects");
      const auto& c = cv.as_object();
      auto attribute = required_string(c, "attribute");
      if (!attribute) return attribute.error();
      auto op_name = required_string(c, "op");
      if (!op_name) return op_name.error();
      auto op = core::condition_op_from_string(*op_name);
      if (!op) return op.error();
      auto value = required_string(c, "value");
      if (!value) return value.error();
      rule.conditions.push_back({*attribute, *op, *value});
    }
    rules.custom.push_back(std::move(rule));
    return core::Ok{};
  });
  if (!ok) return ok.error();
  auto default_team = team_ref(o, "default_team");
  if (!default_team) return default_team.error();
  rules.default_team = *default_team;
  return rules;
}

json::object to_json(const core::ChatPolicy& p) {
  return {{"accept_timeout_seconds", p.accept_timeout / 1000},
          {"inactivity_timeout_seconds", p.inactivity_timeout / 1000},
          {"max_offers", p.max_offers},
          {"history_days", p.history_days},
          {"fallback_message", p.fallback_message},
          {"fetch_allowed_hosts", json::array(p.fetch_allowed_hosts.begin(),
                                              p.fetch_allowed_hosts.end())},
          {"visitor_day_start", format_minutes(p.visitor_day_start)},
          {"visitor_day_end", format_minutes(p.visitor_day_end)}};
}

core::Result<core::ChatPolicy> chat_policy_from_json(const json::object& o, core::ChatPolicy base) {
  for (auto [key, field] : {std::pair{"accept_timeout_seconds", &base.accept_timeout},
                            {"inactivity_timeout_seconds", &base.inactivity_timeout}}) {
    if (!o.contains(key)) continue;
    auto v = required_int(o, key);
    if (!v) return v.error();
    if (*v < 0 || *v > 10'000'000) return core::bad_request(std::string(key) + " is out of range");
    *field = *v * 1000;
  }
  for (auto [key, field] : {std::pair{"max_offers", &base.max_offers},
                            {"history_days", &base.history_days}}) {
    if (!o.contains(key)) continue;
    auto v = required_int(o, key);
    if (!v) return v.error();
    if (*v < 0 || *v > 1'000'000) return core::bad_request(std::string(key) + " is out of range");
    *field = static_cast<int>(*v);
  }
  for (auto [key, field] : {std::pair{"visitor_day_start", &base.visitor_day_start},
                            {"visitor_day_end", &base.visitor_day_end}}) {
    if (!o.contains(key)) continue;
    auto v = required_string(o, key);
    if (!v) return v.error();
    auto minutes = parse_minutes(*v);
    if (!minutes) return core::bad_request(std::string(key) + " must be HH:MM (00:00 to 24:00)");
    *field = *minutes;
  }
  if (o.contains("fallback_message")) {
    auto v = required_string(o, "fallback_message");
    if (!v) return v.error();
    base.fallback_message = *v;
  }
  if (o.contains("fetch_allowed_hosts")) {
    const auto& v = o.at("fetch_allowed_hosts");
    if (!v.is_array()) {
      return core::bad_request("fetch_allowed_hosts must be an array of host names");
    }
    base.fetch_allowed_hosts.clear();
    for (const auto& item : v.as_array()) {
      auto name = item.is_string() ? core::normalize_host_name(item.as_string()) : std::nullopt;
      if (!name) {
        return core::bad_request(
            "fetch_allowed_hosts: each entry must be a host name (no address, port or scheme)");
      }
      base.fetch_allowed_hosts.push_back(std::move(*name));
    }
  }
  return base;
}

}  // namespace parley::net
