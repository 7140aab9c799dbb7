// The live-chat use cases: request, accept, post, end, typing, availability.
// Each one: validate -> check the actor may do it -> one store transaction -> publish.
// Reads that a denied actor must not learn about answer not_found, never forbidden.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <variant>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/ports.hpp"
#include "bus/event_bus.hpp"
#include "core/activity.hpp"
#include "core/chat_policy.hpp"
#include "core/records.hpp"
#include "core/result.hpp"

namespace parley::app {

class ChatService {
 public:
  ChatService(store::Store& store, bus::EventBus& bus, Clock clock)
      : store_(store), bus_(bus), clock_(std::move(clock)) {}

  // The request as it was made (pending, or missed when nobody is available): read before
  // the agent is told of it, so an accept that follows at once does not show in it.
  // conflict when the visitor already has a pending or active chat.
  core::Result<core::ConversationSummary> request_chat(core::Id visitor_id,
                                                       core::PreChatForm form);
  core::Result<core::Conversation> accept(const core::Agent& agent, core::Id conversation_id);
  core::Result<core::AppendOutcome> post_message(const Actor& actor, core::Id conversation_id,
                                                  std::string_view client_id,
                                                  std::string_view body);
  // A message as post_message_async answers it: the bus event that carries it (the one
  // object every other subscriber is handed, so the sender's acknowledgement is made from
  // the same message without a copy of its own) and whether the send was a retry.
  struct Posted {
    bus::EventPtr event;
    bool duplicate = false;
    const core::Message& message() const {
      return std::get<bus::ConversationEvent>(event->payload()).message;
    }
  };
  // The same as post_message, answered through `done` once stored (on a store thread; must
  // not block). The realtime path uses it so that a waiting send holds no thread.
  using PostDone = std::function<void(core::Result<Posted>)>;
  // `sender`: the caller's own bus subscriber (its socket), told through `done`; the bus
  // event of the message is not handed to it a second time.
  void post_message_async(const Actor& actor, core::Id conversation_id,
                          std::string_view client_id, std::string_view body, PostDone done,
                          const bus::Subscriber* sender = nullptr);
  // Where post_message_async's answers run: each commit's answers as one function given to
  // `handoff` (see store::ConversationStore::hand_off_answers); empty: on the store's thread.
  void hand_off_answers(std::function<void(std::function<void()>)> handoff);
  core::Result<core::Conversation> end(const Actor& actor, core::Id conversation_id);
  // Relays a typing signal to the other side; nothing is stored.
  core::Status typing(const Actor& actor, core::Id conversation_id);
  // The actor has seen the conversation up to `seq`: moves the visitor's mark, or the
  // assigned agent's (another agent or an admin reading leaves the marks alone), and tells
  // the conversation's subscribers when it moved. not_found when the actor may not read it.
  core::Status mark_read(const Actor& actor, core::Id conversation_id, std::int64_t seq);
  // What the widget reports (a page view, a click on a link in the chat), written to the
  // visitor's history; a page view also becomes the page shown in the header of the
  // visitor's open chat, live.
  core::Result<core::Activity> record_visitor_activity(core::Id visitor_id,
                                                       core::activity::VisitorReport report);

  // Deadlines (called by the sweeper). Each acts only if the state is still the one that
  // made it due, so a deadline fires once even with several sweepers.
  // A lapsed offer, or one whose agent went offline: re-offer to the next eligible agent, or
  // give the visitor the fallback.
  void expire_offer(const core::Conversation& pending);
  // An active chat without a message for the policy's inactivity timeout: end it.
  void end_if_idle(core::Id conversation_id, core::Millis idle_since);
  // The chat's agent was deactivated (app/team_service.hpp): end it with end_reason
  // "agent_deactivated" and tell its subscribers. Nothing when it is no longer active.
  // (chat_deactivation.cpp)
  void end_for_deactivation(core::Id conversation_id);

  // The agent a request is offered to passes it on ("Pass on" on the request banner):
  // routing offers it to the next agent at once, as when the offer lapses, and never back to
  // them in this round. not_found unless it is pending with them (pass_on.cpp).
  core::Status pass_on(const core::Agent& agent, core::Id conversation_id);

  // Follow-up of missed chats (core/followup.hpp; followup.cpp). Each answers the chat's new
  // summary and tells every Inbox (the list shows who has it) and logs it in the chat.
  core::Result<core::ConversationSummary> claim_followup(const core::Agent& agent, core::Id conversation_id);
  core::Result<core::ConversationSummary> release_followup(const core::Agent& agent, core::Id conversation_id);
  core::Result<core::ConversationSummary> finish_followup(const core::Agent& agent, core::Id conversation_id);
  // Missed chats whose follow-up is not done: the count on the Inbox's Missed filter.
  int missed_count();

  // Whether anyone could take a chat now (the widget asks before it shows a form), by the
  // rule routing uses; read at most once a second whatever the number of page views
  // (visitor_status.cpp).
  bool agents_available();

  // The admin settings of the chat life cycle.
  core::ChatPolicy policy();
  core::Result<core::ChatPolicy> update_policy(const core::Agent& admin, core::ChatPolicy policy);

  // Called after a request was missed (nobody available, or nobody accepted) and the
  // visitor got the fallback message: the process wires the "book a meeting instead" offer
  // (MeetingService::offer_fallback_card) here. Set once, before serving.
  void on_missed(std::function<void(const core::Conversation&)> hook) { on_missed_ = std::move(hook); }
  // Called once for each message stored for the first time (a retried one is not new),
  // after its commit: the process counts them for /metrics here. Set once, before serving.
  void on_message_stored(std::function<void()> hook) { on_message_stored_ = std::move(hook); }

  // What the inbox shows for one conversation (names resolved).
  core::ConversationSummary summarize(const core::Conversation& c);

 private:
  core::Result<store::NewMessage> prepare_message(const Actor& actor, core::Id conversation_id,
                                                  std::string_view client_id,
                                                  std::string_view body);
  // A stored event to the conversation's subscribers; `told` already has it. The event is
  // returned: the realtime send answers its sender with it.
  bus::EventPtr publish_event(core::Conversation c, core::Message m,
                              const bus::Subscriber* told = nullptr);
  // The conversation's new state to the Inbox and the visitor; a pending one is also
  // offered to its agent. One summary read for all of it, returned.
  core::ConversationSummary publish_changed(const core::Conversation& c);
  void publish_withdrawn(const core::Conversation& c, core::Id agent_id, const char* reason);

  store::Store& store_;
  bus::EventBus& bus_;
  Clock clock_;
  std::function<void(const core::Conversation&)> on_missed_;
  std::function<void()> on_message_stored_;
  std::mutex availability_mutex_;  // guards the two below
  core::Millis availability_read_at_ = 0;
  bool availability_ = false;
};

}  // namespace parley::app
