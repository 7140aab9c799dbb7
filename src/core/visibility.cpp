#include "core/visibility.hpp"

namespace parley::core {

Viewer viewer_of(const Agent& agent) { return Viewer{agent.id, agent.role == Role::admin}; }

bool can_view(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id) {
  if (viewer.view_all) return true;
  switch (status) {
    case ConversationStatus::ended:
    case ConversationStatus::missed: return true;
    case ConversationStatus::pending:
    case ConversationStatus::active: return agent_id && *agent_id == viewer.agent_id;
  }
  return false;
}

bool listed_in_inbox(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id,
                     bool active_only) {
  if (status == ConversationStatus::pending) return false;
  if (active_only && status != ConversationStatus::active) return false;
  return can_view(viewer, status, agent_id);
}

bool listed_in_inbox(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id,
                     StatusFilter filter) {
  if (filter == StatusFilter::missed && status != ConversationStatus::missed) return false;
  return listed_in_inbox(viewer, status, agent_id, filter == StatusFilter::active);
}

Activity visible_part(const Viewer& viewer, Activity activity, const Conversation& of) {
  if (!can_view(viewer, of)) {
    activity.conversation_id.reset();
    activity.detail.clear();
  }
  return activity;
}

bool can_act(const Viewer& viewer, const Conversation& c) {
  if (c.status != ConversationStatus::active) return false;
  return viewer.view_all || (c.agent_id && *c.agent_id == viewer.agent_id);
}

}  // namespace parley::core
