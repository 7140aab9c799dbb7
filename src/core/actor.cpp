#include "core/actor.hpp"

namespace parley::core {

Status may_send(const Actor& actor, const Conversation& c) {
  if (!can_read(actor, c)) return not_found("no such conversation");
  if (c.status != ConversationStatus::active) return conflict("the conversation is not active");
  if (!sends_as_participant(actor, c)) return forbidden("this chat is assigned to another agent");
  return Ok{};
}

}  // namespace parley::core
