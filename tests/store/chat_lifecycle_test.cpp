// Contract: accept, append (seq, idempotent client ids), end, and replay via events_after and events_before.
#include <limits>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using core::ConversationStatus;
using core::ErrorCode;

TEST_P(StoreContract, OfferedAgentAcceptsAndTheChatBecomesActive) {
  auto a = agent("Ann");
  auto c = pending_chat(a.id);
  auto t = tick();
  auto out = store().accept_chat(c.id, a.id, t);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->conversation.status, ConversationStatus::active);
  EXPECT_EQ(out->conversation.accepted_at, t);
  EXPECT_EQ(out->conversation.last_seq, 2);
  EXPECT_EQ(out->event.kind, "chat.accepted");
  EXPECT_EQ(out->event.seq, 2);
  EXPECT_EQ(out->event.sender, core::SenderKind::system);
  EXPECT_EQ(out->event.body, "Ann");
  EXPECT_EQ(store().find_conversation(c.id)->status, ConversationStatus::active);

  auto acts = store().activities(c.visitor_id, 0, 10);
  ASSERT_FALSE(acts.empty());
  EXPECT_EQ(acts[0].type, "chat_started");
  EXPECT_EQ(acts[0].conversation_id, c.id);
  EXPECT_EQ(acts[0].at, t);
}

TEST_P(StoreContract, AcceptByAnAgentItWasNotOfferedToIsConflict) {
  auto a = agent("ann"), b = agent("bob");
  auto c = pending_chat(a.id);
  auto out = store().accept_chat(c.id, b.id, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::conflict);
  EXPECT_EQ(store().find_conversation(c.id)->status, ConversationStatus::pending);
  EXPECT_EQ(store().find_conversation(c.id)->last_seq, 1);
}

TEST_P(StoreContract, SecondAcceptIsConflict) {
  auto a = agent("ann");
  auto c = pending_chat(a.id);
  ASSERT_TRUE(store().accept_chat(c.id, a.id, tick()).ok());
  auto again = store().accept_chat(c.id, a.id, tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(store().events_after(c.id, 0, 100).size(), 2u);  // one chat.accepted only
}

TEST_P(StoreContract, AcceptOfAMissedOrUnknownChatFails) {
  auto a = agent("ann");
  auto missed = pending_chat(std::nullopt);
  auto out = store().accept_chat(missed.id, a.id, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::conflict);
  out = store().accept_chat(missed.id + 1000, a.id, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::not_found);
}

TEST_P(StoreContract, AppendedMessagesTakeTheNextSeq) {
  auto a = agent("ann");
  auto c = active_chat(a.id);  // seq 1 requested, 2 accepted
  auto t = tick();
  auto out =
      store().append_message({c.id, core::Actor::of_visitor(c.visitor_id), "hi", "c-1"}, t);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->duplicate);
  EXPECT_EQ(out->message.seq, 3);
  EXPECT_EQ(out->message.kind, "text");
  EXPECT_EQ(out->message.body, "hi");
  EXPECT_EQ(out->message.client_id, "c-1");
  EXPECT_EQ(out->message.created_at, t);
  EXPECT_EQ(out->message.sender, core::SenderKind::visitor);
  EXPECT_FALSE(out->message.agent_id);
  EXPECT_EQ(out->conversation.last_seq, 3);
  EXPECT_EQ(out->conversation.last_activity_at, t);

  auto reply =
      store().append_message({c.id, core::Actor::of_agent(a), "hello", "c-2"}, tick());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->message.seq, 4);
  EXPECT_EQ(reply->message.sender, core::SenderKind::agent);
  EXPECT_EQ(reply->message.agent_id, a.id);
  EXPECT_EQ(store().find_conversation(c.id)->last_seq, 4);
}

TEST_P(StoreContract, DuplicateClientIdReturnsStoredMessage) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  auto first = send(c.id, "hello", "c-1");
  auto retry = store().append_message(
      {c.id, core::Actor::of_visitor(c.visitor_id), "hello (resent)", "c-1"}, tick());
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->message.id, first.id);
  EXPECT_EQ(retry->message.seq, first.seq);
  EXPECT_EQ(retry->message.body, "hello");
  EXPECT_EQ(retry->message.created_at, first.created_at);
  EXPECT_EQ(retry->conversation.last_seq, first.seq);
  EXPECT_EQ(store().events_after(c.id, 0, 100).size(), 3u);  // requested, accepted, hello
}

TEST_P(StoreContract, DuplicateClientIdAfterTheChatEndedStillReturnsStoredMessage) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  auto first = send(c.id, "bye", "c-9");
  ASSERT_TRUE(store().end_conversation(c.id, "visitor", tick()).ok());
  auto retry =
      store().append_message({c.id, core::Actor::of_visitor(c.visitor_id), "bye", "c-9"}, tick());
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->message.id, first.id);
  EXPECT_EQ(retry->conversation.status, ConversationStatus::ended);
}

TEST_P(StoreContract, TheSameClientIdInAnotherConversationIsANewMessage) {
  auto a = agent("ann");
  auto c1 = active_chat(a.id), c2 = active_chat(a.id);
  auto m1 = send(c1.id, "one", "same");
  auto out = store().append_message({c2.id, core::Actor::of_visitor(c2.visitor_id), "two", "same"},
                                    tick());
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->duplicate);
  EXPECT_NE(out->message.id, m1.id);
  EXPECT_EQ(out->message.conversation_id, c2.id);
}

TEST_P(StoreContract, AppendToAChatThatIsNotActiveIsConflict) {
  auto a = agent("ann");
  auto pending = pending_chat(a.id);
  auto ended = ended_chat(a.id);
  auto missed = pending_chat(std::nullopt);
  for (const core::Conversation& c : {pending, ended, missed}) {
    auto out =
        store().append_message({c.id, core::Actor::of_visitor(c.visitor_id), "hi", "c-x"}, tick());
    ASSERT_FALSE(out.ok()) << c.id;
    EXPECT_EQ(out.error().code, ErrorCode::conflict);
  }
  EXPECT_EQ(store().find_conversation(pending.id)->last_seq, 1);
}

TEST_P(StoreContract, AppendToAnUnknownConversationIsNotFound) {
  auto out =
      store().append_message({4242, core::Actor::of_visitor(1), "hi", "c-1"}, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::not_found);
}

TEST_P(StoreContract, EndingAnActiveChatEndsItWithTheReason) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  send(c.id, "hi", "c-1");
  auto t = tick();
  auto out = store().end_conversation(c.id, "agent", t);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->conversation.status, ConversationStatus::ended);
  EXPECT_EQ(out->conversation.ended_at, t);
  EXPECT_EQ(out->conversation.end_reason, "agent");
  EXPECT_EQ(out->conversation.agent_id, a.id);
  EXPECT_EQ(out->event.kind, "chat.ended");
  EXPECT_EQ(out->event.body, "agent");
  EXPECT_EQ(out->event.seq, 4);
  EXPECT_EQ(out->event.sender, core::SenderKind::system);
  EXPECT_EQ(out->conversation.last_seq, 4);
  EXPECT_EQ(store().find_conversation(c.id)->status, ConversationStatus::ended);
}

TEST_P(StoreContract, EndingAPendingChatMarksItMissed) {
  auto a = agent("ann");
  auto c = pending_chat(a.id);
  auto out = store().end_conversation(c.id, "inactivity", tick());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->conversation.status, ConversationStatus::missed);
  EXPECT_EQ(out->conversation.end_reason, "inactivity");
  EXPECT_EQ(out->event.kind, "chat.ended");
  // No longer open: the agent's slot is free and accepting it now fails.
  EXPECT_FALSE(store().accept_chat(c.id, a.id, tick()).ok());
}

TEST_P(StoreContract, EndingTwiceIsConflictAndEndingUnknownIsNotFound) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()).ok());
  auto again = store().end_conversation(c.id, "visitor", tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(store().find_conversation(c.id)->end_reason, "agent");
  auto missed = pending_chat(std::nullopt);
  again = store().end_conversation(missed.id, "visitor", tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  auto unknown = store().end_conversation(c.id + 1000, "agent", tick());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(StoreContract, EndingWritesAChatEndedActivityWithASnippetOfTheFirstVisitorMessage) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  send(c.id, "Agent speaks first", "a-1", core::SenderKind::agent, a.id);
  // 120 characters, several of them two bytes long: the snippet keeps 100 characters
  // and never splits one.
  std::string first;
  for (int i = 0; i < 40; ++i) first += "ab\xC3\xA9";  // "abé"
  send(c.id, first, "v-1");
  send(c.id, "second visitor message", "v-2");
  auto t = tick();
  ASSERT_TRUE(store().end_conversation(c.id, "visitor", t).ok());
  auto acts = store().activities(c.visitor_id, 0, 1);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].type, "chat_ended");
  EXPECT_EQ(acts[0].conversation_id, c.id);
  EXPECT_EQ(acts[0].at, t);
  std::string expected;
  for (int i = 0; i < 33; ++i) expected += "ab\xC3\xA9";
  expected += "a";  // 33 * 3 + 1 = 100 characters
  EXPECT_EQ(acts[0].detail, expected);
}

TEST_P(StoreContract, EndingAChatWithoutVisitorMessagesWritesAnEmptySnippet) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()).ok());
  auto acts = store().activities(c.visitor_id, 0, 1);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].type, "chat_ended");
  EXPECT_EQ(acts[0].detail, "");
}

TEST_P(StoreContract, EventsAfterReplaysLaterEventsInOrderUpToTheLimit) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  for (int i = 1; i <= 5; ++i) send(c.id, "m" + std::to_string(i), "c-" + std::to_string(i));
  // seq: 1 requested, 2 accepted, 3..7 m1..m5
  auto all = store().events_after(c.id, 0, 100);
  ASSERT_EQ(all.size(), 7u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, std::int64_t(i + 1));
  EXPECT_EQ(all[0].kind, "chat.requested");
  EXPECT_EQ(all[1].kind, "chat.accepted");
  EXPECT_EQ(all[2].body, "m1");

  auto page = store().events_after(c.id, 3, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seq, 4);
  EXPECT_EQ(page[0].body, "m2");
  EXPECT_EQ(page[1].seq, 5);
  EXPECT_TRUE(store().events_after(c.id, 7, 10).empty());
  EXPECT_TRUE(store().events_after(c.id + 1000, 0, 10).empty());
}

TEST_P(StoreContract, EventsBeforeGivesThePageJustBeforeASeqInOrder) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  for (int i = 1; i <= 5; ++i) send(c.id, "m" + std::to_string(i), "c-" + std::to_string(i));
  // seq: 1 requested, 2 accepted, 3..7 m1..m5
  auto newest = store().events_before(c.id, std::numeric_limits<std::int64_t>::max(), 3);
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].seq, 5);  // ascending, the last three
  EXPECT_EQ(newest[2].seq, 7);
  EXPECT_EQ(newest[2].body, "m5");
  auto older = store().events_before(c.id, 5, 3);
  ASSERT_EQ(older.size(), 3u);
  EXPECT_EQ(older[0].seq, 2);
  EXPECT_EQ(older[2].seq, 4);
  auto first = store().events_before(c.id, 2, 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, "chat.requested");
  EXPECT_TRUE(store().events_before(c.id, 1, 10).empty());
  EXPECT_TRUE(store().events_before(c.id, 5, 0).empty());
}

}  // namespace
}  // namespace parley::store::testing
