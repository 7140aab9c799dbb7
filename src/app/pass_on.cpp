// ChatService::pass_on: the offered agent declines a request and it moves on at once.
#include "app/chat_service.hpp"
#include "app/routing_policy.hpp"
#include "store/store.hpp"

namespace parley::app {

core::Status ChatService::pass_on(const core::Agent& agent, core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  // Only the agent it is offered to: for anyone else it is not theirs to see or to move.
  if (!c || c->status != core::ConversationStatus::pending || c->agent_id != agent.id ||
      !c->offer_expires_at) {
    return core::not_found("no request is waiting for you there");
  }
  auto now = clock_();
  // The re-offer a lapsed offer takes, named with this offer's expiry: if the request was
  // accepted, withdrawn or moved on meanwhile, the store changes nothing (conflict).
  auto outcome = store_.reoffer(
      store::Reoffer{c->id, agent.id, *c->offer_expires_at, store_.load_chat_policy()},
      route_at(now), now);
  if (!outcome) return core::not_found("no request is waiting for you there");
  const auto& moved = outcome->conversation;
  publish_withdrawn(moved, agent.id, "declined");
  for (const auto& m : outcome->events) publish_event(moved, m);
  publish_changed(moved);
  if (moved.status == core::ConversationStatus::missed && on_missed_) on_missed_(moved);
  return core::Ok{};
}

}  // namespace parley::app
