// The Store port, follow-up of missed chats: who claimed one, release, done, and the count
// the Inbox shows. Each change is one transaction: a conditional write settles two agents
// racing (exactly one claim wins, on any node) and the chat's log gets its system event.
#pragma once

#include <optional>
#include <string_view>

#include "core/records.hpp"
#include "store/store_common.hpp"

namespace parley::store {

class FollowupStore {
 public:
  virtual ~FollowupStore() = default;

  // Claims a missed chat nobody has claimed for `agent_id`, appending "followup.claimed"
  // (body: the agent's name). not_found when absent; conflict when it is not missed or
  // already claimed (or done) — whoever came first keeps it.
  virtual Result<Transition> claim_followup(Id conversation_id, Id agent_id, Millis now) = 0;
  // Gives the claim back (only while held by `claimer` and not done), appending
  // "followup.released" (body: the name of the agent who released it, `by`). conflict otherwise.
  virtual Result<Transition> release_followup(Id conversation_id, Id claimer, Id by,
                                              Millis now) = 0;
  // Marks the follow-up done (only while held by `claimer` and not done), appending
  // "followup.done" (body: the name of `by`). conflict otherwise.
  virtual Result<Transition> finish_followup(Id conversation_id, Id claimer, Id by,
                                             Millis now) = 0;
  // A follow-up email went out: appends "followup.emailed" (body: `event_body`) to the chat
  // and a followup_emailed activity (detail: `activity_detail`) to its visitor's history, in
  // one transaction. not_found when the chat is absent. Not conditional on the claim: the
  // email was sent, so it is recorded whatever happened meanwhile.
  virtual Result<Transition> record_followup_email(Id conversation_id, std::string_view event_body,
                                                   std::string_view activity_detail,
                                                   Millis now) = 0;
  virtual std::optional<core::FollowUp> find_followup(Id conversation_id) = 0;
  // Missed chats whose follow-up is not done (core::awaits_followup).
  virtual int count_awaiting_followup() = 0;
};

}  // namespace parley::store
