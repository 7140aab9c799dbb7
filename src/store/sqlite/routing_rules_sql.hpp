// Routing rules and round-robin pointers in SQLite: teams and members, account rules,
// custom rules, the default team, and the pointer rows of routing_state ('global',
// 'team:<id>'). Helpers that run on a connection inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/routing.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace parley::store::sqlite {

core::RoutingRules load_rules(Connection& conn);
core::Status save_rules(Connection& conn, const core::RoutingRules& rules);
Result<int> upsert_accounts(Connection& conn, const std::vector<core::AccountRule>& rules);

std::optional<Id> load_pointer(Connection& conn, const std::string& scope);
void store_pointer(Connection& conn, const std::string& scope, Id agent_id);
std::string team_scope(Id team_id);
// Moves the pointer of the stage that chose (global round robin or the team's).
void advance_pointer(Connection& conn, const core::RouteChoice& choice);

}  // namespace parley::store::sqlite
