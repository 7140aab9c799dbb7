#include "app/presence.hpp"

#include <vector>

#include "store/store.hpp"

namespace parley::app {

void Presence::connected(core::Id agent_id) {
  {
    std::lock_guard lock(mutex_);
    if (sockets_[agent_id]++ > 0) return;  // already reported by this node
  }
  core::Id agents[] = {agent_id};
  try {
    store_.report_presence(node_id_, agents, clock_() + kExpiry);
  } catch (...) {
    disconnected(agent_id);  // not counted: the caller's socket fails with the exception
    throw;
  }
}

void Presence::disconnected(core::Id agent_id) {
  std::lock_guard lock(mutex_);
  auto it = sockets_.find(agent_id);
  if (it != sockets_.end() && --it->second <= 0) sockets_.erase(it);
}

void Presence::heartbeat() {
  std::vector<core::Id> agents;
  {
    std::lock_guard lock(mutex_);
    agents.reserve(sockets_.size());
    for (const auto& [agent_id, count] : sockets_) agents.push_back(agent_id);
  }
  if (!agents.empty()) store_.report_presence(node_id_, agents, clock_() + kExpiry);
}

}  // namespace parley::app
