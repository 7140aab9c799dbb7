#include "app/chat_service.hpp"

#include "core/routing.hpp"
#include "core/validation.hpp"

namespace parley::app {

using core::ConversationStatus;

store::ConversationSummary ChatService::summarize(const core::Conversation& c) {
  if (auto s = store_.find_summary(c.id)) return std::move(*s);
  throw store::StoreFailure("conversation " + std::to_string(c.id) + " vanished");
}

void ChatService::publish_event(const core::Conversation& c, const core::Message& m) {
  bus_.publish(bus::conversation_topic(c.id),
               std::make_shared<bus::Event>(bus::ConversationEvent{m}, c));
}

void ChatService::publish_changed(const core::Conversation& c) {
  auto event = std::make_shared<bus::Event>(bus::ConversationChanged{summarize(c)}, c);
  bus_.publish(bus::kInboxTopic, event);
  bus_.publish(bus::visitor_topic(c.visitor_id), event);
}

core::Result<core::Conversation> ChatService::request_chat(core::Id visitor_id,
                                                           core::PreChatForm form) {
  auto valid = core::validate_pre_chat_form(std::move(form));
  if (!valid) return valid.error();
  store::ChatRequest request{visitor_id, std::move(*valid), settings_.fallback_message};
  auto outcome = store_.request_chat(
      request,
      [](std::span<const core::RoutingCandidate> candidates, std::optional<core::Id> last) {
        return core::pick_round_robin(candidates, last);
      },
      clock_());
  if (!outcome) return outcome.error();
  const auto& c = outcome->conversation;
  for (const auto& m : outcome->events) publish_event(c, m);
  if (c.status == ConversationStatus::pending && c.agent_id) {
    auto profile = store_.visitor_profile(visitor_id);
    bus_.publish(bus::agent_topic(*c.agent_id),
                 std::make_shared<bus::Event>(
                     bus::ChatRequested{summarize(c), profile.value_or(store::VisitorProfile{})},
                     c));
  }
  publish_changed(c);
  return c;
}

core::Result<core::Conversation> ChatService::accept(const core::Agent& agent,
                                                     core::Id conversation_id) {
  auto existing = store_.find_conversation(conversation_id);
  // A request offered to someone else is not visible: not_found, as for any hidden chat.
  if (!existing || !core::can_view(core::viewer_of(agent), *existing)) {
    return core::not_found("no such conversation");
  }
  auto t = store_.accept_chat(conversation_id, agent.id, clock_());
  if (!t) return t.error();
  publish_event(t->conversation, t->event);
  publish_changed(t->conversation);
  return t->conversation;
}

namespace {
// Looks up a conversation the actor may read; otherwise not_found.
core::Result<core::Conversation> readable(store::Store& store, const Actor& actor,
                                          core::Id conversation_id) {
  auto c = store.find_conversation(conversation_id);
  if (!c || !can_read(actor, *c)) return core::not_found("no such conversation");
  return *c;
}

// Sending and ending need a live chat the actor takes part in.
core::Status can_take_part(const Actor& actor, const core::Conversation& c) {
  if (actor.is_agent()) {
    if (c.status == ConversationStatus::active && !core::can_act(actor.viewer, c)) {
      return core::forbidden("this chat is assigned to another agent");
    }
  }
  if (c.status != ConversationStatus::active) return core::conflict("this chat is not active");
  return core::Ok{};
}
}  // namespace

core::Result<store::NewMessage> ChatService::prepare_message(const Actor& actor,
                                                            core::Id conversation_id,
                                                            std::string_view client_id,
                                                            std::string_view body) {
  if (auto ok = core::validate_client_id(client_id); !ok) return ok.error();
  auto valid_body = core::validate_message_body(body);
  if (!valid_body) return valid_body.error();
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  // A retried send of an already stored message is acknowledged even if the chat has
  // ended since; the store recognises the client id before it checks the status.
  if (c->status == ConversationStatus::active) {
    if (auto ok = can_take_part(actor, *c); !ok) return ok.error();
  }
  return store::NewMessage{conversation_id, actor.kind,
                           actor.is_agent() ? std::optional<core::Id>(actor.id) : std::nullopt,
                           std::move(*valid_body), std::string(client_id)};
}

core::Result<store::AppendOutcome> ChatService::post_message(const Actor& actor,
                                                             core::Id conversation_id,
                                                             std::string_view client_id,
                                                             std::string_view body) {
  auto m = prepare_message(actor, conversation_id, client_id, body);
  if (!m) return m.error();
  auto outcome = store_.append_message(*m, clock_());
  if (outcome && !outcome->duplicate) publish_event(outcome->conversation, outcome->message);
  return outcome;
}

void ChatService::post_message_async(const Actor& actor, core::Id conversation_id,
                                     std::string_view client_id, std::string_view body,
                                     store::Store::AppendDone done) {
  auto m = prepare_message(actor, conversation_id, client_id, body);
  if (!m) return done(m.error());
  store_.append_message_async(*m, clock_(), [this, done = std::move(done)](
                                                core::Result<store::AppendOutcome> outcome) {
    // The sender hears its ack first, then everyone gets the event; both are issued here,
    // in commit order, so receivers rarely see gaps.
    std::optional<store::AppendOutcome> fresh;
    if (outcome && !outcome->duplicate) fresh = *outcome;
    done(std::move(outcome));
    if (fresh) publish_event(fresh->conversation, fresh->message);
  });
}

core::Result<core::Conversation> ChatService::end(const Actor& actor, core::Id conversation_id) {
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  // A visitor may also withdraw a request nobody has accepted yet.
  bool visitor_withdraws = !actor.is_agent() && c->status == ConversationStatus::pending;
  if (!visitor_withdraws) {
    if (auto ok = can_take_part(actor, *c); !ok) return ok.error();
  }
  auto t = store_.end_conversation(conversation_id, actor.is_agent() ? "agent" : "visitor",
                                   clock_());
  if (!t) return t.error();
  publish_event(t->conversation, t->event);
  publish_changed(t->conversation);
  return t->conversation;
}

core::Status ChatService::typing(const Actor& actor, core::Id conversation_id) {
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  if (auto ok = can_take_part(actor, *c); !ok) return ok.error();
  bus_.publish(bus::conversation_topic(conversation_id),
               std::make_shared<bus::Event>(bus::Typing{conversation_id, actor.kind}, *c));
  return core::Ok{};
}

core::Result<core::Agent> ChatService::set_availability(const core::Agent& agent, bool available) {
  auto updated = store_.set_agent_available(agent.id, available);
  if (!updated) return updated.error();
  bus_.publish(bus::agent_topic(agent.id),
               std::make_shared<bus::Event>(bus::AgentStatusChanged{*updated}, std::nullopt));
  return updated;
}

}  // namespace parley::app
