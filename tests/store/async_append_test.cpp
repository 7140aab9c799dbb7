// Contract: the asynchronous append behaves as the blocking one, answers once durable, and
// flush() returns only after every earlier write has been answered.
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
    NewMessage m{c.id, core::SenderKind::visitor, std::nullopt, "m" + std::to_string(i),
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
  store().append_message_async({ended.id, core::SenderKind::visitor, std::nullopt, "x", "e1"},
                               tick(), [&](Result<AppendOutcome> r) { to_ended.emplace(r); });
  store().append_message_async({live.id, core::SenderKind::visitor, std::nullopt, "first", "dup"},
                               tick(), [&](Result<AppendOutcome> r) { duplicate.emplace(r); });
  store().flush();
  ASSERT_TRUE(to_ended && duplicate);
  EXPECT_EQ("conflict", error_code(to_ended->error()));
  ASSERT_TRUE(duplicate->ok());
  EXPECT_TRUE((*duplicate)->duplicate);
}

}  // namespace
}  // namespace parley::store::testing
