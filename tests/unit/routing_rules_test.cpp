#include <gtest/gtest.h>

#include "core/csv.hpp"
#include "core/routing.hpp"

namespace parley::core {
namespace {

std::vector<RoutingCandidate> available(std::initializer_list<Id> ids) {
  std::vector<RoutingCandidate> c;
  for (Id id : ids) c.push_back({id, true, 0, 10, true, true});
  return c;
}

VisitorFacts visitor(std::string email, std::optional<std::string> company = {}) {
  VisitorFacts v;
  v.email = std::move(email);
  v.company = std::move(company);
  v.job_title = "VP Sales";
  v.page_url = "https://shop.test/pricing";
  return v;
}

TEST(RoutingRulesTest, AccountRuleByDomainOrCompanyComesFirst) {
  RoutingRules rules;
  rules.accounts = {{1, AccountRule::Kind::domain, "acme.com", 4},
                    {2, AccountRule::Kind::company, "globex corp", 5}};
  auto c = available({1, 2, 3, 4, 5});
  auto by_domain = route(rules, visitor("jo@ACME.com"), c, std::nullopt, {}, std::nullopt);
  EXPECT_EQ(4, by_domain.agent_id);
  EXPECT_EQ(RouteStage::account, by_domain.stage);
  EXPECT_EQ(5, route(rules, visitor("x@other.io", "Globex Corp"), c, std::nullopt, {}, std::nullopt).agent_id);
  // The mapped agent unavailable: fall through to the next stages.
  c[3].available = false;
  auto fallthrough = route(rules, visitor("jo@acme.com"), c, std::nullopt, {}, std::nullopt);
  EXPECT_EQ(RouteStage::global, fallthrough.stage);
  EXPECT_EQ(1, fallthrough.agent_id);
}

TEST(RoutingRulesTest, CustomRulesRunByPriorityAndNeedEveryCondition) {
  RoutingRules rules;
  rules.teams = {{7, "enterprise", {2, 3}, std::nullopt}};
  rules.custom = {
      {1, 20, {{"job_title", Condition::Op::contains, "vp"}}, 5, std::nullopt},
      {2, 10, {{"page_url", Condition::Op::ends_with, "/pricing"}, {"domain", Condition::Op::equals, "big.co"}},
       std::nullopt, 7},
  };
  auto c = available({1, 2, 3, 4, 5});
  // Both match; priority 10 wins and sends it to the team.
  auto both = route(rules, visitor("a@big.co"), c, std::nullopt, {}, std::nullopt);
  EXPECT_EQ(RouteStage::team, both.stage);
  EXPECT_EQ(7, both.team_id);
  EXPECT_EQ(2, both.agent_id);
  // Only the first condition of rule 2 holds: rule 1 (priority 20) applies.
  auto one = route(rules, visitor("a@small.co"), c, std::nullopt, {}, std::nullopt);
  EXPECT_EQ(RouteStage::custom, one.stage);
  EXPECT_EQ(5, one.agent_id);
}

TEST(RoutingRulesTest, TeamRoundRobinUsesTheTeamsPointer) {
  RoutingRules rules;
  rules.teams = {{7, "support", {2, 4, 6}, 4}};
  rules.default_team = 7;
  auto c = available({1, 2, 3, 4, 5, 6});
  auto r = route(rules, visitor("a@b.co"), c, 1, {}, std::nullopt);
  EXPECT_EQ(RouteStage::team, r.stage);
  EXPECT_EQ(6, r.agent_id);  // after 4 in the team comes 6
  // Nobody of the team available: the global pool.
  for (auto& x : c) x.available = x.agent_id % 2 == 1;
  EXPECT_EQ(RouteStage::global, route(rules, visitor("a@b.co"), c, 1, {}, std::nullopt).stage);
}

TEST(RoutingRulesTest, ATeamRequestGetsOneMoreTeamAgentThenTheGlobalPool) {
  RoutingRules rules;
  rules.teams = {{7, "support", {2, 4, 6}, std::nullopt}};
  auto c = available({1, 2, 3, 4, 5, 6});
  std::vector<Id> tried{2};
  auto second = route(rules, visitor("a@b.co"), c, std::nullopt, tried,
                      PriorRoute{RouteStage::team, 7, 1});
  EXPECT_EQ(RouteStage::team, second.stage);
  EXPECT_EQ(4, second.agent_id);
  tried.push_back(4);
  auto third = route(rules, visitor("a@b.co"), c, std::nullopt, tried,
                     PriorRoute{RouteStage::team, 7, 2});
  EXPECT_EQ(RouteStage::global, third.stage);
  EXPECT_EQ(1, third.agent_id);
}

TEST(RoutingRulesTest, NoAgentIsOfferedTheSameRequestTwice) {
  RoutingRules rules;
  rules.accounts = {{1, AccountRule::Kind::domain, "acme.com", 2}};
  auto c = available({1, 2});
  std::vector<Id> tried{2};
  EXPECT_EQ(1, route(rules, visitor("x@acme.com"), c, std::nullopt, tried, std::nullopt).agent_id);
  tried.push_back(1);
  EXPECT_FALSE(route(rules, visitor("x@acme.com"), c, std::nullopt, tried, std::nullopt).agent_id);
}

TEST(RoutingRulesTest, ConditionOperatorsIgnoreCase) {
  auto v = visitor("Jo@Acme.COM", "ACME Inc");
  EXPECT_TRUE(matches({"domain", Condition::Op::equals, "acme.com"}, v));
  EXPECT_TRUE(matches({"company", Condition::Op::starts_with, "acme"}, v));
  EXPECT_TRUE(matches({"email", Condition::Op::contains, "@acme"}, v));
  EXPECT_FALSE(matches({"phone", Condition::Op::equals, "1"}, v));  // unknown: no match
  EXPECT_FALSE(validate_custom_rule({1, 1, {{"shoe_size", Condition::Op::equals, "9"}}, 1, {}}).ok());
  EXPECT_FALSE(validate_custom_rule({1, 1, {{"email", Condition::Op::equals, "a"}}, 1, 2}).ok());
}

TEST(CsvTest, ParsesQuotesEscapesAndLineEndings) {
  auto rows = parse_csv("kind,value,agent\r\ndomain,acme.com,a@x.co\n\ncompany,\"Smith, \"\"Jr\"\" & Co\",b@x.co");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(3u, rows->size());
  EXPECT_EQ((std::vector<std::string>{"company", "Smith, \"Jr\" & Co", "b@x.co"}), (*rows)[2].cells);
  EXPECT_EQ(4, (*rows)[2].line);  // the blank line 3 yields no row but counts
  EXPECT_FALSE(parse_csv("a,\"open").ok());
  auto bom = parse_csv("\xEF\xBB\xBFkind,value\n");
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ((std::vector<std::string>{"kind", "value"}), (*bom)[0].cells);
}

}  // namespace
}  // namespace parley::core
