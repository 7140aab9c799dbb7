// ChatService, follow-up of missed chats: the rules of core/followup.hpp first (the clear
// error), then the store's conditional write (the real guard when two agents race).
#include "app/chat_service.hpp"
#include "core/followup.hpp"
#include "store/store.hpp"

namespace parley::app {

core::Result<core::ConversationSummary> ChatService::claim_followup(const core::Agent& agent,
                                                                   core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  if (!c) return core::not_found("no such conversation");
  auto held = store_.find_followup(conversation_id);
  if (auto ok = core::may_claim_followup(core::viewer_of(agent), *c, held); !ok) return ok.error();
  auto t = store_.claim_followup(conversation_id, agent.id, clock_());
  if (!t) {
    // Someone claimed it between the read and the write: say who.
    if (auto now_held = store_.find_followup(conversation_id)) {
      return core::conflict("already claimed by " + now_held->agent_name);
    }
    return t.error();
  }
  publish_event(t->conversation, t->event);
  return publish_changed(t->conversation);
}

core::Result<core::ConversationSummary> ChatService::release_followup(const core::Agent& agent,
                                                                     core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  if (!c) return core::not_found("no such conversation");
  auto held = store_.find_followup(conversation_id);
  if (auto ok = core::may_change_followup(core::viewer_of(agent), *c, held); !ok) return ok.error();
  auto t = store_.release_followup(conversation_id, held->agent_id, agent.id, clock_());
  if (!t) return t.error();
  publish_event(t->conversation, t->event);
  return publish_changed(t->conversation);
}

core::Result<core::ConversationSummary> ChatService::finish_followup(const core::Agent& agent,
                                                                    core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  if (!c) return core::not_found("no such conversation");
  auto held = store_.find_followup(conversation_id);
  if (auto ok = core::may_change_followup(core::viewer_of(agent), *c, held); !ok) return ok.error();
  auto t = store_.finish_followup(conversation_id, held->agent_id, agent.id, clock_());
  if (!t) return t.error();
  publish_event(t->conversation, t->event);
  return publish_changed(t->conversation);
}

int ChatService::missed_count() { return store_.count_awaiting_followup(); }

}  // namespace parley::app
