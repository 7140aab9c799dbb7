// Who is calling: an agent or a visitor, as established by net/ from a session cookie or a
// visitor token (never from a request body), and the rules that ask who it is: reading a
// conversation and sending into it.
#pragma once

#include "core/result.hpp"
#include "core/types.hpp"
#include "core/visibility.hpp"

namespace parley::core {

struct Actor {
  SenderKind kind = SenderKind::visitor;  // agent or visitor
  Id id = 0;                              // agent id or visitor id
  Viewer viewer;                          // meaningful for agents

  static Actor of_agent(const Agent& a) { return {SenderKind::agent, a.id, viewer_of(a)}; }
  static Actor of_visitor(Id visitor_id) { return {SenderKind::visitor, visitor_id, {}}; }
  bool is_agent() const { return kind == SenderKind::agent; }
};

// May this actor read the conversation? (Agents: the visibility rule; visitors: their own.)
inline bool can_read(const Actor& actor, const Conversation& c) {
  return actor.is_agent() ? can_view(actor.viewer, c) : visitor_owns(actor.id, c);
}

// May this actor send a message into `c`, as `c` is now? not_found when they may not read
// it (we never reveal which); conflict when it is not active; forbidden when an agent may
// read this live chat but it is another agent's. (A retried send of a message already
// stored needs only can_read: it is answered with the stored message, even after the end.)
// The stores decide with this on the row they write, under their write lock.
Status may_send(const Actor& actor, const Conversation& c);

// The common case of may_send as a plain condition, which the stores also write in SQL so a
// batch decides it without a round trip per message: an active chat that is the visitor's
// own, or that is assigned to the agent (or any chat, for an agent who sees all).
inline bool sends_as_participant(const Actor& actor, const Conversation& c) {
  if (c.status != ConversationStatus::active) return false;
  return actor.is_agent() ? can_act(actor.viewer, c) : visitor_owns(actor.id, c);
}

}  // namespace parley::core
