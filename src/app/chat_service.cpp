#include "app/chat_service.hpp"

#include "app/routing_policy.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace parley::app {

using core::ConversationStatus;

core::ConversationSummary ChatService::summarize(const core::Conversation& c) {
  if (auto s = store_.find_summary(c.id)) return std::move(*s);
  throw store::StoreFailure("conversation " + std::to_string(c.id) + " vanished");
}

bus::EventPtr ChatService::publish_event(core::Conversation c, core::Message m,
                                         const bus::Subscriber* told) {
  const auto topic = bus::conversation_topic(c.id);
  bus::EventPtr event =
      std::make_shared<const bus::Event>(bus::ConversationEvent{std::move(m)}, std::move(c), told);
  bus_.publish(topic, event);
  return event;
}

core::ConversationSummary ChatService::publish_changed(const core::Conversation& c) {
  auto summary = summarize(c);
  // A pending request is first offered to its agent (who then also sees the change).
  if (c.status == ConversationStatus::pending && c.agent_id) {
    auto profile = store_.visitor_profile(c.visitor_id);
    bus_.publish(bus::agent_topic(*c.agent_id),
                 std::make_shared<bus::Event>(
                     bus::ChatRequested{summary, std::make_shared<const core::VisitorProfile>(
                                                     profile.value_or(core::VisitorProfile{}))},
                     c));
  }
  auto event = std::make_shared<bus::Event>(bus::ConversationChanged{summary}, c);
  bus_.publish(bus::kInboxTopic, event);
  bus_.publish(bus::visitor_topic(c.visitor_id), event);
  return summary;
}

void ChatService::publish_withdrawn(const core::Conversation& c, core::Id agent_id,
                                    const char* reason) {
  // Not filtered by visibility (`about` is empty): the agent must learn the offer is gone
  // although the conversation is no longer theirs to see.
  bus_.publish(bus::agent_topic(agent_id),
               std::make_shared<bus::Event>(bus::OfferWithdrawn{c.id, agent_id, reason},
                                            std::nullopt));
}

core::Result<core::ConversationSummary> ChatService::request_chat(core::Id visitor_id,
                                                                  core::PreChatForm form) {
  auto valid = core::validate_pre_chat_form(std::move(form));
  if (!valid) return valid.error();
  auto policy = store_.load_chat_policy();
  auto now = clock_();
  store::ChatRequest request{visitor_id, std::move(*valid), policy.fallback_message,
                             policy.accept_timeout};
  auto outcome = store_.request_chat(request, route_at(now), now);
  if (!outcome) return outcome.error();
  const auto& c = outcome->conversation;
  for (const auto& m : outcome->events) publish_event(c, m);
  auto summary = publish_changed(c);
  if (c.status == ConversationStatus::missed && on_missed_) on_missed_(c);
  return summary;
}

void ChatService::expire_offer(const core::Conversation& pending) {
  if (!pending.agent_id || !pending.offer_expires_at) return;
  auto now = clock_();
  auto outcome = store_.reoffer(
      store::Reoffer{pending.id, *pending.agent_id, *pending.offer_expires_at, store_.load_chat_policy()},
      route_at(now), now);
  if (!outcome) return;  // settled meanwhile (accepted, withdrawn, another sweeper)
  const auto& c = outcome->conversation;
  // Due before its window ended: the agent went offline (app/presence.hpp).
  bool lapsed = now >= *pending.offer_expires_at;
  publish_withdrawn(c, outcome->previous_agent, lapsed ? "timeout" : "offline");
  for (const auto& m : outcome->events) publish_event(c, m);
  publish_changed(c);
  if (c.status == ConversationStatus::missed && on_missed_) on_missed_(c);
}

void ChatService::end_if_idle(core::Id conversation_id, core::Millis idle_since) {
  auto t = store_.end_if_idle(conversation_id, idle_since, clock_());
  if (!t) return;  // a message arrived, or it ended meanwhile
  publish_event(t->conversation, t->event);
  publish_changed(t->conversation);
}

core::ChatPolicy ChatService::policy() { return store_.load_chat_policy(); }

core::Result<core::ChatPolicy> ChatService::update_policy(const core::Agent& admin,
                                                          core::ChatPolicy policy) {
  if (admin.role != core::Role::admin) return core::forbidden("only admins change these settings");
  if (auto ok = core::validate_chat_policy(policy); !ok) return ok.error();
  store_.save_chat_policy(policy);
  return policy;
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
}  // namespace

core::Result<store::NewMessage> ChatService::prepare_message(const Actor& actor,
                                                            core::Id conversation_id,
                                                            std::string_view client_id,
                                                            std::string_view body) {
  if (auto ok = core::validate_client_id(client_id); !ok) return ok.error();
  auto valid_body = core::validate_message_body(body);
  if (!valid_body) return valid_body.error();
  // Who may send is decided by the store, on the row it writes (core::may_send): no read
  // here, so a send costs one trip to the store, and nothing changes between check and act.
  return store::NewMessage{conversation_id, actor, std::move(*valid_body), std::string(client_id)};
}

core::Result<core::AppendOutcome> ChatService::post_message(const Actor& actor,
                                                             core::Id conversation_id,
                                                             std::string_view client_id,
                                                             std::string_view body) {
  auto m = prepare_message(actor, conversation_id, client_id, body);
  if (!m) return m.error();
  auto outcome = store_.append_message(*m, clock_());
  if (outcome && !outcome->duplicate && on_message_stored_) on_message_stored_();
  // A retry is published again: the first publish may have died with the node that stored
  // it (kill -9 between commit and publish). Receivers drop a seq they already have.
  if (outcome) publish_event(outcome->conversation, outcome->message);
  return outcome;
}

void ChatService::post_message_async(const Actor& actor, core::Id conversation_id,
                                     std::string_view client_id, std::string_view body,
                                     PostDone done, const bus::Subscriber* sender) {
  auto m = prepare_message(actor, conversation_id, client_id, body);
  if (!m) return done(m.error());
  store_.append_message_async(std::move(*m), clock_(), [this, sender, done = std::move(done)](
                                                core::Result<core::AppendOutcome> outcome) {
    if (!outcome) return done(outcome.error());
    if (!outcome->duplicate && on_message_stored_) on_message_stored_();
    // Everyone but the sender gets the event; the sender hears it in its ack. A retry (a
    // duplicate) is published again, as in post_message. The outcome moves into the event.
    auto event =
        publish_event(std::move(outcome->conversation), std::move(outcome->message), sender);
    done(Posted{std::move(event), outcome->duplicate});
  });
}

void ChatService::hand_off_answers(std::function<void(std::function<void()>)> handoff) {
  store_.hand_off_answers(std::move(handoff));
}

core::Result<core::Conversation> ChatService::end(const Actor& actor, core::Id conversation_id) {
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  // A visitor may also withdraw a request nobody has accepted yet.
  bool visitor_withdraws = !actor.is_agent() && c->status == ConversationStatus::pending;
  // Otherwise ending, like sending, needs a live chat the actor takes part in.
  if (!visitor_withdraws) {
    if (auto ok = core::may_send(actor, *c); !ok) return ok.error();
  }
  auto t = store_.end_conversation(conversation_id, actor.is_agent() ? "agent" : "visitor",
                                   clock_());
  if (!t) return t.error();
  if (visitor_withdraws && c->agent_id) publish_withdrawn(t->conversation, *c->agent_id, "cancelled");
  publish_event(t->conversation, t->event);
  publish_changed(t->conversation);
  return t->conversation;
}

core::Status ChatService::typing(const Actor& actor, core::Id conversation_id) {
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  if (auto ok = core::may_send(actor, *c); !ok) return ok.error();
  bus_.publish(bus::conversation_topic(conversation_id),
               std::make_shared<bus::Event>(bus::Typing{conversation_id, actor.kind}, *c));
  return core::Ok{};
}

core::Result<core::Activity> ChatService::record_visitor_activity(
    core::Id visitor_id, core::activity::VisitorReport report) {
  auto valid = core::activity::validate_visitor_report(std::move(report));
  if (!valid) return valid.error();
  auto now = clock_();
  auto open = store_.latest_conversation_of_visitor(visitor_id);
  if (valid->type == core::activity::kLinkClicked) {
    std::optional<core::Id> conversation;
    if (open) conversation = open->id;
    return store_.record_activity({0, visitor_id, valid->type, valid->title, valid->url,
                                   conversation, now});
  }
  auto activity = store_.record_page_visit(visitor_id, valid->url, valid->title, now);
  if (open && (open->status == ConversationStatus::pending ||
               open->status == ConversationStatus::active)) {
    bus_.publish(bus::conversation_topic(open->id),
                 std::make_shared<bus::Event>(
                     bus::VisitorPage{open->id, valid->url, valid->title}, *open));
  }
  return activity;
}

core::Status ChatService::mark_read(const Actor& actor, core::Id conversation_id,
                                    std::int64_t seq) {
  auto c = readable(store_, actor, conversation_id);
  if (!c) return c.error();
  if (actor.is_agent() && c->agent_id != actor.id) return core::Ok{};
  auto reader = actor.is_agent() ? core::Reader::agent : core::Reader::visitor;
  auto outcome = store_.mark_read(conversation_id, reader, seq);
  if (!outcome) return outcome.error();
  if (outcome->advanced) {
    const auto& fresh = outcome->conversation;
    auto mark = reader == core::Reader::agent ? fresh.agent_read_seq : fresh.visitor_read_seq;
    bus_.publish(bus::conversation_topic(conversation_id),
                 std::make_shared<bus::Event>(bus::ReadMarked{conversation_id, reader, mark}, fresh));
  }
  return core::Ok{};
}


}  // namespace parley::app
