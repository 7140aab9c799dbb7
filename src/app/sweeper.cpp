#include "app/sweeper.hpp"

#include "app/agent_status.hpp"
#include "store/store.hpp"

namespace parley::app {

int Sweeper::tick() {
  auto now = clock_();
  int handled = 0;
  for (const auto& pending : store_.due_offers(now, kBatch)) {
    chats_.expire_offer(pending);
    ++handled;
  }
  auto idle_since = now - store_.load_chat_policy().inactivity_timeout;
  for (auto id : store_.idle_conversations(idle_since, kBatch)) {
    chats_.end_if_idle(id, idle_since);
    ++handled;
  }
  auto changed = store_.claim_status_checks(
      now, [now](const core::Agent& a) { return status_of(a, now).until; });
  for (const auto& agent : changed) {
    agents_.publish_status(agent, /*schedule_next_check=*/false);
    ++handled;
  }
  return handled;
}

}  // namespace parley::app
