// Contract: visitors by token, profiles, and the activity history.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, VisitorIsFoundByItsTokenHash) {
  auto v = store().create_visitor("vt-1", 1234);
  EXPECT_GT(v.id, 0);
  EXPECT_EQ(v.created_at, 1234);
  EXPECT_FALSE(v.person_id);
  auto found = store().find_visitor_by_token("vt-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, v.id);
  EXPECT_FALSE(store().find_visitor_by_token("vt-2"));
}

TEST_P(StoreContract, AnonymousVisitorProfileHasNoPerson) {
  auto v = visitor();
  auto profile = store().visitor_profile(v.id);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->visitor.id, v.id);
  EXPECT_FALSE(profile->person);
  EXPECT_FALSE(store().visitor_profile(v.id + 100));
}

TEST_P(StoreContract, ActivitiesAreNewestFirstFromTheCutoffWithinTheLimit) {
  auto v = visitor();
  auto other = visitor();
  for (Millis at : {100, 200, 300, 400}) {
    store().record_activity({0, v.id, "page_visit", "/p" + std::to_string(at), std::nullopt, std::nullopt, at});
  }
  store().record_activity({0, other.id, "page_visit", "/other", std::nullopt, std::nullopt, 350});

  auto recent = store().activities(v.id, 200, 10);
  ASSERT_EQ(recent.size(), 3u);  // 200 is at the cutoff: included
  EXPECT_EQ(recent[0].at, 400);
  EXPECT_EQ(recent[1].at, 300);
  EXPECT_EQ(recent[2].at, 200);
  EXPECT_EQ(recent[0].detail, "/p400");
  EXPECT_EQ(recent[0].visitor_id, v.id);

  auto limited = store().activities(v.id, 0, 2);
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[0].at, 400);
  EXPECT_EQ(limited[1].at, 300);
}

TEST_P(StoreContract, ActivityKeepsItsConversation) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  auto stored = store().record_activity(
      {0, c.visitor_id, "link_clicked", "Docs", "https://x.example/docs", c.id, tick()});
  EXPECT_GT(stored.id, 0);
  auto list = store().activities(c.visitor_id, 0, 1);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].type, "link_clicked");
  EXPECT_EQ(list[0].conversation_id, c.id);
  EXPECT_EQ(list[0].url, "https://x.example/docs");
  EXPECT_EQ(list[0].id, stored.id);
}

}  // namespace
}  // namespace parley::store::testing
