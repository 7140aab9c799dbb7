// Contract: stored deadlines — lapsed offers move on or give up exactly once, idle chats end
// only while still idle, and the chat policy persists.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

Reoffer lapse_of(const core::Conversation& c, core::ChatPolicy policy = {}) {
  return Reoffer{c.id, c.agent_id.value(), c.offer_expires_at.value(), policy};
}

TEST_P(StoreContract, RequestStartsAnOfferWithItsAcceptWindow) {
  auto a = agent("ann");
  auto v = visitor();
  ChatRequest r{v.id, form("V", "v@example.com"), "fallback", 100'000};
  Millis at = tick();
  auto c = store().request_chat(r, route_to(a.id), at)->conversation;
  EXPECT_EQ(at + 100'000, c.offer_expires_at);
  EXPECT_EQ(1, c.offers_made);
  EXPECT_TRUE(store().due_offers(at + 99'999, 10).empty());
  ASSERT_EQ(1u, store().due_offers(at + 100'000, 10).size());
  // Accepting ends the offer: it is never due again.
  ASSERT_TRUE(store().accept_chat(c.id, a.id, tick()).ok());
  EXPECT_TRUE(store().due_offers(at + 1'000'000, 10).empty());
}

TEST_P(StoreContract, LapsedOfferMovesToTheNextAgentNotOfferedBefore) {
  auto a = agent("ann"), b = agent("bob");
  auto c = pending_chat(a.id);
  auto out = store().reoffer(lapse_of(c), toggle_round_robin(), tick());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(a.id, out->previous_agent);
  EXPECT_EQ(b.id, out->conversation.agent_id);
  EXPECT_EQ(core::ConversationStatus::pending, out->conversation.status);
  EXPECT_EQ(2, out->conversation.offers_made);
  EXPECT_EQ(now() + core::ChatPolicy{}.accept_timeout, out->conversation.offer_expires_at);
  EXPECT_TRUE(out->events.empty());
  // b cannot be offered it again, nor a: with both tried, the visitor gets the fallback.
  auto last = store().reoffer(lapse_of(out->conversation), toggle_round_robin(), tick());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(core::ConversationStatus::missed, last->conversation.status);
  EXPECT_EQ("no_answer", last->conversation.end_reason);
  EXPECT_FALSE(last->conversation.agent_id);
  ASSERT_EQ(1u, last->events.size());
  EXPECT_EQ("chat.missed", last->events[0].kind);
  EXPECT_EQ(core::ChatPolicy{}.fallback_message, last->events[0].body);
}

TEST_P(StoreContract, OffersStopAtMaxOffers) {
  auto a = agent("ann");
  agent("bob");
  agent("cat");
  auto c = pending_chat(a.id);
  core::ChatPolicy one;
  one.max_offers = 1;
  auto out = store().reoffer(lapse_of(c, one), toggle_round_robin(), tick());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(core::ConversationStatus::missed, out->conversation.status);
}

TEST_P(StoreContract, ALapseIsSettledOnceAndLosesToAnAccept) {
  auto a = agent("ann");
  agent("bob");
  auto c = pending_chat(a.id);
  ASSERT_TRUE(store().reoffer(lapse_of(c), toggle_round_robin(), tick()).ok());
  // The same lapse seen by a second sweeper: already settled.
  EXPECT_EQ("conflict", error_code(store().reoffer(lapse_of(c), toggle_round_robin(), tick()).error()));
  // An accept that won the race makes the lapse a no-op too.
  auto d = pending_chat(a.id);
  ASSERT_TRUE(store().accept_chat(d.id, a.id, tick()).ok());
  EXPECT_EQ("conflict", error_code(store().reoffer(lapse_of(d), toggle_round_robin(), tick()).error()));
  EXPECT_EQ(core::ConversationStatus::active, store().find_conversation(d.id)->status);
}

TEST_P(StoreContract, IdleChatsEndForInactivityOnlyWhileStillIdle) {
  auto a = agent("ann");
  auto quiet = active_chat(a.id);
  Millis cutoff = tick();
  auto busy = active_chat(a.id);
  auto idle = store().idle_conversations(cutoff, 10);
  EXPECT_EQ(std::vector<Id>{quiet.id}, idle);
  // A message after the cutoff rescues a chat that was due.
  send(quiet.id, "still here", "late-1");
  EXPECT_EQ("conflict", error_code(store().end_if_idle(quiet.id, cutoff, tick()).error()));
  Millis later = tick();
  auto t = store().end_if_idle(busy.id, later, tick());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(core::ConversationStatus::ended, t->conversation.status);
  EXPECT_EQ("inactivity", t->conversation.end_reason);
  EXPECT_EQ("chat.ended", t->event.kind);
  EXPECT_EQ("inactivity", t->event.body);
}

TEST_P(StoreContract, ChatPolicyHasDefaultsAndPersists) {
  EXPECT_EQ(core::ChatPolicy{}, store().load_chat_policy());
  core::ChatPolicy p;
  p.accept_timeout = 7'000;
  p.inactivity_timeout = 60'000;
  p.max_offers = 2;
  p.fallback_message = "Back soon";
  p.fetch_allowed_hosts = {"calendar.corp.example", "localhost"};
  store().save_chat_policy(p);
  EXPECT_EQ(p, store().load_chat_policy());
  p.fetch_allowed_hosts.clear();  // an empty list stays empty (not one empty name)
  store().save_chat_policy(p);
  EXPECT_EQ(p, store().load_chat_policy());
}

}  // namespace
}  // namespace parley::store::testing
