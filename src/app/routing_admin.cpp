#include "app/routing_admin.hpp"

#include <algorithm>

#include "core/csv.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace {
core::Status require_admin(const core::Agent& a) {
  if (a.role != core::Role::admin) return core::forbidden("only admins manage routing");
  return core::Ok{};
}
}  // namespace

core::Result<core::RoutingRules> RoutingAdmin::rules(const core::Agent& admin) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  return store_.load_routing_rules();
}

core::Status RoutingAdmin::replace(const core::Agent& admin, const core::RoutingRules& rules) {
  if (auto ok = require_admin(admin); !ok) return ok;
  core::RoutingRules clean = rules;
  for (std::size_t i = 0; i < clean.custom.size(); ++i) {
    auto& rule = clean.custom[i];
    auto where = " (custom rule " + std::to_string(i + 1) + ")";
    for (auto& c : rule.conditions) c.value = core::trim(c.value);
    if (auto ok = core::validate_custom_rule(rule); !ok) return core::bad_request(ok.error().message + where);
  }
  std::vector<std::string> names;
  for (auto& team : clean.teams) {
    team.name = core::trim(team.name);
    if (team.name.empty() || team.name.size() > core::kMaxFieldBytes) {
      return core::bad_request("a team needs a name of 1 to 200 bytes");
    }
    auto key = core::lowercase_ascii(team.name);
    if (std::find(names.begin(), names.end(), key) != names.end()) {
      return core::bad_request("two teams are named " + team.name);
    }
    names.push_back(key);
  }
  for (auto& account : clean.accounts) {
    account.value = core::trim(account.value);
    if (account.value.empty()) return core::bad_request("an account rule needs a value");
  }
  return store_.save_routing_rules(clean);
}

core::Result<int> RoutingAdmin::import_accounts(const core::Agent& admin, std::string_view csv) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  auto rows = core::parse_csv(csv);
  if (!rows) return rows.error();
  std::vector<core::AccountRule> rules;
  for (const auto& [line, row] : *rows) {
    auto where = " (line " + std::to_string(line) + ")";
    if (line == 1 && !row.empty() && core::lowercase_ascii(core::trim(row[0])) == "kind") continue;
    if (row.size() != 3) return core::bad_request("expected kind,value,agent_email" + where);
    auto kind = core::lowercase_ascii(core::trim(row[0]));
    if (kind != "domain" && kind != "company") {
      return core::bad_request("kind must be domain or company" + where);
    }
    auto value = core::trim(row[1]);
    if (value.empty()) return core::bad_request("empty value" + where);
    auto agent = store_.find_agent_login(core::lowercase_ascii(core::trim(row[2])));
    if (!agent) return core::bad_request("no agent with email " + core::trim(row[2]) + where);
    rules.push_back({0,
                     kind == "domain" ? core::AccountRule::Kind::domain
                                      : core::AccountRule::Kind::company,
                     core::lowercase_ascii(value), agent->agent.id});
  }
  return store_.upsert_account_rules(rules);
}

}  // namespace parley::app
