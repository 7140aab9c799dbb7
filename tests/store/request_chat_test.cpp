// Contract: request_chat — person upsert, form_filled activity, round-robin routing with a
// stored pointer, the missed/fallback path, and one open chat per visitor.
#include <algorithm>

#include "core/activity_record.hpp"
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

ChatRequest request_from(Id visitor_id, core::PreChatForm f) {
  return ChatRequest{visitor_id, std::move(f), "We are away; book a meeting instead."};
}

TEST_P(StoreContract, RequestChatRoutesRoundRobinInIdOrderAndWraps) {
  auto a1 = agent("a1"), a2 = agent("a2"), a3 = agent("a3");
  std::vector<Id> offered;
  for (int i = 0; i < 7; ++i) {
    auto v = visitor();
    auto out =
        store().request_chat(request_from(v.id, form("V", "v@example.com")), round_robin(), tick());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->conversation.status, core::ConversationStatus::pending);
    ASSERT_TRUE(out->conversation.agent_id);
    offered.push_back(*out->conversation.agent_id);
  }
  EXPECT_EQ(offered, (std::vector<Id>{a1.id, a2.id, a3.id, a1.id, a2.id, a3.id, a1.id}));
}

TEST_P(StoreContract, RequestChatSkipsUnavailableAndFullAgents) {
  auto a1 = agent("a1");
  auto a2 = agent("a2", /*available=*/false);
  auto a3 = agent("a3", true, /*max_chats=*/1);
  auto a4 = agent("a4");
  // a3 takes one chat and is then full (a pending offer counts as open).
  auto first = pending_chat(a3.id);
  ASSERT_EQ(first.agent_id, a3.id);

  std::vector<Id> offered;
  for (int i = 0; i < 3; ++i) {
    auto out = store().request_chat(request_from(visitor().id, form("V", "v@example.com")),
                                    round_robin(), tick());
    ASSERT_TRUE(out.ok());
    offered.push_back(out->conversation.agent_id.value());
  }
  // The pointer was left at a3 by the first request: next comes a4, then a1, then a4.
  EXPECT_EQ(offered, (std::vector<Id>{a4.id, a1.id, a4.id}));
  (void)a2;
}

TEST_P(StoreContract, RoutingSeesEveryActiveAgentWithOpenChatCounts) {
  auto a1 = agent("a1", true, 2);
  auto a2 = agent("a2", false, 5);
  active_chat(a1.id);
  pending_chat(a1.id);
  ended_chat(a2.id);  // ended chats do not count
  std::vector<AgentLoad> seen;
  std::optional<Id> pointer_seen = -1;
  RoutingDecision spy = [&](const RoutingSnapshot& s) {
    seen.assign(s.agents.begin(), s.agents.end());
    pointer_seen = s.global_pointer;
    return core::RouteChoice{};
  };
  auto out =
      store().request_chat(request_from(visitor().id, form("V", "v@example.com")), spy, tick());
  ASSERT_TRUE(out.ok());
  std::sort(seen.begin(), seen.end(), [](auto& x, auto& y) { return x.agent.id < y.agent.id; });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].agent.id, a1.id);
  EXPECT_TRUE(seen[0].agent.override_state && seen[0].agent.override_state->available);
  EXPECT_EQ(seen[0].open_chats, 2);
  EXPECT_EQ(seen[0].agent.max_chats, 2);
  EXPECT_EQ(seen[1].agent.id, a2.id);
  EXPECT_FALSE(seen[1].agent.override_state);
  EXPECT_EQ(seen[1].open_chats, 0);
  EXPECT_EQ(pointer_seen, a2.id);  // the last chat was offered to a2
}

TEST_P(StoreContract, RequestChatWithNobodyEligibleIsMissedWithTheFallbackEvent) {
  agent("away", /*available=*/false);
  auto v = visitor();
  auto t = tick();
  auto out =
      store().request_chat(request_from(v.id, form("Vera", "vera@example.com")), round_robin(), t);
  ASSERT_TRUE(out.ok());
  const auto& c = out->conversation;
  EXPECT_EQ(c.status, core::ConversationStatus::missed);
  EXPECT_FALSE(c.agent_id);
  EXPECT_EQ(c.end_reason, "no_agent");
  EXPECT_EQ(c.ended_at, t);
  EXPECT_EQ(c.last_seq, 2);
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].kind, "chat.requested");
  EXPECT_EQ(out->events[0].seq, 1);
  EXPECT_EQ(out->events[1].kind, "chat.missed");
  EXPECT_EQ(out->events[1].seq, 2);
  EXPECT_EQ(out->events[1].sender, core::SenderKind::system);
  EXPECT_EQ(out->events[1].body, "We are away; book a meeting instead.");
  auto stored = store().events_after(c.id, 0, 10);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].body, "We are away; book a meeting instead.");
  // A missed chat is not open: the visitor may ask again.
  EXPECT_TRUE(
      store()
          .request_chat(request_from(v.id, form("Vera", "vera@example.com")), round_robin(), tick())
          .ok());
}

TEST_P(StoreContract, RequestChatStartsTheLogWithChatRequestedAsSeqOne) {
  auto a = agent("ann");
  auto v = visitor();
  auto t = tick();
  auto f = form("Vera", "vera@example.com");
  f.page_url = "https://shop.example.com/cart";
  auto out = store().request_chat(request_from(v.id, f), round_robin(), t);
  ASSERT_TRUE(out.ok());
  const auto& c = out->conversation;
  EXPECT_EQ(c.visitor_id, v.id);
  EXPECT_EQ(c.agent_id, a.id);
  EXPECT_EQ(c.page_url, "https://shop.example.com/cart");
  EXPECT_EQ(c.created_at, t);
  EXPECT_EQ(c.last_activity_at, t);
  EXPECT_EQ(c.last_seq, 1);
  EXPECT_FALSE(c.ended_at);
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].kind, "chat.requested");
  EXPECT_EQ(out->events[0].seq, 1);
  EXPECT_EQ(out->events[0].conversation_id, c.id);
  EXPECT_EQ(out->events[0].sender, core::SenderKind::system);
  EXPECT_EQ(store().find_conversation(c.id)->status, core::ConversationStatus::pending);
}

TEST_P(StoreContract, SecondRequestWhileAChatIsOpenIsConflict) {
  auto a = agent("ann");
  auto v = visitor();
  auto first = pending_chat(a.id, v.id);
  auto again =
      store().request_chat(request_from(v.id, form("V", "v@example.com")), round_robin(), tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::conflict);

  ASSERT_TRUE(store().accept_chat(first.id, a.id, tick()).ok());
  again =
      store().request_chat(request_from(v.id, form("V", "v@example.com")), round_robin(), tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::conflict);

  ASSERT_TRUE(store().end_conversation(first.id, "visitor", tick()).ok());
  EXPECT_TRUE(
      store()
          .request_chat(request_from(v.id, form("V", "v@example.com")), round_robin(), tick())
          .ok());
}

TEST_P(StoreContract, RequestChatForUnknownVisitorIsNotFound) {
  agent("ann");
  auto out =
      store().request_chat(request_from(999, form("V", "v@example.com")), round_robin(), tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, core::ErrorCode::not_found);
}

TEST_P(StoreContract, TwoVisitorsWithTheSameEmailInAnyCaseShareOnePerson) {
  auto v1 = visitor(), v2 = visitor();
  auto f1 = form("Vera Stone", "Vera@Example.com");
  f1.job_title = "CTO";
  f1.phone = "+1 555 0100";
  ASSERT_TRUE(store().request_chat(request_from(v1.id, f1), route_to(std::nullopt), tick()).ok());
  auto f2 = form("Vera S.", "vera@EXAMPLE.COM");
  f2.company = "Stone Inc";  // job title and phone absent: the stored ones stay
  ASSERT_TRUE(store().request_chat(request_from(v2.id, f2), route_to(std::nullopt), tick()).ok());

  auto p1 = store().visitor_profile(v1.id), p2 = store().visitor_profile(v2.id);
  ASSERT_TRUE(p1 && p1->person && p2 && p2->person);
  EXPECT_EQ(p1->person->id, p2->person->id);
  EXPECT_EQ(p1->visitor.person_id, p1->person->id);
  EXPECT_EQ(p2->person->email, "vera@example.com");
  EXPECT_EQ(p2->person->name, "Vera S.");  // given fields win
  EXPECT_EQ(p2->person->job_title, "CTO");
  EXPECT_EQ(p2->person->phone, "+1 555 0100");
  EXPECT_EQ(p2->person->company, "Stone Inc");
  EXPECT_FALSE(p2->person->crm_status);
}

TEST_P(StoreContract, RequestChatWritesAFormFilledActivity) {
  agent("ann");
  auto v = visitor();
  auto t = tick();
  auto out =
      store().request_chat(request_from(v.id, form("Vera", "vera@example.com")), round_robin(), t);
  ASSERT_TRUE(out.ok());
  auto acts = store().activities(v.id, 0, 10);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].type, "form_filled");
  EXPECT_EQ(acts[0].at, t);
  EXPECT_EQ(acts[0].conversation_id, out->conversation.id);
  // Stored as a record: the sentence and the fields (core/activity_record.hpp).
  EXPECT_EQ(acts[0].detail, core::activity::form_filled_record(form("Vera", "vera@example.com")));
}

TEST_P(StoreContract, LatestConversationOfVisitorIsTheNewest) {
  auto a = agent("ann");
  auto v = visitor();
  EXPECT_FALSE(store().latest_conversation_of_visitor(v.id));
  auto first = ended_chat(a.id, v.id);
  auto second = pending_chat(a.id, v.id);
  auto latest = store().latest_conversation_of_visitor(v.id);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->id, second.id);
  EXPECT_NE(first.id, second.id);
  EXPECT_FALSE(store().find_conversation(second.id + 1000));
}

}  // namespace
}  // namespace parley::store::testing
