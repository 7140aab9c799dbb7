#include "core/routing.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace parley::core {
namespace {

std::vector<RoutingCandidate> five_available() {
  std::vector<RoutingCandidate> c;
  for (Id id = 1; id <= 5; ++id) c.push_back({id, true, 0, 10, true, true});
  return c;
}

TEST(RoutingTest, FirstRequestGoesToTheLowestId) {
  auto c = five_available();
  EXPECT_EQ(1, pick_round_robin(c, std::nullopt));
}

TEST(RoutingTest, AfterAgentThreeOfFiveComeFourFiveThenOne) {
  auto c = five_available();
  std::optional<Id> last = 3;
  std::vector<Id> order;
  for (int i = 0; i < 4; ++i) {
    last = pick_round_robin(c, last);
    order.push_back(*last);
  }
  EXPECT_EQ((std::vector<Id>{4, 5, 1, 2}), order);
}

TEST(RoutingTest, UnavailableAndFullAgentsAreSkipped) {
  auto c = five_available();
  c[3].available = false;                 // agent 4
  c[4].open_chats = c[4].max_chats;       // agent 5 is at their limit
  EXPECT_EQ(1, pick_round_robin(c, 3));
  c[4].open_chats = c[4].max_chats - 1;   // one slot frees up
  EXPECT_EQ(5, pick_round_robin(c, 3));
}

TEST(RoutingTest, AnAvailableAgentWithoutTheInboxOpenIsSkipped) {
  auto c = five_available();
  c[3].online = false;  // agent 4: available by schedule, no Inbox open anywhere
  EXPECT_EQ(5, pick_round_robin(c, 3));
  for (auto& a : c) a.online = false;
  EXPECT_EQ(std::nullopt, pick_round_robin(c, 3));
}

TEST(RoutingTest, NobodyEligibleMeansNoAgent) {
  auto c = five_available();
  for (auto& a : c) a.available = false;
  EXPECT_EQ(std::nullopt, pick_round_robin(c, 2));
  EXPECT_EQ(std::nullopt, pick_round_robin({}, std::nullopt));
}

TEST(RoutingTest, OrderOfCandidatesDoesNotMatter) {
  std::vector<RoutingCandidate> c{{9, true, 0, 10, true, true}, {2, true, 0, 10, true, true}, {5, true, 0, 10, true, true}};
  EXPECT_EQ(5, pick_round_robin(c, 2));
  EXPECT_EQ(9, pick_round_robin(c, 5));
  EXPECT_EQ(2, pick_round_robin(c, 9));
}

TEST(RoutingTest, PointerAtARemovedAgentContinuesWithTheNextId) {
  auto c = five_available();
  c.erase(c.begin() + 2);  // agent 3 deleted after being the last one assigned
  EXPECT_EQ(4, pick_round_robin(c, 3));
}

}  // namespace
}  // namespace parley::core
