#include "store/sqlite/routing_rules_sql.hpp"

#include "core/validation.hpp"

namespace parley::store::sqlite {

namespace {

// Conditions as stored: fields separated by \x1f, conditions by \x1e (never typed by hand).
std::string encode_conditions(const std::vector<core::Condition>& conditions) {
  std::string out;
  for (const auto& c : conditions) {
    if (!out.empty()) out += '\x1e';
    out += c.attribute + '\x1f' + core::to_string(c.op) + '\x1f' + c.value;
  }
  return out;
}

std::vector<core::Condition> decode_conditions(std::string_view text) {
  std::vector<core::Condition> out;
  while (!text.empty()) {
    auto end = text.find('\x1e');
    std::string_view item = text.substr(0, end);
    auto f1 = item.find('\x1f'), f2 = item.find('\x1f', f1 + 1);
    if (f1 != std::string_view::npos && f2 != std::string_view::npos) {
      auto op = core::condition_op_from_string(item.substr(f1 + 1, f2 - f1 - 1));
      if (op) out.push_back({std::string(item.substr(0, f1)), *op, std::string(item.substr(f2 + 1))});
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

bool agent_exists(Connection& conn, Id id) {
  auto s = conn.prepare("SELECT 1 FROM agents WHERE id = ?1");
  s.bind_all(id);
  return s.step();
}

}  // namespace

std::string team_scope(Id team_id) { return "team:" + std::to_string(team_id); }

std::optional<Id> load_pointer(Connection& conn, const std::string& scope) {
  auto s = conn.prepare("SELECT last_agent_id FROM routing_state WHERE scope = ?1");
  s.bind_all(scope);
  if (!s.step()) return std::nullopt;
  return s.opt_int64(0);
}

void store_pointer(Connection& conn, const std::string& scope, Id agent_id) {
  conn.prepare(
        "INSERT INTO routing_state (scope, last_agent_id) VALUES (?1, ?2) "
        "ON CONFLICT (scope) DO UPDATE SET last_agent_id = excluded.last_agent_id")
      .bind_all(scope, agent_id)
      .run();
}

void advance_pointer(Connection& conn, const core::RouteChoice& choice) {
  if (!choice.agent_id) return;
  if (choice.stage == core::RouteStage::global) store_pointer(conn, "global", *choice.agent_id);
  if (choice.stage == core::RouteStage::team && choice.team_id) {
    store_pointer(conn, team_scope(*choice.team_id), *choice.agent_id);
  }
}

core::RoutingRules load_rules(Connection& conn) {
  core::RoutingRules rules;
  {
    auto s = conn.prepare("SELECT id, kind, value, agent_id FROM account_rules ORDER BY id");
    while (s.step()) {
      rules.accounts.push_back({s.int64(0),
                                s.text(1) == "company" ? core::AccountRule::Kind::company
                                                       : core::AccountRule::Kind::domain,
                                s.text(2), s.int64(3)});
    }
  }
  {
    auto s = conn.prepare(
        "SELECT id, priority, conditions, agent_id, team_id FROM custom_rules ORDER BY priority, id");
    while (s.step()) {
      rules.custom.push_back({s.int64(0), static_cast<int>(s.int64(1)), decode_conditions(s.text(2)),
                              s.opt_int64(3), s.opt_int64(4)});
    }
  }
  {
    auto s = conn.prepare("SELECT id, name FROM teams ORDER BY id");
    while (s.step()) rules.teams.push_back({s.int64(0), s.text(1), {}, std::nullopt});
  }
  for (auto& team : rules.teams) {
    auto s = conn.prepare("SELECT agent_id FROM team_members WHERE team_id = ?1 ORDER BY agent_id");
    s.bind_all(team.id);
    while (s.step()) team.members.push_back(s.int64(0));
    team.last_assigned = load_pointer(conn, team_scope(team.id));
  }
  {
    auto s = conn.prepare("SELECT value FROM settings WHERE key = 'default_team_id'");
    if (s.step()) rules.default_team = std::stoll(s.text(0));
  }
  return rules;
}

core::Status save_rules(Connection& conn, const core::RoutingRules& rules) {
  // Teams by name: existing ones keep their id (and so their pointer).
  std::vector<Id> stored_ids;  // index i -> stored id of rules.teams[i]
  for (const auto& team : rules.teams) {
    auto s = conn.prepare(
        "INSERT INTO teams (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
        "RETURNING id");
    s.bind_all(team.name);
    s.step();
    Id id = s.int64(0);
    s.run();
    stored_ids.push_back(id);
    conn.prepare("DELETE FROM team_members WHERE team_id = ?1").bind_all(id).run();
    for (Id member : team.members) {
      if (!agent_exists(conn, member)) return core::bad_request("no agent with id " + std::to_string(member));
      conn.prepare("INSERT OR IGNORE INTO team_members (team_id, agent_id) VALUES (?1, ?2)")
          .bind_all(id, member)
          .run();
    }
  }
  auto stored_team = [&](std::optional<Id> ref) -> core::Result<std::optional<Id>> {
    if (!ref) return std::optional<Id>{};
    if (*ref < 1 || *ref > static_cast<Id>(stored_ids.size())) {
      return core::bad_request("a rule names a team that is not in the list");
    }
    return std::optional<Id>{stored_ids[*ref - 1]};
  };
  conn.exec("DELETE FROM custom_rules");
  for (const auto& rule : rules.custom) {
    if (rule.agent_id && !agent_exists(conn, *rule.agent_id)) {
      return core::bad_request("no agent with id " + std::to_string(*rule.agent_id));
    }
    auto team = stored_team(rule.team_id);
    if (!team) return team.error();
    conn.prepare(
          "INSERT INTO custom_rules (priority, conditions, agent_id, team_id) VALUES (?1, ?2, ?3, ?4)")
        .bind_all(rule.priority, encode_conditions(rule.conditions), rule.agent_id, *team)
        .run();
  }
  conn.exec("DELETE FROM account_rules");
  if (auto n = upsert_accounts(conn, rules.accounts); !n) return n.error();
  // Teams no longer listed go, with their members, rules and pointers.
  {
    std::string keep;
    for (Id id : stored_ids) keep += (keep.empty() ? "" : ",") + std::to_string(id);
    conn.exec(("DELETE FROM teams WHERE id NOT IN (" + keep + ")").c_str());
  }
  auto default_team = stored_team(rules.default_team);
  if (!default_team) return default_team.error();
  if (*default_team) {
    conn.prepare(
          "INSERT INTO settings (key, value) VALUES ('default_team_id', ?1) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind_all(std::to_string(**default_team))
        .run();
  } else {
    conn.exec("DELETE FROM settings WHERE key = 'default_team_id'");
  }
  return core::Ok{};
}

Result<int> upsert_accounts(Connection& conn, const std::vector<core::AccountRule>& rules) {
  int written = 0;
  for (const auto& r : rules) {
    if (!agent_exists(conn, r.agent_id)) return core::bad_request("no agent with id " + std::to_string(r.agent_id));
    conn.prepare(
          "INSERT INTO account_rules (kind, value, agent_id) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (kind, value) DO UPDATE SET agent_id = excluded.agent_id")
        .bind_all(r.kind == core::AccountRule::Kind::company ? "company" : "domain",
                  core::lowercase_ascii(core::trim(r.value)), r.agent_id)
        .run();
    ++written;
  }
  return written;
}

}  // namespace parley::store::sqlite
