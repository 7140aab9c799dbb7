// ChatService::end_for_deactivation: the one use case of the chat life cycle that team
// management (app/team_service.cpp) starts.
#include "app/chat_service.hpp"
#include "store/store.hpp"

namespace parley::app {

void ChatService::end_for_deactivation(core::Id conversation_id) {
  auto t = store_.end_conversation(conversation_id, "agent_deactivated", clock_());
  if (!t) return;  // ended meanwhile (by the visitor, inactivity, ...)
  publish_event(t->conversation, t->event);
  publish_changed(t->conversation);
}

}  // namespace parley::app
