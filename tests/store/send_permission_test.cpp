// Contract: the store decides who may send (core::may_send) on the row it writes, for the
// blocking append, the asynchronous one, and a burst the writer takes as one batch
// (PostgreSQL: one set statement, whose SQL condition must agree with core's rule).
#include <map>
#include <mutex>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using core::ErrorCode;

core::Actor admin_actor(Id id) { return {core::SenderKind::agent, id, core::Viewer{id, true}}; }

TEST_P(StoreContract, AVisitorCannotSendIntoAnotherVisitorsChat) {
  auto a = agent("ann");
  auto mine = active_chat(a.id), theirs = active_chat(a.id);
  auto out = store().append_message(
      {theirs.id, core::Actor::of_visitor(mine.visitor_id), "psst", "x-1"}, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::not_found);
  EXPECT_EQ(store().find_conversation(theirs.id)->last_seq, theirs.last_seq);
}

TEST_P(StoreContract, AnAgentCannotSendIntoAnotherAgentsLiveChatButAnAdminCan) {
  auto ann = agent("ann"), bob = agent("bob");
  auto anns = active_chat(ann.id);
  auto out = store().append_message({anns.id, core::Actor::of_agent(bob), "hi", "b-1"}, tick());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::not_found);  // hidden from bob: never revealed
  EXPECT_EQ(store().find_conversation(anns.id)->last_seq, anns.last_seq);

  auto by_admin = store().append_message({anns.id, admin_actor(bob.id), "admin here", "b-2"}, tick());
  ASSERT_TRUE(by_admin.ok()) << by_admin.error().message;
  EXPECT_EQ(by_admin->message.sender, core::SenderKind::agent);
  EXPECT_EQ(by_admin->message.agent_id, bob.id);
  EXPECT_EQ(by_admin->message.seq, anns.last_seq + 1);
}

TEST_P(StoreContract, AnAgentWhoMayReadAnEndedChatStillCannotSendIntoIt) {
  auto ann = agent("ann"), bob = agent("bob");
  auto ended = ended_chat(ann.id);
  for (const core::Actor& who : {core::Actor::of_agent(ann), core::Actor::of_agent(bob)}) {
    auto out = store().append_message({ended.id, who, "late", "l-" + std::to_string(who.id)}, tick());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, ErrorCode::conflict);
  }
}

TEST_P(StoreContract, ARetriedClientIdIsAnsweredOnlyToWhoMayReadTheChat) {
  auto ann = agent("ann"), bob = agent("bob");
  auto c = active_chat(ann.id);
  auto stored = send(c.id, "secret", "s-1", core::SenderKind::agent, ann.id);
  auto other = active_chat(ann.id);
  // Another visitor, or another agent, guessing the client id learns nothing of the message.
  for (const core::Actor& who :
       {core::Actor::of_visitor(other.visitor_id), core::Actor::of_agent(bob)}) {
    auto out = store().append_message({c.id, who, "guess", "s-1"}, tick());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, ErrorCode::not_found);
  }
  auto retry = store().append_message({c.id, core::Actor::of_agent(ann), "secret", "s-1"}, tick());
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->message.id, stored.id);
}

// The same rule inside one burst: allowed and refused sends interleaved over two chats, each
// answered by its own rule, the allowed ones numbered without gaps.
TEST_P(StoreContract, ABurstDecidesEachSendByItsAuthor) {
  auto ann = agent("ann"), bob = agent("bob");
  auto first = active_chat(ann.id), second = active_chat(ann.id);
  struct Send {
    Id conversation;
    core::Actor author;
    ErrorCode expected;  // ErrorCode::internal stands for "stored"
    std::optional<Result<AppendOutcome>> answer;
  };
  std::vector<Send> sends;
  for (int i = 0; i < 40; ++i) {
    const core::Conversation& chat = i % 2 == 0 ? first : second;
    const core::Conversation& elsewhere = i % 2 == 0 ? second : first;
    switch (i % 5) {
      case 0: sends.push_back({chat.id, core::Actor::of_visitor(chat.visitor_id), ErrorCode::internal, {}}); break;
      case 1: sends.push_back({chat.id, core::Actor::of_agent(ann), ErrorCode::internal, {}}); break;
      case 2: sends.push_back({chat.id, core::Actor::of_visitor(elsewhere.visitor_id), ErrorCode::not_found, {}}); break;
      case 3: sends.push_back({chat.id, core::Actor::of_agent(bob), ErrorCode::not_found, {}}); break;
      case 4: sends.push_back({chat.id, admin_actor(bob.id), ErrorCode::internal, {}}); break;
    }
  }
  std::mutex mutex;
  for (std::size_t i = 0; i < sends.size(); ++i) {
    store().append_message_async(
        {sends[i].conversation, sends[i].author, "m" + std::to_string(i), "p" + std::to_string(i)},
        tick(), [&, i](Result<AppendOutcome> r) {
          std::lock_guard lock(mutex);
          sends[i].answer.emplace(std::move(r));
        });
  }
  store().flush();
  std::lock_guard lock(mutex);
  std::map<Id, std::int64_t> next{{first.id, first.last_seq + 1}, {second.id, second.last_seq + 1}};
  for (std::size_t i = 0; i < sends.size(); ++i) {
    ASSERT_TRUE(sends[i].answer) << i;
    const auto& r = *sends[i].answer;
    if (sends[i].expected == ErrorCode::internal) {
      ASSERT_TRUE(r.ok()) << i << ": " << r.error().message;
      EXPECT_EQ(next[sends[i].conversation]++, r->message.seq) << i;
    } else {
      ASSERT_FALSE(r.ok()) << i;
      EXPECT_EQ(sends[i].expected, r.error().code) << i;
    }
  }
  EXPECT_EQ(store().find_conversation(first.id)->last_seq, next[first.id] - 1);
  EXPECT_EQ(store().find_conversation(second.id)->last_seq, next[second.id] - 1);
}

}  // namespace
}  // namespace parley::store::testing
