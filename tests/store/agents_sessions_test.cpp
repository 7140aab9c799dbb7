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
  EXPECT_FALSE(created->override_state);  // no toggle yet
  EXPECT_EQ(created->time_zone, "UTC");
  EXPECT_TRUE(created->schedule.blocks.empty());
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
  auto r = store().set_availability_override(12345, true, now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::not_found);
}

TEST_P(StoreContract, AvailabilityToggleIsStoredWithItsTime) {
  auto a = agent("cy", /*available=*/false);
  EXPECT_FALSE(a.override_state);
  auto on = store().set_availability_override(a.id, true, 1000);
  EXPECT_EQ(on->override_state, (core::AvailabilityOverride{true, 1000}));
  EXPECT_EQ(store().find_agent(a.id)->override_state, (core::AvailabilityOverride{true, 1000}));
  store().set_availability_override(a.id, false, 2000).value();
  EXPECT_EQ(store().find_agent(a.id)->override_state, (core::AvailabilityOverride{false, 2000}));
}

TEST_P(StoreContract, AgentSettingsAreStoredWhole) {
  auto a = agent("cy");
  core::AgentSettings s{"Europe/Stockholm",
                        core::Schedule{{{5, 480, 720}, {5, 780, 1020}, {6, 1320, 120}}}, 4, false};
  auto updated = store().update_agent_settings(a.id, s);
  ASSERT_TRUE(updated.ok());
  auto found = store().find_agent(a.id).value();
  EXPECT_EQ("Europe/Stockholm", found.time_zone);
  EXPECT_EQ(s.schedule, found.schedule);
  EXPECT_EQ(4, found.max_chats);
  EXPECT_FALSE(found.sound);
  EXPECT_EQ(core::ErrorCode::not_found, store().update_agent_settings(4242, s).error().code);
}

TEST_P(StoreContract, DueStatusChecksAreClaimedOnceAndRescheduled) {
  auto a = agent("cy"), b = agent("di");
  store().schedule_status_check(a.id, 5000);
  store().schedule_status_check(b.id, 9000);
  auto due = store().claim_status_checks(6000, [](const core::Agent&) { return 20000; });
  ASSERT_EQ(1u, due.size());
  EXPECT_EQ(a.id, due[0].id);
  EXPECT_TRUE(store().claim_status_checks(6000, [](const core::Agent&) { return 1; }).empty());
  // By 20000 both are due: b (9000) and a (rescheduled to 20000); then neither is scheduled.
  auto later = [](const core::Agent&) { return std::optional<Millis>{}; };
  EXPECT_EQ(2u, store().claim_status_checks(20000, later).size());
  EXPECT_TRUE(store().claim_status_checks(99999, later).empty());
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
