// Contract: presence — an agent is online while some node's report for them is unexpired;
// routing sees it, and an offer to an agent who is no longer online is due at once.
#include <map>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

// Records whether each agent was online in the snapshot a request was routed with.
struct OnlineSeen {
  std::map<Id, bool> online;
  RoutingDecision decide() {
    return [this](const RoutingSnapshot& s) {
      for (const auto& l : s.agents) online[l.agent.id] = l.online;
      return core::RouteChoice{};  // nobody: the request is missed, which is fine here
    };
  }
};

bool online_at(Store& store, Id agent_id, Id visitor_id, Millis at) {
  OnlineSeen seen;
  ChatRequest r{visitor_id, {"V", "v@example.com", {}, {}, {}, ""}, "fallback"};
  EXPECT_TRUE(store.request_chat(r, seen.decide(), at).ok());
  return seen.online.at(agent_id);
}

TEST_P(StoreContract, AnAgentIsOnlineUntilTheLastReportOfAnyNodeExpires) {
  NewAgent n{"Gus", "gus@example.com", "$argon2id$stub", core::Role::agent, 10};
  auto gus = store().create_agent(n).value();
  Millis t = tick();
  EXPECT_FALSE(online_at(store(), gus.id, visitor().id, t)) << "never reported";

  Id ids[] = {gus.id};
  store().report_presence("node-a", ids, t + 15'000);
  store().report_presence("node-b", ids, t + 20'000);
  EXPECT_TRUE(online_at(store(), gus.id, visitor().id, t + 14'999));
  EXPECT_TRUE(online_at(store(), gus.id, visitor().id, t + 19'999)) << "node-b still reports";
  EXPECT_FALSE(online_at(store(), gus.id, visitor().id, t + 20'000)) << "every report expired";

  // A renewal (a heartbeat) extends the node's report; other agents' reports are untouched.
  auto ann = agent("ann");
  store().report_presence("node-a", ids, t + 40'000);
  EXPECT_TRUE(online_at(store(), gus.id, visitor().id, t + 39'999));
  EXPECT_TRUE(online_at(store(), ann.id, visitor().id, t + 39'999));
}

TEST_P(StoreContract, AnOfferToAnAgentWhoWentOfflineIsDueBeforeItsWindowEnds) {
  NewAgent n{"Gus", "gus@example.com", "$argon2id$stub", core::Role::agent, 10};
  auto gus = store().create_agent(n).value();
  Id ids[] = {gus.id};
  Millis t = tick();
  store().report_presence("node-a", ids, t + 15'000);
  ChatRequest r{visitor().id, form("V", "v@example.com"), "fallback", 100'000};
  auto c = store().request_chat(r, route_to(gus.id), t)->conversation;

  EXPECT_TRUE(store().due_offers(t + 14'999, 10).empty()) << "online, inside the window";
  auto due = store().due_offers(t + 15'000, 10);
  ASSERT_EQ(1u, due.size()) << "the node stopped reporting: due long before t + 100 s";
  EXPECT_EQ(c.id, due[0].id);

  // Back (the socket reconnected through another node) before the sweeper got to it.
  store().report_presence("node-b", ids, t + 45'000);
  EXPECT_TRUE(store().due_offers(t + 30'000, 10).empty());
}

}  // namespace
}  // namespace parley::store::testing
