#include "store/postgres/pg_routing_rules.hpp"

#include <map>

#include "core/validation.hpp"

namespace parley::store::postgres {

namespace {

// Conditions as stored: fields separated by \x1f, conditions by \x1e (never typed by hand).
// The same text as the SQLite adapter stores.
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
      if (op) {
        out.push_back({std::string(item.substr(0, f1)), *op, std::string(item.substr(f2 + 1))});
      }
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

bool agent_exists(PgConnection& db, Id id) {
  return !db.query("SELECT 1 FROM agents WHERE id = $1", id).empty();
}

core::Error no_agent(Id id) { return core::bad_request("no agent with id " + std::to_string(id)); }

// A bigint[] literal ("{1,2,3}") for `= ANY($n::bigint[])`.
std::string id_array(const std::vector<Id>& ids) {
  std::string out = "{";
  for (Id id : ids) out += (out.size() > 1 ? "," : "") + std::to_string(id);
  return out + "}";
}

}  // namespace

std::string team_scope(Id team_id) { return "team:" + std::to_string(team_id); }

std::optional<Id> lock_routing(PgConnection& db) {
  // The global row first, in every routing transaction: one fixed order, so the team rows
  // below can never be taken in two orders by two nodes (no deadlock).
  constexpr const char* kLockGlobal =
      "SELECT last_agent_id FROM routing_state WHERE scope = 'global' FOR UPDATE";
  std::optional<Id> global_pointer;
  if (auto r = db.query(kLockGlobal); !r.empty()) {
    global_pointer = r.opt_int64(0, 0);
  } else {
    // The first routing ever: a racing node's insert waits for ours (or ours for theirs),
    // and both then lock the one row.
    db.query("INSERT INTO routing_state (scope) VALUES ('global') ON CONFLICT DO NOTHING");
    global_pointer = db.query(kLockGlobal).opt_int64(0, 0);
  }
  db.query(
      "INSERT INTO routing_state (scope) SELECT 'team:' || t.id FROM teams t "
      "ON CONFLICT DO NOTHING");
  db.query("SELECT 1 FROM routing_state WHERE scope LIKE 'team:%' ORDER BY scope FOR UPDATE");
  return global_pointer;
}

std::optional<Id> load_pointer(PgConnection& db, const std::string& scope) {
  auto r = db.query("SELECT last_agent_id FROM routing_state WHERE scope = $1", scope);
  if (r.empty()) return std::nullopt;
  return r.opt_int64(0, 0);
}

void store_pointer(PgConnection& db, const std::string& scope, Id agent_id) {
  db.query(
      "INSERT INTO routing_state (scope, last_agent_id) VALUES ($1, $2) "
      "ON CONFLICT (scope) DO UPDATE SET last_agent_id = excluded.last_agent_id",
      scope, agent_id);
}

void advance_pointer(PgConnection& db, const core::RouteChoice& choice) {
  if (!choice.agent_id) return;
  if (choice.stage == core::RouteStage::global) store_pointer(db, "global", *choice.agent_id);
  if (choice.stage == core::RouteStage::team && choice.team_id) {
    store_pointer(db, team_scope(*choice.team_id), *choice.agent_id);
  }
}

core::RoutingRules load_rules(PgConnection& db) {
  // Read on every chat request, so one round trip per table rather than one per team.
  core::RoutingRules rules;
  {
    auto r = db.query("SELECT id, kind, value, agent_id FROM account_rules ORDER BY id");
    for (int i = 0; i < r.rows(); ++i) {
      rules.accounts.push_back({r.int64(i, 0),
                                r.text(i, 1) == "company" ? core::AccountRule::Kind::company
                                                          : core::AccountRule::Kind::domain,
                                r.text(i, 2), r.int64(i, 3)});
    }
  }
  {
    auto r = db.query(
        "SELECT id, priority, conditions, agent_id, team_id FROM custom_rules "
        "ORDER BY priority, id");
    for (int i = 0; i < r.rows(); ++i) {
      rules.custom.push_back({r.int64(i, 0), static_cast<int>(r.int64(i, 1)),
                              decode_conditions(r.text(i, 2)), r.opt_int64(i, 3),
                              r.opt_int64(i, 4)});
    }
  }
  std::map<Id, std::size_t> index;  // team id -> position in rules.teams
  {
    auto r = db.query(
        "SELECT t.id, t.name, s.last_agent_id FROM teams t "
        "LEFT JOIN routing_state s ON s.scope = 'team:' || t.id ORDER BY t.id");
    for (int i = 0; i < r.rows(); ++i) {
      index[r.int64(i, 0)] = rules.teams.size();
      rules.teams.push_back({r.int64(i, 0), r.text(i, 1), {}, r.opt_int64(i, 2)});
    }
  }
  {
    auto r = db.query("SELECT team_id, agent_id FROM team_members ORDER BY team_id, agent_id");
    for (int i = 0; i < r.rows(); ++i) {
      // Callers read in one snapshot, so every member's team was read above; skip rather
      // than crash if one is not.
      if (auto it = index.find(r.int64(i, 0)); it != index.end()) {
        rules.teams[it->second].members.push_back(r.int64(i, 1));
      }
    }
  }
  {
    auto r = db.query("SELECT value FROM settings WHERE key = 'default_team_id'");
    if (!r.empty()) rules.default_team = std::stoll(r.text(0, 0));
  }
  return rules;
}

core::Status save_rules(PgConnection& db, const core::RoutingRules& rules) {
  // Teams by name: existing ones keep their id (and so their pointer).
  std::vector<Id> stored_ids;  // index i -> stored id of rules.teams[i]
  for (const auto& team : rules.teams) {
    auto r = db.query(
        "INSERT INTO teams (name) VALUES ($1) "
        "ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        team.name);
    Id id = r.int64(0, 0);
    stored_ids.push_back(id);
    db.query("DELETE FROM team_members WHERE team_id = $1", id);
    for (Id member : team.members) {
      if (!agent_exists(db, member)) return no_agent(member);
      db.query(
          "INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          id, member);
    }
  }
  auto stored_team = [&](std::optional<Id> ref) -> core::Result<std::optional<Id>> {
    if (!ref) return std::optional<Id>{};
    if (*ref < 1 || *ref > static_cast<Id>(stored_ids.size())) {
      return core::bad_request("a rule names a team that is not in the list");
    }
    return std::optional<Id>{stored_ids[*ref - 1]};
  };
  db.query("DELETE FROM custom_rules");
  for (const auto& rule : rules.custom) {
    if (rule.agent_id && !agent_exists(db, *rule.agent_id)) return no_agent(*rule.agent_id);
    auto team = stored_team(rule.team_id);
    if (!team) return team.error();
    db.query(
        "INSERT INTO custom_rules (priority, conditions, agent_id, team_id) "
        "VALUES ($1, $2, $3, $4)",
        rule.priority, encode_conditions(rule.conditions), rule.agent_id, *team);
  }
  db.query("DELETE FROM account_rules");
  if (auto n = upsert_accounts(db, rules.accounts); !n) return n.error();
  // Teams no longer listed go, with their members and rules (ON DELETE CASCADE) and their
  // pointers.
  db.query("DELETE FROM teams WHERE NOT (id = ANY($1::bigint[]))", id_array(stored_ids));
  db.query(
      "DELETE FROM routing_state WHERE scope LIKE 'team:%' "
      "AND NOT EXISTS (SELECT 1 FROM teams t WHERE routing_state.scope = 'team:' || t.id)");
  auto default_team = stored_team(rules.default_team);
  if (!default_team) return default_team.error();
  if (*default_team) {
    db.query(
        "INSERT INTO settings (key, value) VALUES ('default_team_id', $1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        std::to_string(**default_team));
  } else {
    db.query("DELETE FROM settings WHERE key = 'default_team_id'");
  }
  return core::Ok{};
}

Result<int> upsert_accounts(PgConnection& db, const std::vector<core::AccountRule>& rules) {
  int written = 0;
  for (const auto& r : rules) {
    if (!agent_exists(db, r.agent_id)) return no_agent(r.agent_id);
    db.query(
        "INSERT INTO account_rules (kind, value, agent_id) VALUES ($1, $2, $3) "
        "ON CONFLICT (kind, value) DO UPDATE SET agent_id = excluded.agent_id",
        r.kind == core::AccountRule::Kind::company ? "company" : "domain",
        core::lowercase_ascii(core::trim(r.value)), r.agent_id);
    ++written;
  }
  return written;
}

}  // namespace parley::store::postgres
