// Following up a missed chat: one agent claims it (so two never write to the same visitor),
// may pass it back (release) or mark it done, and the claimer alone writes to the visitor.
// The stores settle races with a conditional write; these rules say who may try and give
// the clear error when the state is already known.
#pragma once

#include <optional>

#include "core/records.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "core/visibility.hpp"

namespace parley::core {

// Claim: any agent who may view the chat (every agent, for a missed one); only a missed
// chat nobody has claimed. not_found when the viewer may not see it; conflict otherwise.
Status may_claim_followup(const Viewer& viewer, const Conversation& c,
                          const std::optional<FollowUp>& followup);
// Release or mark done: the claimer, or an admin; not after it is done.
Status may_change_followup(const Viewer& viewer, const Conversation& c,
                           const std::optional<FollowUp>& followup);
// Write to the visitor (the follow-up email): the claimer alone, while it is not done.
Status may_write_followup(const Viewer& viewer, const Conversation& c,
                          const std::optional<FollowUp>& followup);

// Whether a chat counts in the Missed count of the Inbox: missed and not yet followed up.
inline bool awaits_followup(const Conversation& c, const std::optional<FollowUp>& followup) {
  return c.status == ConversationStatus::missed && !(followup && followup->done_at);
}

}  // namespace parley::core
