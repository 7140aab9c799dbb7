#include "net/json_codec.hpp"

#include <cstdio>
#include <functional>

namespace parley::net {

namespace {
json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<core::Id>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
}  // namespace

json::object to_json(const core::EffectiveStatus& s) {
  return {{"available", s.available},
          {"source", s.source == core::StatusSource::override ? "override" : "schedule"},
          {"until", s.until ? json::value(*s.until) : json::value(nullptr)}};
}

json::object to_json(const core::Agent& a, const core::EffectiveStatus& status) {
  return {{"id", a.id},
          {"name", a.name},
          {"email", a.email},
          {"role", core::to_string(a.role)},
          {"available", status.available},
          {"status", to_json(status)},
          {"time_zone", a.time_zone},
          {"max_chats", a.max_chats},
          {"sound", a.sound}};
}

std::string format_minutes(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::optional<int> parse_minutes(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4])) return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

json::object to_json(const core::AgentSettings& s) {
  json::array blocks;
  for (const auto& b : s.schedule.blocks) {
    blocks.push_back(json::object{{"weekday", b.weekday},
                                  {"start", format_minutes(b.start_minute)},
                                  {"end", format_minutes(b.end_minute)}});
  }
  return {{"time_zone", s.time_zone},
          {"schedule", std::move(blocks)},
          {"max_chats", s.max_chats},
          {"sound", s.sound}};
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
  if (o.contains("schedule")) {
    const auto& v = o.at("schedule");
    if (!v.is_array()) return core::bad_request("schedule must be an array of blocks");
    base.schedule.blocks.clear();
    for (const auto& item : v.as_array()) {
      if (!item.is_object()) return core::bad_request("each block must be an object");
      const auto& b = item.as_object();
      auto weekday = required_int(b, "weekday");
      if (!weekday) return weekday.error();
      auto start = required_string(b, "start");
      if (!start) return start.error();
      auto end = required_string(b, "end");
      if (!end) return end.error();
      auto s = parse_minutes(*start), e = parse_minutes(*end);
      if (!s || !e || *s == 24 * 60) {
        return core::bad_request("block times must be HH:MM (an end may be 24:00)");
      }
      base.schedule.blocks.push_back({static_cast<int>(*weekday), *s, *e});
    }
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
          {"fallback_message", p.fallback_message}};
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
  if (o.contains("max_offers")) {
    auto v = required_int(o, "max_offers");
    if (!v) return v.error();
    if (*v < 0 || *v > 1000) return core::bad_request("max_offers is out of range");
    base.max_offers = static_cast<int>(*v);
  }
  if (o.contains("fallback_message")) {
    auto v = required_string(o, "fallback_message");
    if (!v) return v.error();
    base.fallback_message = *v;
  }
  return base;
}

json::object to_json(const store::ConversationSummary& s) {
  const auto& c = s.conversation;
  return {{"id", c.id},
          {"visitor_id", c.visitor_id},
          {"visitor_name", s.visitor_name},
          {"agent_id", opt(c.agent_id)},
          {"agent_name", opt(s.agent_name)},
          {"status", core::to_string(c.status)},
          {"last_seq", c.last_seq},
          {"page_url", c.page_url},
          {"created_at", c.created_at},
          {"last_activity_at", c.last_activity_at},
          {"accepted_at", opt(c.accepted_at)},
          {"ended_at", opt(c.ended_at)},
          {"end_reason", opt(c.end_reason)},
          {"offer_expires_at", c.offer_expires_at ? json::value(*c.offer_expires_at) : json::value(nullptr)},
          {"last_text", opt(s.last_text)}};
}

json::object to_json(const core::Message& m) {
  return {{"id", m.id},
          {"conversation_id", m.conversation_id},
          {"seq", m.seq},
          {"sender", core::to_string(m.sender)},
          {"agent_id", opt(m.agent_id)},
          {"kind", m.kind},
          {"body", m.body},
          {"client_id", opt(m.client_id)},
          {"created_at", m.created_at}};
}

json::object to_json(const store::VisitorProfile& v) {
  json::object o{{"id", v.visitor.id}};
  const core::Person* p = v.person ? &*v.person : nullptr;
  o["name"] = p ? opt(p->name) : nullptr;
  o["job_title"] = p ? opt(p->job_title) : nullptr;
  o["email"] = p && !p->email.empty() ? json::value(p->email) : json::value(nullptr);
  o["phone"] = p ? opt(p->phone) : nullptr;
  o["company"] = p ? opt(p->company) : nullptr;
  o["crm_status"] = p ? opt(p->crm_status) : nullptr;
  return o;
}

json::object to_json(const core::Activity& a) {
  return {{"id", a.id},
          {"type", a.type},
          {"detail", a.detail},
          {"conversation_id", opt(a.conversation_id)},
          {"at", a.at}};
}

std::string encode_frame(const bus::Payload& payload) {
  struct Visitor {
    json::object operator()(const bus::ConversationEvent& e) const {
      return {{"type", "event"},
              {"conversation_id", e.message.conversation_id},
              {"event", to_json(e.message)}};
    }
    json::object operator()(const bus::ConversationChanged& e) const {
      return {{"type", "conversation.updated"}, {"conversation", to_json(e.summary)}};
    }
    json::object operator()(const bus::ChatRequested& e) const {
      return {{"type", "chat.requested"},
              {"conversation", to_json(e.summary)},
              {"visitor", to_json(e.visitor)}};
    }
    json::object operator()(const bus::AgentStatusChanged& e) const {
      return {{"type", "agent.status"}, {"agent", to_json(e.agent, e.status)}};
    }
    json::object operator()(const bus::OfferWithdrawn& e) const {
      return {{"type", "offer.withdrawn"},
              {"conversation_id", e.conversation_id},
              {"reason", e.reason}};
    }
    json::object operator()(const bus::Typing& e) const {
      return {{"type", "typing"},
              {"conversation_id", e.conversation_id},
              {"sender", core::to_string(e.sender)}};
    }
  };
  return json::serialize(std::visit(Visitor{}, payload));
}

core::Result<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return core::bad_request("malformed JSON: " + ec.message());
  if (!v.is_object()) return core::bad_request("expected a JSON object");
  return std::move(v.as_object());
}

core::Result<std::string> required_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    return core::bad_request(std::string(key) + " is required");
  }
  if (!it->value().is_string()) return core::bad_request(std::string(key) + " must be a string");
  return std::string(it->value().as_string());
}

core::Result<std::optional<std::string>> optional_string(const json::object& o,
                                                         std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>{};
  if (!it->value().is_string()) return core::bad_request(std::string(key) + " must be a string");
  return std::optional<std::string>{std::string(it->value().as_string())};
}

core::Result<std::int64_t> required_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return core::bad_request(std::string(key) + " is required");
  const auto& v = it->value();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return core::bad_request(std::string(key) + " must be an integer");
}

core::Result<bool> required_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return core::bad_request(std::string(key) + " is required");
  if (!it->value().is_bool()) return core::bad_request(std::string(key) + " must be true or false");
  return it->value().as_bool();
}

std::string error_body(const core::Error& e) {
  return json::serialize(
      json::object{{"error", json::object{{"code", core::to_string(e.code)}, {"message", e.message}}}});
}

}  // namespace parley::net
