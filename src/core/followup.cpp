#include "core/followup.hpp"

namespace parley::core {

namespace {
Status visible_missed(const Viewer& viewer, const Conversation& c) {
  if (!can_view(viewer, c)) return not_found("no such conversation");
  if (c.status != ConversationStatus::missed) return conflict("only a missed chat is followed up");
  return Ok{};
}
}  // namespace

Status may_claim_followup(const Viewer& viewer, const Conversation& c,
                          const std::optional<FollowUp>& followup) {
  if (auto ok = visible_missed(viewer, c); !ok) return ok;
  if (followup) {
    return conflict(followup->done_at ? "this chat was already followed up"
                                      : "already claimed by " + followup->agent_name);
  }
  return Ok{};
}

Status may_change_followup(const Viewer& viewer, const Conversation& c,
                           const std::optional<FollowUp>& followup) {
  if (auto ok = visible_missed(viewer, c); !ok) return ok;
  if (!followup) return conflict("nobody has claimed this chat");
  if (followup->done_at) return conflict("this follow-up is already done");
  if (followup->agent_id != viewer.agent_id && !viewer.view_all) {
    return forbidden("claimed by " + followup->agent_name);
  }
  return Ok{};
}

Status may_write_followup(const Viewer& viewer, const Conversation& c,
                          const std::optional<FollowUp>& followup) {
  if (auto ok = visible_missed(viewer, c); !ok) return ok;
  if (!followup || followup->agent_id != viewer.agent_id) {
    return forbidden("claim the chat first: only the agent who claimed it writes to the visitor");
  }
  if (followup->done_at) return conflict("this follow-up is already done");
  return Ok{};
}

}  // namespace parley::core
