// The Store port, deadlines: the stored times at which something happens by itself (an
// offer lapses, a chat goes idle, an agent's status changes). Each is claimed or applied by a
// conditional update, so in a cluster exactly one node fires it.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "store/store_common.hpp"

namespace parley::store {

class DeadlineStore {
 public:
  virtual ~DeadlineStore() = default;

  // When the agent's effective status next changes by itself (nullopt: never).
  virtual void schedule_status_check(Id agent_id, std::optional<Millis> at) = 0;
  // Claims every agent whose status check is due (at or before `now`) and, in the same
  // transaction, sets each one's next check to next_check(agent): in a cluster each due
  // check is claimed by exactly one node.
  using NextCheck = std::function<std::optional<Millis>(const core::Agent&)>;
  virtual std::vector<core::Agent> claim_status_checks(Millis now, const NextCheck& next_check) = 0;
  // Pending requests whose offer lapsed at or before `now`, or whose agent is no longer
  // online (no unexpired presence report: their node died, or they closed the Inbox), by
  // offer expiry, oldest first.
  virtual std::vector<core::Conversation> due_offers(Millis now, int limit) = 0;
  // Active conversations without any event since `idle_since` (inclusive), oldest first.
  virtual std::vector<Id> idle_conversations(Millis idle_since, int limit) = 0;
  // Ends the conversation for inactivity, only if it is still active and idle since
  // `idle_since`; conflict otherwise (a message arrived, or it ended meanwhile).
  virtual Result<Transition> end_if_idle(Id conversation_id, Millis idle_since, Millis now) = 0;
};

}  // namespace parley::store
