// The Store contract of missed chats and their follow-up: every agent lists them (the Missed
// filter), one claim wins a race, release and done only by the holder, the count, and the
// form's question kept as the visitor's first message.
#include <atomic>
#include <thread>
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

std::vector<Id> listed(Store& s, core::Viewer viewer, StatusFilter filter) {
  ConversationQuery q;
  q.viewer = viewer;
  q.filter = filter;
  q.limit = 100;
  std::vector<Id> ids;
  for (const auto& row : s.list_conversations(q)) ids.push_back(row.conversation.id);
  return ids;
}

TEST_P(StoreContract, EveryAgentListsMissedChatsAndTheMissedFilterListsOnlyThem) {
  auto ann = agent("ann"), bob = agent("bob");
  auto missed = pending_chat(std::nullopt);
  auto ended = ended_chat(bob.id);
  auto own_active = active_chat(ann.id);
  auto lapsed = pending_chat(bob.id);  // offered to Bob, then missed
  ASSERT_TRUE(store().end_conversation(lapsed.id, "no_answer", tick()).ok());

  auto all = listed(store(), {ann.id, false}, StatusFilter::all);
  EXPECT_EQ((std::vector<Id>{lapsed.id, own_active.id, ended.id, missed.id}), all);
  EXPECT_EQ((std::vector<Id>{lapsed.id, missed.id}), listed(store(), {ann.id, false}, StatusFilter::missed));
  EXPECT_EQ((std::vector<Id>{own_active.id}), listed(store(), {ann.id, false}, StatusFilter::active));
  EXPECT_EQ(2, store().count_awaiting_followup());
}

TEST_P(StoreContract, AClaimIsKeptShownAndLoggedAndASecondClaimIsRefused) {
  auto ann = agent("ann"), bob = agent("bob");
  auto missed = pending_chat(std::nullopt);
  auto at = tick();
  auto claimed = store().claim_followup(missed.id, ann.id, at);
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  EXPECT_EQ("followup.claimed", claimed->event.kind);
  EXPECT_EQ("ann", claimed->event.body);
  EXPECT_EQ(claimed->event.seq, claimed->conversation.last_seq);

  auto again = store().claim_followup(missed.id, bob.id, tick());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ("conflict", error_code(again.error()));

  auto f = store().find_followup(missed.id).value();
  EXPECT_EQ(ann.id, f.agent_id);
  EXPECT_EQ("ann", f.agent_name);
  EXPECT_EQ(at, f.claimed_at);
  EXPECT_FALSE(f.done_at);
  // Bob's list shows who has it.
  ConversationQuery q;
  q.viewer = {bob.id, false};
  q.filter = StatusFilter::missed;
  auto rows = store().list_conversations(q);
  ASSERT_EQ(1u, rows.size());
  ASSERT_TRUE(rows[0].followup);
  EXPECT_EQ("ann", rows[0].followup->agent_name);
  EXPECT_EQ(ann.id, store().find_summary(missed.id)->followup->agent_id);
  EXPECT_EQ(1, store().count_awaiting_followup());  // claimed, not yet done
}

TEST_P(StoreContract, OnlyAMissedChatCanBeClaimed) {
  auto ann = agent("ann");
  auto active = active_chat(ann.id), ended = ended_chat(ann.id), pending = pending_chat(ann.id);
  for (Id id : {active.id, ended.id, pending.id}) {
    auto out = store().claim_followup(id, ann.id, tick());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ("conflict", error_code(out.error()));
    EXPECT_FALSE(store().find_followup(id));
  }
  EXPECT_EQ("not_found", error_code(store().claim_followup(active.id + 1000, ann.id, tick()).error()));
}

TEST_P(StoreContract, TwoAgentsClaimingAtOnceExactlyOneWins) {
  constexpr int kAgents = 8;
  std::vector<core::Agent> agents;
  for (int i = 0; i < kAgents; ++i) agents.push_back(agent("agent" + std::to_string(i)));
  for (int round = 0; round < 5; ++round) {
    auto missed = pending_chat(std::nullopt);
    std::atomic<int> won{0}, lost{0};
    std::atomic<Id> winner{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kAgents; ++i) {
      threads.emplace_back([&, i] {
        auto out = store().claim_followup(missed.id, agents[i].id, tick());
        if (out.ok()) {
          ++won;
          winner = agents[i].id;
        } else if (error_code(out.error()) == "conflict") {
          ++lost;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(1, won.load());
    EXPECT_EQ(kAgents - 1, lost.load());
    EXPECT_EQ(winner.load(), store().find_followup(missed.id)->agent_id);
    // One followup.claimed event in the log, whoever won.
    int claims = 0;
    for (const auto& e : store().events_after(missed.id, 0, 100)) claims += e.kind == "followup.claimed";
    EXPECT_EQ(1, claims);
  }
}

TEST_P(StoreContract, ReleaseAndDoneOnlyWhileHeldByTheClaimerNamed) {
  auto ann = agent("ann"), bob = agent("bob");
  auto missed = pending_chat(std::nullopt);
  ASSERT_TRUE(store().claim_followup(missed.id, ann.id, tick()).ok());
  // The claim is Ann's: a release or done that names Bob as the claimer changes nothing.
  EXPECT_EQ("conflict", error_code(store().release_followup(missed.id, bob.id, bob.id, tick()).error()));
  EXPECT_EQ("conflict", error_code(store().finish_followup(missed.id, bob.id, bob.id, tick()).error()));
  EXPECT_EQ(ann.id, store().find_followup(missed.id)->agent_id);

  auto released = store().release_followup(missed.id, ann.id, ann.id, tick());
  ASSERT_TRUE(released.ok());
  EXPECT_EQ("followup.released", released->event.kind);
  EXPECT_FALSE(store().find_followup(missed.id));
  EXPECT_FALSE(store().find_summary(missed.id)->followup);

  // Free again: Bob claims it and finishes.
  ASSERT_TRUE(store().claim_followup(missed.id, bob.id, tick()).ok());
  auto at = tick();
  auto done = store().finish_followup(missed.id, bob.id, bob.id, at);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ("followup.done", done->event.kind);
  EXPECT_EQ(std::optional<Millis>(at), store().find_followup(missed.id)->done_at);
  EXPECT_EQ(0, store().count_awaiting_followup());
  // Done is final: no release, no second done, no new claim.
  EXPECT_EQ("conflict", error_code(store().release_followup(missed.id, bob.id, bob.id, tick()).error()));
  EXPECT_EQ("conflict", error_code(store().finish_followup(missed.id, bob.id, bob.id, tick()).error()));
  EXPECT_EQ("conflict", error_code(store().claim_followup(missed.id, ann.id, tick()).error()));
}

TEST_P(StoreContract, TheFormsQuestionIsTheVisitorsFirstMessageOfAMissedOrPendingChat) {
  auto ann = agent("ann");
  auto f = form("Vera", "vera@example.com");
  f.question = "Do you ship to Norway?";
  auto missed = store().request_chat({visitor().id, f, "Sorry, nobody is here"}, route_to(std::nullopt), tick());
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(3u, missed->events.size());
  EXPECT_EQ("chat.requested", missed->events[0].kind);
  EXPECT_EQ("text", missed->events[1].kind);
  EXPECT_EQ(core::SenderKind::visitor, missed->events[1].sender);
  EXPECT_EQ("Do you ship to Norway?", missed->events[1].body);
  EXPECT_EQ("chat.missed", missed->events[2].kind);
  EXPECT_EQ("Do you ship to Norway?", store().find_summary(missed->conversation.id)->last_text.value());

  auto pending = store().request_chat({visitor().id, f, "fallback"}, route_to(ann.id), tick());
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ("Do you ship to Norway?", store().pending_offers(ann.id).at(0).last_text.value());
}

}  // namespace
}  // namespace parley::store::testing
