// Contract: the agent's language setting (issue 13) is stored with the other settings, starts
// as "" (follow the browser) and is read back by every agent query.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, AgentLanguageStartsEmptyAndIsStoredWithTheSettings) {
  auto a = agent("cy");
  EXPECT_EQ("", a.language);
  core::AgentSettings s{"Europe/Stockholm", {}, 4, true, "sv"};
  auto updated = store().update_agent_settings(a.id, s);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ("sv", updated->language);
  EXPECT_EQ("sv", store().find_agent(a.id)->language);
  EXPECT_EQ("sv", store().find_agent_login("cy@example.com")->agent.language);

  s.language = "en";
  ASSERT_TRUE(store().update_agent_settings(a.id, s).ok());
  EXPECT_EQ("en", store().find_agent(a.id)->language);
  s.language = "";
  ASSERT_TRUE(store().update_agent_settings(a.id, s).ok());
  EXPECT_EQ("", store().find_agent(a.id)->language);
}

TEST_P(StoreContract, AgentLanguageIsOnlyThatAgents) {
  auto a = agent("cy"), b = agent("di");
  ASSERT_TRUE(store().update_agent_settings(a.id, {"UTC", {}, 10, true, "sv"}).ok());
  EXPECT_EQ("sv", store().find_agent(a.id)->language);
  EXPECT_EQ("", store().find_agent(b.id)->language);
  for (const auto& listed : store().list_agents()) {
    EXPECT_EQ(listed.id == a.id ? "sv" : "", listed.language) << listed.name;
  }
}

}  // namespace
}  // namespace parley::store::testing
