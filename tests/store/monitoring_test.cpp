// Contract: the monitoring area — group-commit batches are reported to the observer with a
// name per writer, the queue depth drains to 0, pending offers are counted across agents, and
// the write probe commits (and says so).
#include <map>
#include <mutex>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

struct RecordingObserver : WriteObserver {
  std::mutex mutex;
  std::map<std::string, std::size_t> jobs_by_writer;
  std::size_t batches = 0;
  double longest = 0;
  void batch_written(std::string_view writer, std::size_t jobs, double seconds) override {
    std::lock_guard lock(mutex);
    jobs_by_writer[std::string(writer)] += jobs;
    ++batches;
    longest = std::max(longest, seconds);
  }
};

TEST_P(StoreContract, MessageBatchesAreReportedToTheWriteObserver) {
  RecordingObserver observer;
  store().observe_writes(&observer);
  auto alice = agent("alice");
  auto a = active_chat(alice.id);
  auto b = active_chat(alice.id);
  for (int i = 0; i < 3; ++i) {
    send(a.id, "to a " + std::to_string(i), "a" + std::to_string(i));
    send(b.id, "to b " + std::to_string(i), "b" + std::to_string(i));
  }
  store().flush();
  store().observe_writes(nullptr);
  std::lock_guard lock(observer.mutex);
  std::size_t jobs = 0;
  for (const auto& [writer, n] : observer.jobs_by_writer) {
    EXPECT_TRUE(writer == "sqlite" || writer.starts_with("postgresql-")) << writer;
    jobs += n;
  }
  EXPECT_GE(jobs, 6u) << "every message was in a reported batch";
  EXPECT_GE(observer.batches, 1u);
  EXPECT_GT(observer.longest, 0.0);
  EXPECT_LT(observer.longest, 30.0);
  EXPECT_EQ(0u, store().write_queue_depth()) << "flushed: nothing waits";
}

TEST_P(StoreContract, PendingOffersAreCountedAcrossAgentsUntilAccepted) {
  EXPECT_EQ(0, store().count_pending_offers());
  auto alice = agent("alice");
  auto bob = agent("bob");
  auto to_alice = pending_chat(alice.id);
  pending_chat(bob.id);
  pending_chat(std::nullopt);  // missed: nobody to offer it to
  active_chat(bob.id);
  EXPECT_EQ(2, store().count_pending_offers());
  ASSERT_TRUE(store().accept_chat(to_alice.id, alice.id, tick()).ok());
  EXPECT_EQ(1, store().count_pending_offers());
}

TEST_P(StoreContract, TheWriteProbeCommitsAndLeavesThePolicyAlone) {
  auto before = store().load_chat_policy();
  EXPECT_EQ(std::nullopt, store().probe_write(tick()));
  EXPECT_EQ(std::nullopt, store().probe_write(tick())) << "a second probe overwrites the first";
  auto after = store().load_chat_policy();
  EXPECT_EQ(before.accept_timeout, after.accept_timeout);
  EXPECT_EQ(before.fallback_message, after.fallback_message);
}

}  // namespace
}  // namespace parley::store::testing
