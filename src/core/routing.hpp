// Who gets a chat (SPEC §3.2), in this order: account rules (the visitor's email domain
// or company mapped to an agent), custom rules (conditions on visitor attributes, by
// priority, to an agent or a team), the default team's round robin, then the global
// round robin. Only effectively available agents under their chat limit who have the Inbox
// open (a live connection on some node: nobody else could be told of the request) are
// eligible, and a request is never offered twice to the same agent.
//
// Re-offers after a lapsed offer (SPEC §3.4): a request routed to a team gets one more
// agent of that team, then goes to the global pool.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

struct RoutingCandidate {
  Id agent_id = 0;
  bool available = false;  // effectively available now (schedule ⊕ toggle)
  int open_chats = 0;      // pending + active conversations assigned to the agent
  int max_chats = 10;
  bool takes_chats = true;  // false for Calendar Agents: never offered a chat
  bool online = false;      // has the Inbox open on some node (app/presence)
};

// An agent may be offered a chat only when they take chats, are available, are online and
// are under their limit.
bool is_eligible(const RoutingCandidate& c);
// Whether any agent could be offered a chat now (the widget's "agents_available"): the
// same eligibility as routing, so the widget never promises what routing cannot keep.
bool anyone_eligible(const std::vector<RoutingCandidate>& candidates);

// Sequential round robin: the first eligible agent whose id comes after `last_assigned`
// in ascending id order, wrapping around (after 3 of 5 comes 4, then 5, then 1).
// `candidates` may be in any order. Returns nullopt when nobody is eligible.
std::optional<Id> pick_round_robin(std::span<const RoutingCandidate> candidates,
                                   std::optional<Id> last_assigned);

// --- rules ---

// What routing knows of the visitor (from the pre-chat form / the person record).
struct VisitorFacts {
  std::string email;  // lower-cased
  std::optional<std::string> name, company, job_title, phone;
  std::string page_url;
};

struct AccountRule {
  enum class Kind { domain, company };
  Id id = 0;
  Kind kind = Kind::domain;
  std::string value;  // lower-cased: "acme.com" or "acme inc"
  Id agent_id = 0;
};

struct Condition {
  enum class Op { equals, contains, starts_with, ends_with };
  std::string attribute;  // email, domain, name, company, job_title, phone, page_url
  Op op = Op::equals;
  std::string value;      // compared case-insensitively
};

struct CustomRule {
  Id id = 0;
  int priority = 0;                 // lower runs first
  std::vector<Condition> conditions;  // all must hold
  std::optional<Id> agent_id;       // exactly one of agent_id / team_id
  std::optional<Id> team_id;
};

struct Team {
  Id id = 0;
  std::string name;
  std::vector<Id> members;
  std::optional<Id> last_assigned;  // the team's round-robin pointer
};

struct RoutingRules {
  std::vector<AccountRule> accounts;
  std::vector<CustomRule> custom;
  std::vector<Team> teams;
  std::optional<Id> default_team;  // used when no rule matched, before the global pool
};

enum class RouteStage { account, custom, team, global };
const char* to_string(RouteStage s);
std::optional<RouteStage> route_stage_from_string(std::string_view s);

struct RouteChoice {
  std::optional<Id> agent_id;  // nullopt: nobody eligible (fallback)
  RouteStage stage = RouteStage::global;
  std::optional<Id> team_id{};  // set when stage == team (its pointer moves)
};

// What a lapsed offer carries into the next decision.
struct PriorRoute {
  RouteStage stage = RouteStage::global;
  std::optional<Id> team_id;
  int team_offers = 0;  // offers already made within that team
};

// The whole decision. `candidates` are every active agent with their eligibility inputs;
// `already_offered` are skipped. `prior` is set for re-offers.
RouteChoice route(const RoutingRules& rules, const VisitorFacts& visitor,
                  std::span<const RoutingCandidate> candidates, std::optional<Id> global_pointer,
                  std::span<const Id> already_offered, const std::optional<PriorRoute>& prior);

bool matches(const Condition& c, const VisitorFacts& v);
std::string email_domain(std::string_view email);

// A condition attribute and operator by name; bad_request for unknown ones.
Result<Condition::Op> condition_op_from_string(std::string_view s);
const char* to_string(Condition::Op op);
Status validate_custom_rule(const CustomRule& rule);

}  // namespace parley::core
