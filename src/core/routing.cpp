#include "core/routing.hpp"

#include <algorithm>

#include "core/validation.hpp"

namespace parley::core {

bool is_eligible(const RoutingCandidate& c) {
  return c.takes_chats && c.available && c.online && c.open_chats < c.max_chats;
}

bool anyone_eligible(const std::vector<RoutingCandidate>& candidates) {
  for (const auto& c : candidates) {
    if (is_eligible(c)) return true;
  }
  return false;
}

std::optional<Id> pick_round_robin(std::span<const RoutingCandidate> candidates,
                                   std::optional<Id> last_assigned) {
  // Two candidates of interest: the smallest eligible id after the pointer, and the
  // smallest eligible id overall (the wrap-around). One pass, no sorting needed.
  std::optional<Id> after, lowest;
  for (const auto& c : candidates) {
    if (!is_eligible(c)) continue;
    if (!lowest || c.agent_id < *lowest) lowest = c.agent_id;
    if (last_assigned && c.agent_id > *last_assigned && (!after || c.agent_id < *after)) {
      after = c.agent_id;
    }
  }
  return after ? after : lowest;
}

const char* to_string(RouteStage s) {
  switch (s) {
    case RouteStage::account: return "account";
    case RouteStage::custom: return "custom";
    case RouteStage::team: return "team";
    case RouteStage::global: return "global";
  }
  return "global";
}

std::optional<RouteStage> route_stage_from_string(std::string_view s) {
  for (auto st : {RouteStage::account, RouteStage::custom, RouteStage::team, RouteStage::global}) {
    if (s == to_string(st)) return st;
  }
  return std::nullopt;
}

const char* to_string(Condition::Op op) {
  switch (op) {
    case Condition::Op::equals: return "equals";
    case Condition::Op::contains: return "contains";
    case Condition::Op::starts_with: return "starts_with";
    case Condition::Op::ends_with: return "ends_with";
  }
  return "equals";
}

Result<Condition::Op> condition_op_from_string(std::string_view s) {
  for (auto op : {Condition::Op::equals, Condition::Op::contains, Condition::Op::starts_with,
                  Condition::Op::ends_with}) {
    if (s == to_string(op)) return op;
  }
  return bad_request("unknown condition operator: " + std::string(s));
}

std::string email_domain(std::string_view email) {
  auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string() : lowercase_ascii(email.substr(at + 1));
}

namespace {

std::optional<std::string> attribute_of(const VisitorFacts& v, std::string_view name) {
  if (name == "email") return v.email;
  if (name == "domain") return email_domain(v.email);
  if (name == "name") return v.name;
  if (name == "company") return v.company;
  if (name == "job_title") return v.job_title;
  if (name == "phone") return v.phone;
  if (name == "page_url") return v.page_url;
  return std::nullopt;
}

constexpr std::string_view kAttributes[] = {"email", "domain", "name", "company",
                                            "job_title", "phone", "page_url"};

// The eligible candidate with this id, if any and not yet offered.
bool offerable(std::span<const RoutingCandidate> candidates, std::span<const Id> tried, Id id) {
  if (std::find(tried.begin(), tried.end(), id) != tried.end()) return false;
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](const RoutingCandidate& c) { return c.agent_id == id && is_eligible(c); });
}

// Round robin restricted to `members` and to agents not yet offered.
std::optional<Id> pick_among(std::span<const RoutingCandidate> candidates, std::span<const Id> tried,
                             const std::vector<Id>* members, std::optional<Id> pointer) {
  std::vector<RoutingCandidate> pool;
  for (const auto& c : candidates) {
    if (std::find(tried.begin(), tried.end(), c.agent_id) != tried.end()) continue;
    if (members && std::find(members->begin(), members->end(), c.agent_id) == members->end()) continue;
    pool.push_back(c);
  }
  return pick_round_robin(pool, pointer);
}

const Team* find_team(const RoutingRules& rules, std::optional<Id> id) {
  if (!id) return nullptr;
  for (const auto& t : rules.teams) {
    if (t.id == *id) return &t;
  }
  return nullptr;
}

}  // namespace

bool matches(const Condition& c, const VisitorFacts& v) {
  auto attr = attribute_of(v, c.attribute);
  if (!attr) return false;
  std::string have = lowercase_ascii(*attr), want = lowercase_ascii(c.value);
  switch (c.op) {
    case Condition::Op::equals: return have == want;
    case Condition::Op::contains: return have.find(want) != std::string::npos;
    case Condition::Op::starts_with: return have.rfind(want, 0) == 0;
    case Condition::Op::ends_with:
      return have.size() >= want.size() && have.compare(have.size() - want.size(), want.size(), want) == 0;
  }
  return false;
}

Status validate_custom_rule(const CustomRule& rule) {
  if (rule.priority < -1'000'000 || rule.priority > 1'000'000) {
    return bad_request("priority must be between -1000000 and 1000000");
  }
  if (rule.agent_id.has_value() == rule.team_id.has_value()) {
    return bad_request("a rule routes to exactly one agent or one team");
  }
  if (rule.conditions.empty()) return bad_request("a rule needs at least one condition");
  for (const auto& c : rule.conditions) {
    if (std::find(std::begin(kAttributes), std::end(kAttributes), c.attribute) == std::end(kAttributes)) {
      return bad_request("unknown attribute: " + c.attribute);
    }
    if (c.value.empty() || c.value.size() > kMaxFieldBytes) {
      return bad_request("a condition needs a value of 1 to 200 bytes");
    }
  }
  return Ok{};
}

RouteChoice route(const RoutingRules& rules, const VisitorFacts& visitor,
                  std::span<const RoutingCandidate> candidates, std::optional<Id> global_pointer,
                  std::span<const Id> tried, const std::optional<PriorRoute>& prior) {
  auto global = [&]() {
    return RouteChoice{pick_among(candidates, tried, nullptr, global_pointer), RouteStage::global, {}};
  };
  auto team_pick = [&](const Team& team) -> std::optional<RouteChoice> {
    if (auto id = pick_among(candidates, tried, &team.members, team.last_assigned)) {
      return RouteChoice{id, RouteStage::team, team.id};
    }
    return std::nullopt;
  };

  if (prior) {
    // A team request gets one more agent of its team, then the global pool.
    if (prior->stage == RouteStage::team && prior->team_offers < 2) {
      if (const Team* team = find_team(rules, prior->team_id)) {
        if (auto choice = team_pick(*team)) return *choice;
      }
    }
    return global();
  }

  std::string domain = email_domain(visitor.email);
  std::string company = visitor.company ? lowercase_ascii(*visitor.company) : std::string();
  for (const auto& rule : rules.accounts) {
    bool hit = rule.kind == AccountRule::Kind::domain ? (!domain.empty() && rule.value == domain)
                                                      : (!company.empty() && rule.value == company);
    if (hit && offerable(candidates, tried, rule.agent_id)) {
      return {rule.agent_id, RouteStage::account, {}};
    }
  }

  std::vector<const CustomRule*> ordered;
  for (const auto& r : rules.custom) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const CustomRule* a, const CustomRule* b) { return a->priority < b->priority; });
  for (const CustomRule* rule : ordered) {
    bool all = std::all_of(rule->conditions.begin(), rule->conditions.end(),
                           [&](const Condition& c) { return matches(c, visitor); });
    if (!all) continue;
    if (rule->agent_id && offerable(candidates, tried, *rule->agent_id)) {
      return {*rule->agent_id, RouteStage::custom, {}};
    }
    if (const Team* team = find_team(rules, rule->team_id)) {
      if (auto choice = team_pick(*team)) return *choice;
    }
  }

  if (const Team* team = find_team(rules, rules.default_team)) {
    if (auto choice = team_pick(*team)) return *choice;
  }
  return global();
}

}  // namespace parley::core
