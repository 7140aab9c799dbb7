// Contract: agents (unique lower-cased email, case-insensitive login lookup) and sessions.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, CreateAgentStoresEmailLowerCasedAndStartsUnavailable) {
  auto created =
      store().create_agent({"Ann", "Ann.Smith@Example.COM", "hash", core::Role::admin, 3});
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->email, "ann.smith@example.com");
  EXPECT_EQ(created->role, core::Role::admin);
  EXPECT_EQ(created->max_chats, 3);
  EXPECT_FALSE(created->available);
  EXPECT_TRUE(created->active);
  auto found = store().find_agent(created->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "ann.smith@example.com");
}

TEST_P(StoreContract, DuplicateAgentEmailIsConflictWhateverItsCase) {
  ASSERT_TRUE(store().create_agent({"Ann", "ann@example.com", "h"}).ok());
  auto again = store().create_agent({"Other Ann", "ANN@Example.com", "h"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::conflict);
  EXPECT_EQ(store().list_agents().size(), 1u);
}

TEST_P(StoreContract, AgentLoginLookupIsCaseInsensitiveAndReturnsTheHash) {
  auto a = agent("bob");
  auto login = store().find_agent_login("BOB@Example.Com");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->agent.id, a.id);
  EXPECT_EQ(login->password_hash, "$argon2id$stub");
  EXPECT_FALSE(store().find_agent_login("nobody@example.com"));
}

TEST_P(StoreContract, UnknownAgentIsAbsent) {
  EXPECT_FALSE(store().find_agent(12345));
  auto r = store().set_agent_available(12345, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::not_found);
}

TEST_P(StoreContract, AvailabilityToggleIsStored) {
  auto a = agent("cy", /*available=*/false);
  EXPECT_TRUE(store().set_agent_available(a.id, true)->available);
  EXPECT_TRUE(store().find_agent(a.id)->available);
  EXPECT_FALSE(store().set_agent_available(a.id, false)->available);
  EXPECT_FALSE(store().find_agent(a.id)->available);
}

TEST_P(StoreContract, ListAgentsIsInIdOrder) {
  auto a = agent("a1"), b = agent("a2"), c = agent("a3");
  auto all = store().list_agents();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, a.id);
  EXPECT_EQ(all[1].id, b.id);
  EXPECT_EQ(all[2].id, c.id);
}

TEST_P(StoreContract, SessionIsFoundUntilItExpires) {
  auto a = agent("dee");
  store().create_session("tok-hash", a.id, 5000);
  EXPECT_EQ(store().find_session("tok-hash", 4999), a.id);
  EXPECT_FALSE(store().find_session("tok-hash", 5000));
  EXPECT_FALSE(store().find_session("tok-hash", 6000));
  EXPECT_FALSE(store().find_session("other-hash", 1000));
}

TEST_P(StoreContract, DeletedSessionIsNotFound) {
  auto a = agent("eve");
  store().create_session("tok-1", a.id, 10'000);
  store().create_session("tok-2", a.id, 10'000);
  store().delete_session("tok-1");
  EXPECT_FALSE(store().find_session("tok-1", 1));
  EXPECT_EQ(store().find_session("tok-2", 1), a.id);
  store().delete_session("never-existed");  // not an error
}

}  // namespace
}  // namespace parley::store::testing
