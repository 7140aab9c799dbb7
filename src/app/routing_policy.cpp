#include "app/routing_policy.hpp"

#include <algorithm>

#include "app/agent_status.hpp"
#include "core/routing.hpp"

namespace parley::app {

store::RoutingDecision route_at(core::Millis now) {
  return [now](std::span<const store::AgentLoad> agents, std::optional<core::Id> last,
               std::span<const core::Id> already_offered) {
    std::vector<core::RoutingCandidate> candidates;
    candidates.reserve(agents.size());
    for (const auto& load : agents) {
      const auto& a = load.agent;
      if (std::find(already_offered.begin(), already_offered.end(), a.id) != already_offered.end()) {
        continue;  // each agent is offered one request once
      }
      candidates.push_back({a.id, status_of(a, now).available, load.open_chats, a.max_chats});
    }
    return core::pick_round_robin(candidates, last);
  };
}

}  // namespace parley::app
