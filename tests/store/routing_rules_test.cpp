// Contract: the stored routing rules (teams kept by name with their pointers, account rules
// upserted, unknown agents refused), and routing under contention: however many requests,
// re-offers and sweeps run at once, no agent goes over max_chats, a lapse is settled once and
// each due status check is claimed once.
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

core::RoutingRules two_teams(Id a, Id b, Id c) {
  core::RoutingRules rules;
  rules.teams = {{0, "Sales", {a, b}, std::nullopt}, {0, "Support", {c}, std::nullopt}};
  rules.custom = {{0, 1, {{"company", core::Condition::Op::contains, "acme"}}, std::nullopt, 2}};
  rules.accounts = {{0, core::AccountRule::Kind::domain, "Globex.COM", c}};
  rules.default_team = 1;
  return rules;
}

TEST_P(StoreContract, RoutingRulesRoundTripWithStoredTeamIds) {
  auto a = agent("a1"), b = agent("a2"), c = agent("a3");
  EXPECT_TRUE(store().load_routing_rules().teams.empty());
  ASSERT_TRUE(store().save_routing_rules(two_teams(a.id, b.id, c.id)).ok());
  auto rules = store().load_routing_rules();
  ASSERT_EQ(2u, rules.teams.size());
  EXPECT_EQ("Sales", rules.teams[0].name);
  EXPECT_EQ((std::vector<Id>{a.id, b.id}), rules.teams[0].members);
  EXPECT_EQ("Support", rules.teams[1].name);
  EXPECT_FALSE(rules.teams[0].last_assigned);
  ASSERT_EQ(1u, rules.custom.size());
  EXPECT_EQ(rules.teams[1].id, rules.custom[0].team_id);  // list position 2 -> stored id
  ASSERT_EQ(1u, rules.custom[0].conditions.size());
  EXPECT_EQ("company", rules.custom[0].conditions[0].attribute);
  EXPECT_EQ(core::Condition::Op::contains, rules.custom[0].conditions[0].op);
  EXPECT_EQ("acme", rules.custom[0].conditions[0].value);
  ASSERT_EQ(1u, rules.accounts.size());
  EXPECT_EQ("globex.com", rules.accounts[0].value);  // stored lower-cased
  EXPECT_EQ(c.id, rules.accounts[0].agent_id);
  EXPECT_EQ(rules.teams[0].id, rules.default_team);
}

TEST_P(StoreContract, TeamsKeepTheirIdAndPointerAcrossSavesAndUnlistedTeamsGo) {
  auto a = agent("a1"), b = agent("a2"), c = agent("a3");
  ASSERT_TRUE(store().save_routing_rules(two_teams(a.id, b.id, c.id)).ok());
  Id sales = store().load_routing_rules().teams[0].id;
  // No rule matches: the default team (Sales) routes, and its pointer moves.
  auto out = store().request_chat({visitor().id, form("V", "v@example.com"), "fallback"},
                                  round_robin(), tick());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(a.id, out->conversation.agent_id);
  auto rules = store().load_routing_rules();
  EXPECT_EQ(a.id, rules.teams[0].last_assigned);

  core::RoutingRules next;
  next.teams = {{0, "Sales", {b.id}, std::nullopt}};
  ASSERT_TRUE(store().save_routing_rules(next).ok());
  rules = store().load_routing_rules();
  ASSERT_EQ(1u, rules.teams.size());
  EXPECT_EQ(sales, rules.teams[0].id);
  EXPECT_EQ(a.id, rules.teams[0].last_assigned);
  EXPECT_EQ(std::vector<Id>{b.id}, rules.teams[0].members);
  EXPECT_TRUE(rules.custom.empty());
  EXPECT_TRUE(rules.accounts.empty());
  EXPECT_FALSE(rules.default_team);
}

TEST_P(StoreContract, SavingRulesThatNameAnUnknownAgentOrTeamChangesNothing) {
  auto a = agent("a1"), b = agent("a2"), c = agent("a3");
  ASSERT_TRUE(store().save_routing_rules(two_teams(a.id, b.id, c.id)).ok());
  auto before = store().load_routing_rules();
  auto bad = two_teams(a.id, b.id, 4242);
  bad.teams[0].name = "Renamed";
  EXPECT_EQ("bad_request", error_code(store().save_routing_rules(bad).error()));
  auto no_team = two_teams(a.id, b.id, c.id);
  no_team.default_team = 3;
  EXPECT_EQ("bad_request", error_code(store().save_routing_rules(no_team).error()));
  auto after = store().load_routing_rules();
  ASSERT_EQ(before.teams.size(), after.teams.size());
  EXPECT_EQ("Sales", after.teams[0].name);
  EXPECT_EQ(before.teams[0].id, after.teams[0].id);
  EXPECT_EQ(before.accounts.size(), after.accounts.size());
  EXPECT_EQ(before.custom.size(), after.custom.size());
}

TEST_P(StoreContract, AccountRulesAreUpsertedByKindAndValue) {
  auto a = agent("a1"), b = agent("a2");
  std::vector<core::AccountRule> rows = {
      {0, core::AccountRule::Kind::domain, " Acme.com ", a.id},
      {0, core::AccountRule::Kind::company, "Örebro Bygg AB", a.id},
  };
  EXPECT_EQ(2, store().upsert_account_rules(rows).value());
  rows = {{0, core::AccountRule::Kind::domain, "ACME.COM", b.id}};
  EXPECT_EQ(1, store().upsert_account_rules(rows).value());
  auto accounts = store().load_routing_rules().accounts;
  ASSERT_EQ(2u, accounts.size());
  EXPECT_EQ("acme.com", accounts[0].value);
  EXPECT_EQ(b.id, accounts[0].agent_id);
  EXPECT_EQ(core::AccountRule::Kind::company, accounts[1].kind);
  EXPECT_EQ(core::lowercase_ascii("Örebro Bygg AB"), accounts[1].value);
  rows = {{0, core::AccountRule::Kind::domain, "x.com", 4242}};
  EXPECT_EQ("bad_request", error_code(store().upsert_account_rules(rows).error()));
}

TEST_P(StoreContract, RequestChatLowerCasesTheEmailAsciiOnly) {
  agent("a1");
  auto v = visitor();
  auto out = store().request_chat({v.id, form("Åsa", "ÅSA.Berg@Example.se"), "fallback"},
                                  round_robin(), tick());
  ASSERT_TRUE(out.ok()) << out.error().message;
  auto profile = store().visitor_profile(v.id);
  ASSERT_TRUE(profile && profile->person);
  EXPECT_EQ(core::lowercase_ascii("ÅSA.Berg@Example.se"), profile->person->email);
}

TEST_P(StoreContract, ConcurrentRequestsNeverGiveAnAgentMoreThanMaxChats) {
  auto a1 = agent("a1", true, 2), a2 = agent("a2", true, 1);
  std::vector<Id> visitors;
  for (int i = 0; i < kThreads; ++i) visitors.push_back(visitor().id);
  std::mutex m;
  std::map<Id, int> per_agent;
  int missed = 0;
  run_threads([&](int i) {
    ChatRequest r{visitors[i], form("V", "v" + std::to_string(i) + "@example.com"), "fallback"};
    auto out = store().request_chat(r, round_robin(), tick());
    ASSERT_TRUE(out.ok()) << out.error().message;
    std::lock_guard lock(m);
    if (out->conversation.agent_id) {
      per_agent[*out->conversation.agent_id]++;
    } else {
      ++missed;
    }
  });
  EXPECT_EQ(2, per_agent[a1.id]);
  EXPECT_EQ(1, per_agent[a2.id]);
  EXPECT_EQ(kThreads - 3, missed);
}

TEST_P(StoreContract, ConcurrentRequestsOfOneVisitorOpenOneChat) {
  agent("a1");
  auto v = visitor();
  std::atomic<int> opened{0}, conflicts{0};
  run_threads([&](int) {
    auto out = store().request_chat({v.id, form("V", "v@example.com"), "fallback"},
                                    round_robin(), tick());
    if (out.ok()) {
      ++opened;
    } else if (out.error().code == core::ErrorCode::conflict) {
      ++conflicts;
    }
  });
  EXPECT_EQ(1, opened.load());
  EXPECT_EQ(kThreads - 1, conflicts.load());
}

TEST_P(StoreContract, ConcurrentSweepsOfOneLapseReofferItOnce) {
  auto a = agent("ann");
  agent("bob");
  agent("cat");
  auto c = pending_chat(a.id);
  Reoffer lapse{c.id, a.id, c.offer_expires_at.value(), {}};
  std::atomic<int> wins{0}, conflicts{0};
  Millis t = tick();
  run_threads([&](int) {
    auto out = store().reoffer(lapse, toggle_round_robin(), t);
    if (out.ok()) {
      ++wins;
    } else if (out.error().code == core::ErrorCode::conflict) {
      ++conflicts;
    }
  });
  EXPECT_EQ(1, wins.load());
  EXPECT_EQ(kThreads - 1, conflicts.load());
  auto now_c = store().find_conversation(c.id).value();
  EXPECT_EQ(2, now_c.offers_made);
  EXPECT_NE(a.id, now_c.agent_id);
}

TEST_P(StoreContract, ConcurrentClaimsOfDueStatusChecksClaimEachAgentOnce) {
  std::vector<Id> agents;
  for (int i = 0; i < 20; ++i) {
    agents.push_back(agent("s" + std::to_string(i)).id);
    store().schedule_status_check(agents.back(), 1000 + i);
  }
  std::mutex m;
  std::multiset<Id> claimed;
  run_threads([&](int) {
    for (int round = 0; round < 3; ++round) {
      auto due = store().claim_status_checks(5000, [](const core::Agent&) { return 90'000; });
      std::lock_guard lock(m);
      for (const auto& agent : due) claimed.insert(agent.id);
    }
  });
  EXPECT_EQ(agents.size(), claimed.size());
  EXPECT_EQ(std::set<Id>(agents.begin(), agents.end()),
            std::set<Id>(claimed.begin(), claimed.end()));
}

}  // namespace
}  // namespace parley::store::testing
