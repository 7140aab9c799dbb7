#include "app/routing_policy.hpp"

#include "app/agent_status.hpp"
#include "core/routing.hpp"

namespace parley::app {

std::vector<core::RoutingCandidate> candidates_at(std::span<const store::AgentLoad> agents,
                                                  core::Millis now) {
  std::vector<core::RoutingCandidate> candidates;
  candidates.reserve(agents.size());
  for (const auto& load : agents) {
    const auto& a = load.agent;
    candidates.push_back({a.id, status_of(a, now).available, load.open_chats, a.max_chats,
                          a.takes_chats, load.online});
  }
  return candidates;
}

store::RoutingDecision route_at(core::Millis now) {
  return [now](const store::RoutingSnapshot& s) {
    auto candidates = candidates_at(s.agents, now);
    return core::route(s.rules, s.visitor, candidates, s.global_pointer, s.already_offered, s.prior);
  };
}

}  // namespace parley::app
