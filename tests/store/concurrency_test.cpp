// Contract under contention: conflicting writes from many threads are settled by the
// store, never by the caller — one accept wins, seqs stay contiguous, a client id is stored once.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

constexpr int kThreads = 8;

template <class F>
void run_threads(F&& body) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      body(i);
    });
  }
  go = true;
  for (auto& t : threads) t.join();
}

TEST_P(StoreContract, ConcurrentAcceptsOfOnePendingChatHaveExactlyOneWinner) {
  auto a = agent("ann");
  auto c = pending_chat(a.id);
  std::atomic<int> wins{0}, conflicts{0}, other{0};
  Millis t = tick();
  run_threads([&](int) {
    auto out = store().accept_chat(c.id, a.id, t);
    if (out.ok())
      ++wins;
    else if (out.error().code == core::ErrorCode::conflict)
      ++conflicts;
    else
      ++other;
  });
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(store().events_after(c.id, 0, 100).size(), 2u);  // one chat.accepted
}

TEST_P(StoreContract, ConcurrentAppendsGetContiguousSeqsWithoutDuplicates) {
  constexpr int kPerThread = 25;
  auto a = agent("ann");
  auto c = active_chat(a.id);
  std::atomic<int> failures{0};
  Millis t = tick();
  run_threads([&](int thread) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string id = "t" + std::to_string(thread) + "-" + std::to_string(i);
      auto out = store().append_message({c.id, core::Actor::of_visitor(c.visitor_id), id, id}, t);
      if (!out.ok() || out->duplicate) ++failures;
    }
  });
  EXPECT_EQ(failures.load(), 0);
  auto events = store().events_after(c.id, 0, 10'000);
  ASSERT_EQ(events.size(), std::size_t(2 + kThreads * kPerThread));
  std::set<std::string> bodies;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, std::int64_t(i + 1));
    if (events[i].kind == "text") bodies.insert(events[i].body);
  }
  EXPECT_EQ(bodies.size(), std::size_t(kThreads * kPerThread));
  EXPECT_EQ(store().find_conversation(c.id)->last_seq, std::int64_t(events.size()));
}

TEST_P(StoreContract, ConcurrentSendsWithOneClientIdStoreOneMessage) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  std::atomic<int> fresh{0}, duplicates{0};
  std::mutex m;
  std::set<Id> ids;
  Millis t = tick();
  run_threads([&](int) {
    auto out =
        store().append_message({c.id, core::Actor::of_visitor(c.visitor_id), "hi", "same"}, t);
    ASSERT_TRUE(out.ok());
    (out->duplicate ? duplicates : fresh)++;
    std::lock_guard lock(m);
    ids.insert(out->message.id);
  });
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(duplicates.load(), kThreads - 1);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(store().events_after(c.id, 0, 100).size(), 3u);
}

TEST_P(StoreContract, ConcurrentRequestsAreRoutedRoundRobinWithoutSkipsOrRepeats) {
  auto a1 = agent("a1"), a2 = agent("a2");
  std::vector<Id> visitors;
  for (int i = 0; i < kThreads; ++i) visitors.push_back(visitor().id);
  std::mutex m;
  std::map<Id, int> per_agent;
  run_threads([&](int i) {
    ChatRequest r{visitors[i], form("V", "v@example.com"), "fallback"};
    auto out = store().request_chat(r, round_robin(), tick());
    ASSERT_TRUE(out.ok());
    std::lock_guard lock(m);
    per_agent[out->conversation.agent_id.value()]++;
  });
  EXPECT_EQ(per_agent[a1.id], kThreads / 2);
  EXPECT_EQ(per_agent[a2.id], kThreads / 2);
}

}  // namespace
}  // namespace parley::store::testing
