// The Store port, routing: a chat request routed and created in one transaction, the
// re-offer of a lapsed one, and the routing rules with their round-robin pointers.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/chat_policy.hpp"
#include "core/routing.hpp"
#include "core/validation.hpp"
#include "store/store_common.hpp"

namespace parley::store {

// An active agent as routing sees them: the whole record (schedule, toggle, limit) and how
// many chats (pending + active) they hold now.
struct AgentLoad {
  core::Agent agent;
  int open_chats = 0;
  bool online = false;  // some node's presence report for the agent is unexpired (now)
};

// Everything a routing decision needs, read inside the transaction that applies it.
struct RoutingSnapshot {
  std::span<const AgentLoad> agents;      // every active agent
  std::optional<Id> global_pointer;       // the global round-robin pointer
  std::span<const Id> already_offered;    // agents this request was offered to
  const core::RoutingRules& rules;        // with each team's pointer
  const core::VisitorFacts& visitor;
  std::optional<core::PriorRoute> prior;  // set for a re-offer
};

// Decides who gets a chat. Supplied by app/ (it computes effective availability and calls
// core::route) so the rules stay in core/. The store then moves the pointer of the stage
// that chose (global or the team's) in the same transaction.
using RoutingDecision = std::function<core::RouteChoice(const RoutingSnapshot& snapshot)>;

struct ChatRequest {
  Id visitor_id = 0;
  core::PreChatForm form;        // already validated
  std::string fallback_message;  // stored as the "chat.missed" event when nobody is eligible
  Millis accept_timeout = 100'000;  // the offer lapses this long after it is made
};

// What a request produced: the conversation (pending with an agent, or missed) and the
// events it appended (chat.requested, and chat.missed when nobody was eligible).
struct ChatRequestOutcome {
  core::Conversation conversation;
  std::vector<core::Message> events;
};

// The offer of a pending request lapsed: re-offer it, or give up.
struct Reoffer {
  Id conversation_id = 0;
  Id expected_agent = 0;      // the agent whose offer lapsed...
  Millis expected_expiry = 0; // ...at this time; anything else means someone acted first
  core::ChatPolicy policy;
};

struct ReofferOutcome {
  core::Conversation conversation;  // pending with the next agent, or missed ("no_answer")
  Id previous_agent = 0;
  std::vector<core::Message> events;  // chat.missed when the request gave up
};

class RoutingStore {
 public:
  virtual ~RoutingStore() = default;

  // --- conversations ---
  // One transaction: upsert the person by email (case-insensitive; given fields win,
  // absent ones keep their stored value), link the visitor, write a form_filled activity,
  // route (decide() over available agents with their open-chat counts and the stored
  // pointer), store the new pointer, create the conversation, append its events.
  // conflict when the visitor already has a pending or active conversation.
  virtual Result<ChatRequestOutcome> request_chat(const ChatRequest& request,
                                                  const RoutingDecision& decide, Millis now) = 0;
  // One transaction, only if the conversation is still pending with expected_agent and
  // expected_expiry (otherwise conflict): remembers that agent as offered, and either offers
  // it to decide()'s pick for another accept window, or — no pick, or max_offers reached —
  // marks it missed ("no_answer") with a chat.missed event carrying the fallback message.
  virtual Result<ReofferOutcome> reoffer(const Reoffer& request, const RoutingDecision& decide,
                                         Millis now) = 0;
  // Every active agent with their open chats and presence at `now`, as request_chat's
  // routing reads them (outside a transaction): whether anyone could take a chat now.
  virtual std::vector<AgentLoad> agent_loads_at(Millis now) = 0;
  // Routing rules (accounts, custom rules, teams, default team), with team pointers.
  virtual core::RoutingRules load_routing_rules() = 0;
  // Replaces every rule at once (already validated). Teams are matched by name, so a team
  // keeps its id and pointer across saves; rules and members are replaced. Custom rules and
  // the default team name teams by id of the *given* teams list order: team_id = index + 1
  // in `rules.teams` (the store maps them to stored ids). bad_request for unknown agents.
  virtual Status save_routing_rules(const core::RoutingRules& rules) = 0;
  // Adds or replaces account rules (CSV import); returns how many were written.
  virtual Result<int> upsert_account_rules(const std::vector<core::AccountRule>& rules) = 0;
};

}  // namespace parley::store
