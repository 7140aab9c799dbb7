// Admin use cases of routing: read and replace the rules, import account rules from CSV.
// Admins only (forbidden otherwise).
#pragma once

#include <string_view>

#include "app/ports.hpp"
#include "core/result.hpp"
#include "core/routing.hpp"

namespace parley::app {

class RoutingAdmin {
 public:
  explicit RoutingAdmin(store::Store& store) : store_(store) {}

  core::Result<core::RoutingRules> rules(const core::Agent& admin);
  // `rules` names teams by their position in rules.teams (team_id = index + 1).
  core::Status replace(const core::Agent& admin, const core::RoutingRules& rules);
  // CSV columns: kind (domain|company), value, agent_email; a header row is allowed.
  // All or nothing: the first bad line is reported and nothing is written.
  core::Result<int> import_accounts(const core::Agent& admin, std::string_view csv);

 private:
  store::Store& store_;
};

}  // namespace parley::app
