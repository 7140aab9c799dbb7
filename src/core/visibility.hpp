// The Inbox visibility rule (SPEC §2), the one place it is written down. Every read path
// on the server (list, open, messages, transcript, search, live events) asks this.
#pragma once

#include <optional>

#include "core/records.hpp"
#include "core/types.hpp"

namespace parley::core {

struct Viewer {
  Id agent_id = 0;
  bool view_all = false;  // the "View All Conversations" permission (admins)
};

Viewer viewer_of(const Agent& agent);

// An agent sees their own active conversation and every ended one; the request offered to
// them (pending) is visible to them alone so they can accept it. A missed request is an
// ended chat (nobody took it): every agent sees it, so anyone can follow it up. Other
// agents' pending or active chats are invisible. view_all sees everything.
bool can_view(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id);
inline bool can_view(const Viewer& viewer, const Conversation& c) {
  return can_view(viewer, c.status, c.agent_id);
}

// Whether a conversation is a row of the Inbox list. A pending request is announced by
// the request banner, not listed: an unaccepted request never shows as a live chat
// (SPEC §3.4). `active_only` is the list's Active filter.
bool listed_in_inbox(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id,
                     bool active_only);
// The same with the list's filter: Active, All, or Missed (only missed chats).
bool listed_in_inbox(const Viewer& viewer, ConversationStatus status, std::optional<Id> agent_id,
                     StatusFilter filter);

// What a viewer sees of one activity of a visitor's history tied to conversation `of`: all of
// it when they may view that conversation; otherwise (another agent's live chat) only its
// type and time, without the conversation link and without its detail (the snippet, the
// agent's name): the history may show that a chat happened, never open or quote it.
Activity visible_part(const Viewer& viewer, Activity activity, const Conversation& of);

// Only the assigned agent (or an admin) may act on a live chat: send, end.
bool can_act(const Viewer& viewer, const Conversation& c);

// A visitor token opens only that visitor's own conversations.
inline bool visitor_owns(Id visitor_id, const Conversation& c) { return c.visitor_id == visitor_id; }

}  // namespace parley::core
