// Routing rules and round-robin pointers in PostgreSQL: teams and members, account rules,
// custom rules, the default team, and the pointer rows of routing_state ('global',
// 'team:<id>'). Helpers that run on the caller's connection, inside the caller's
// transaction. The PostgreSQL twin of store/sqlite/routing_rules_sql.hpp, plus the row locks
// that make routing safe when several nodes share the database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/routing.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace parley::store::postgres {

core::RoutingRules load_rules(PgConnection& db);
// Replaces every rule (see RoutingStore::save_routing_rules). Call with the routing lock held
// (lock_routing), so no routing decision reads the rules half-replaced.
core::Status save_rules(PgConnection& db, const core::RoutingRules& rules);
Result<int> upsert_accounts(PgConnection& db, const std::vector<core::AccountRule>& rules);

// Routing reads the agents' loads and a pointer, decides, then writes the offer and moves
// the pointer; two nodes doing that at once could both fill an agent's last slot or both
// move a pointer from the same value. So every routing transaction first locks the 'global'
// pointer row (created if missing), which makes them queue one behind the other across
// nodes, and then every team's pointer row, the others it may move. Returns the global
// pointer as locked; everything read after this call (loads, rules, team pointers) is the
// newest committed state, as READ COMMITTED takes a fresh snapshot per statement.
std::optional<Id> lock_routing(PgConnection& db);

std::optional<Id> load_pointer(PgConnection& db, const std::string& scope);
void store_pointer(PgConnection& db, const std::string& scope, Id agent_id);
std::string team_scope(Id team_id);
// Moves the pointer of the stage that chose (global round robin or the team's).
void advance_pointer(PgConnection& db, const core::RouteChoice& choice);

}  // namespace parley::store::postgres
