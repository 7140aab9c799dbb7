// Who is calling a use case, as established by net/ from a session cookie or a visitor
// token. Never taken from the request body.
#pragma once

#include "core/types.hpp"
#include "core/visibility.hpp"

namespace parley::app {

struct Actor {
  core::SenderKind kind = core::SenderKind::visitor;  // agent or visitor
  core::Id id = 0;                                    // agent id or visitor id
  core::Viewer viewer;                                // meaningful for agents

  static Actor of_agent(const core::Agent& a) {
    return {core::SenderKind::agent, a.id, core::viewer_of(a)};
  }
  static Actor of_visitor(core::Id visitor_id) {
    return {core::SenderKind::visitor, visitor_id, {}};
  }
  bool is_agent() const { return kind == core::SenderKind::agent; }
};

// May this actor read the conversation? (Agents: the visibility rule; visitors: their own.)
inline bool can_read(const Actor& actor, const core::Conversation& c) {
  return actor.is_agent() ? core::can_view(actor.viewer, c) : core::visitor_owns(actor.id, c);
}

}  // namespace parley::app
