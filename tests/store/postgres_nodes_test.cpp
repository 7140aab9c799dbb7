// Two nodes on one PostgreSQL database: two PgStore instances (each with its own pool and
// group-commit writer, as two `parley serve` processes have) race on the actions the
// contract settles in the database. Exactly one accept, one stored message per client id,
// one booking among overlapping slots, a round-robin without repeats, imports that replace.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace parley::store {
namespace {

constexpr Millis kHour = 3'600'000;

struct TwoNodes : ::testing::Test {
  std::unique_ptr<Store> a, b;
  void SetUp() override {
    const char* base = std::getenv("PARLEY_TEST_PG");
    if (!base) GTEST_SKIP() << "PARLEY_TEST_PG is not set: run through CTest (make test)";
    static std::atomic<int> n{0};
    std::string schema = "n" + std::to_string(getpid()) + "_" + std::to_string(++n);
    postgres::PgConnection(base).exec("CREATE SCHEMA " + schema);
    std::string conninfo = std::string(base) + " options='-csearch_path=" + schema + "'";
    a = open_postgres_store(conninfo);
    b = open_postgres_store(conninfo);
  }
  Store& node(int i) { return i % 2 ? *a : *b; }
  // Runs body(i) on `n` threads at once, alternating nodes.
  template <class F>
  void race(int n, F body) {
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back([&, i] { body(i); });
    for (auto& t : threads) t.join();
  }
};

RoutingDecision to(Id agent) {
  return [agent](const RoutingSnapshot&) {
    return core::RouteChoice{agent, core::RouteStage::global, {}};
  };
}

core::MeetingCalendar every_day() {
  core::MeetingCalendar c;
  for (int d = 1; d <= 7; ++d) c.blocks.blocks.push_back({d, 9 * 60, 17 * 60});
  return c;
}

// Free unless one of the agent's meetings overlaps the hour from `start`.
SlotCheck hour_at(Millis start) {
  return [start](const CalendarState& s) -> std::optional<core::TimeRange> {
    for (const auto& m : s.meetings) {
      if (m.start < start + kHour && start < m.end) return std::nullopt;
    }
    return core::TimeRange{start, start + kHour};
  };
}

DescribeMeeting words() {
  return [](const core::Meeting& m) {
    return MeetingWords{"meeting " + std::to_string(m.id), "detail " + std::to_string(m.id)};
  };
}

TEST_F(TwoNodes, NodesStartingTogetherReadOneClusterId) {
  // The first start of a cluster: every node asks at once, one id is made, all read it.
  std::mutex m;
  std::set<std::string> ids;
  race(16, [&](int i) {
    auto id = node(i).cluster_id();
    std::lock_guard lock(m);
    ids.insert(id);
  });
  ASSERT_EQ(1u, ids.size());
  EXPECT_EQ(32u, ids.begin()->size());
}

TEST_F(TwoNodes, OneAcceptWinsAndAClientIdIsStoredOnce) {
  auto agent = a->create_agent({"Ann", "ann@example.com", "h", core::Role::agent, 100}).value();
  for (int round = 0; round < 10; ++round) {
    auto v = a->create_visitor("token" + std::to_string(round), 1000);
    core::PreChatForm f;
    f.name = "Vera";
    f.email = "vera@example.com";
    auto c = b->request_chat({v.id, f, "fallback"}, to(agent.id), 2000).value().conversation;

    std::atomic<int> won{0}, conflicts{0};
    race(8, [&](int i) {
      auto r = node(i).accept_chat(c.id, agent.id, 3000);
      if (r) ++won;
      else if (r.error().code == core::ErrorCode::conflict) ++conflicts;
    });
    ASSERT_EQ(1, won.load());
    ASSERT_EQ(7, conflicts.load());

    // One client id sent through both nodes at once, blocking and through group commit.
    std::atomic<int> fresh{0}, duplicates{0};
    std::mutex mutex;
    std::set<Id> ids;
    race(8, [&](int i) {
      NewMessage m{c.id, core::Actor::of_visitor(c.visitor_id), "hello", "same-id"};
      auto take = [&](Result<AppendOutcome> r) {
        if (!r) {
          ADD_FAILURE() << r.error().message;
          return;
        }
        (r->duplicate ? duplicates : fresh)++;
        std::lock_guard lock(mutex);
        ids.insert(r->message.id);
      };
      if (i < 4) take(node(i).append_message(m, 4000));
      else node(i).append_message_async(m, 4000, take);
    });
    a->flush();
    b->flush();
    ASSERT_EQ(1, fresh.load());
    ASSERT_EQ(7, duplicates.load());
    ASSERT_EQ(1u, ids.size());
    ASSERT_TRUE(b->end_conversation(c.id, "agent", 5000));
  }
}

TEST_F(TwoNodes, OverlappingBookingsBookOnceAndTheCalendarRoundRobinHasNoRepeats) {
  std::vector<Id> agents;
  for (int i = 0; i < 3; ++i) {
    auto name = "agent" + std::to_string(i);
    auto agent = a->create_agent({name, name + "@example.com", "h", core::Role::agent, 10}).value();
    ASSERT_TRUE(a->save_calendar(agent.id, every_day(), std::nullopt));
    agents.push_back(agent.id);
  }
  // Different starts a minute apart, each overlapping all others: no unique index keeps
  // them apart, only the booking transaction's lock.
  std::atomic<int> booked{0};
  race(16, [&](int i) {
    NewMeeting m{agents[0], std::nullopt, std::nullopt, "v@example.com", "manage" + std::to_string(i)};
    if (node(i).book_meeting(m, hour_at(50 * kHour + i * 60'000), words(), 1)) ++booked;
  });
  EXPECT_EQ(1, booked.load());

  std::mutex mutex;
  std::map<Id, int> picks;
  race(6, [&](int i) {
    for (int k = 0; k < 5; ++k) {
      auto pick = node(i).next_bookable_calendar();
      std::lock_guard lock(mutex);
      ++picks[pick->agent_id];
    }
  });
  for (Id agent : agents) EXPECT_EQ(10, picks[agent]) << "agent " << agent;

  race(8, [&](int i) { node(i).replace_busy_times(agents[1], {{1, 2}, {3, 4}, {5, 6}}, 100 + i); });
  EXPECT_EQ(3, a->load_calendar(agents[1]).busy_count);
}

}  // namespace
}  // namespace parley::store
