// Contract: the asynchronous append behaves as the blocking one, answers once durable, and
// flush() returns only after every earlier write has been answered.
#include <map>
#include <mutex>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, AsyncAppendsAreAnsweredInSubmissionOrderAndFlushWaitsForThem) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  std::mutex mutex;
  std::vector<std::int64_t> seqs;
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) {
    NewMessage m{c.id, core::Actor::of_visitor(c.visitor_id), "m" + std::to_string(i),
                 "async-" + std::to_string(i)};
    store().append_message_async(m, tick(), [&](Result<AppendOutcome> r) {
      std::lock_guard lock(mutex);
      seqs.push_back(r.ok() ? r->message.seq : -1);
    });
  }
  store().flush();
  std::lock_guard lock(mutex);
  ASSERT_EQ(kMessages, static_cast<int>(seqs.size()));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(c.last_seq + 1 + i, seqs[i]);
  EXPECT_EQ(c.last_seq + kMessages, store().find_conversation(c.id)->last_seq);
}

TEST_P(StoreContract, AsyncAppendReportsExpectedFailuresAndDuplicates) {
  auto a = agent("ann");
  auto ended = ended_chat(a.id);
  auto live = active_chat(a.id);
  send(live.id, "first", "dup");
  std::optional<Result<AppendOutcome>> to_ended, duplicate;
  store().append_message_async({ended.id, core::Actor::of_visitor(ended.visitor_id), "x", "e1"},
                               tick(), [&](Result<AppendOutcome> r) { to_ended.emplace(r); });
  store().append_message_async({live.id, core::Actor::of_visitor(live.visitor_id), "first", "dup"},
                               tick(), [&](Result<AppendOutcome> r) { duplicate.emplace(r); });
  store().flush();
  ASSERT_TRUE(to_ended && duplicate);
  EXPECT_EQ("conflict", error_code(to_ended->error()));
  ASSERT_TRUE(duplicate->ok());
  EXPECT_TRUE((*duplicate)->duplicate);
}

// A burst the writer takes as few batches (PostgreSQL writes a batch's appends with one
// statement): chats interleaved, a client id repeated inside the burst, an ended chat, a
// message without a client id. Each chat's messages keep their order and contiguous seqs.
TEST_P(StoreContract, ABurstOverSeveralChatsKeepsEachChatsOrderAndItsDuplicates) {
  auto a = agent("ann");
  auto first = active_chat(a.id), second = active_chat(a.id);
  auto ended = ended_chat(a.id);
  struct Sent {
    Id conversation;
    Id visitor;
    std::string client_id;
    std::optional<Result<AppendOutcome>> answer;
  };
  std::vector<Sent> sent;
  for (int i = 0; i < 60; ++i) {
    const core::Conversation& chat = i % 3 == 0 ? first : i % 3 == 1 ? second : ended;
    std::string client_id = "b" + std::to_string(i);
    if (i == 30) client_id = "b27";  // a retry of message 27 (same chat) inside the burst
    if (i == 33) client_id = "";     // no client id: never a duplicate
    sent.push_back({chat.id, chat.visitor_id, client_id, std::nullopt});
  }
  std::mutex mutex;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    NewMessage m{sent[i].conversation, core::Actor::of_visitor(sent[i].visitor),
                 "text " + std::to_string(i), sent[i].client_id};
    store().append_message_async(m, tick(), [&, i](Result<AppendOutcome> r) {
      std::lock_guard lock(mutex);
      sent[i].answer.emplace(std::move(r));
    });
  }
  store().flush();
  std::lock_guard lock(mutex);
  std::map<Id, std::int64_t> next{{first.id, first.last_seq + 1}, {second.id, second.last_seq + 1}};
  for (std::size_t i = 0; i < sent.size(); ++i) {
    ASSERT_TRUE(sent[i].answer) << i;
    const auto& r = *sent[i].answer;
    if (sent[i].conversation == ended.id) {
      ASSERT_FALSE(r.ok()) << i;
      EXPECT_EQ("conflict", error_code(r.error()));
      continue;
    }
    ASSERT_TRUE(r.ok()) << i << ": " << r.error().message;
    if (i == 30) {
      EXPECT_TRUE(r->duplicate);
      EXPECT_EQ(sent[27].answer->value().message.id, r->message.id);
      EXPECT_EQ("text 27", r->message.body);
      continue;
    }
    EXPECT_FALSE(r->duplicate) << i;
    EXPECT_EQ(next[sent[i].conversation]++, r->message.seq) << i;
    EXPECT_EQ("text " + std::to_string(i), r->message.body);
  }
  // What is stored is what was answered, in the same order.
  for (auto c : {first.id, second.id}) {
    auto events = store().events_after(c, 0, 1000);
    EXPECT_EQ(next[c] - 1, store().find_conversation(c)->last_seq);
    std::vector<std::string> bodies;
    for (const auto& e : events) {
      if (e.kind == "text") bodies.push_back(e.body);
    }
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < sent.size(); ++i) {
      if (sent[i].conversation == c && i != 30) expected.push_back("text " + std::to_string(i));
    }
    EXPECT_EQ(expected, bodies);
  }
}

}  // namespace
}  // namespace parley::store::testing
