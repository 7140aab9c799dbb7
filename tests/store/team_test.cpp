// Contract: team management (issue 13) — account changes and the last-admin guard,
// deactivation (sessions, presence, routing), passwords and single-use links, and the
// visitor panel's person edit. Runs on every adapter (SQLite and PostgreSQL).
#include <thread>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

AgentAccountChange deactivated() {
  AgentAccountChange c;
  c.active = false;
  return c;
}

TEST_P(StoreContract, AccountChangesAreStoredAndUnsetFieldsKept) {
  auto a = agent("ann");
  AgentAccountChange c;
  c.name = "Ann Lee";
  c.role = core::Role::admin;
  c.takes_chats = false;
  c.initials = "AL";
  auto changed = store().update_agent_account(a.id, c);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  auto found = store().find_agent(a.id).value();
  EXPECT_EQ("Ann Lee", found.name);
  EXPECT_EQ(core::Role::admin, found.role);
  EXPECT_FALSE(found.takes_chats);
  EXPECT_EQ("AL", found.initials);
  EXPECT_EQ(10, found.max_chats);  // unset: kept
  EXPECT_TRUE(found.active);
  AgentAccountChange limit;
  limit.max_chats = 2;
  limit.initials = "";
  EXPECT_EQ(2, store().update_agent_account(a.id, limit)->max_chats);
  EXPECT_EQ("", store().find_agent(a.id)->initials);
  EXPECT_EQ("Ann Lee", store().find_agent(a.id)->name);
  EXPECT_EQ(core::ErrorCode::not_found, store().update_agent_account(4242, limit).error().code);
}

TEST_P(StoreContract, TheLastActiveAdminIsNeitherDemotedNorDeactivated) {
  auto ada = agent("ada", true, 10, core::Role::admin);
  agent("bob");  // an agent does not count
  AgentAccountChange demote;
  demote.role = core::Role::agent;
  EXPECT_EQ(core::ErrorCode::conflict, store().update_agent_account(ada.id, demote).error().code);
  EXPECT_EQ(core::ErrorCode::conflict, store().update_agent_account(ada.id, deactivated()).error().code);
  EXPECT_EQ(core::Role::admin, store().find_agent(ada.id)->role);  // nothing changed
  EXPECT_TRUE(store().find_agent(ada.id)->active);
  // A deactivated admin does not count either.
  auto cy = agent("cy", true, 10, core::Role::admin);
  ASSERT_TRUE(store().update_agent_account(cy.id, deactivated()).ok());
  EXPECT_EQ(core::ErrorCode::conflict, store().update_agent_account(ada.id, demote).error().code);
  // With a second active admin, one may go.
  AgentAccountChange back;
  back.active = true;
  ASSERT_TRUE(store().update_agent_account(cy.id, back).ok());
  EXPECT_TRUE(store().update_agent_account(ada.id, demote).ok());
  EXPECT_EQ(core::ErrorCode::conflict, store().update_agent_account(cy.id, deactivated()).error().code);
}

TEST_P(StoreContract, TwoAdminsDemotedAtOnceLeaveOneAdmin) {
  for (int round = 0; round < 5; ++round) {
    auto a = agent("a" + std::to_string(round), true, 10, core::Role::admin);
    auto b = agent("b" + std::to_string(round), true, 10, core::Role::admin);
    // Earlier rounds' admins are demoted first, so these two are the only ones.
    for (const auto& other : store().list_agents()) {
      if (other.id == a.id || other.id == b.id || other.role != core::Role::admin) continue;
      AgentAccountChange d;
      d.role = core::Role::agent;
      ASSERT_TRUE(store().update_agent_account(other.id, d).ok());
    }
    AgentAccountChange demote;
    demote.role = core::Role::agent;
    std::optional<Result<core::Agent>> ra, rb;
    std::thread ta([&] { ra = store().update_agent_account(a.id, demote); });
    std::thread tb([&] { rb = store().update_agent_account(b.id, demote); });
    ta.join();
    tb.join();
    EXPECT_NE(ra->ok(), rb->ok()) << "round " << round;
    int admins = 0;
    for (const auto& x : store().list_agents()) admins += x.role == core::Role::admin && x.active;
    EXPECT_EQ(1, admins);
  }
}

TEST_P(StoreContract, DeactivationEndsSessionsAndPresenceAndRoutingSkipsTheAgent) {
  auto ann = agent("ann");
  store().create_session("ann-1", ann.id, now() + 100'000);
  store().create_session("ann-2", ann.id, now() + 100'000);
  ASSERT_TRUE(store().update_agent_account(ann.id, deactivated()).ok());
  EXPECT_FALSE(store().find_agent(ann.id)->active);
  EXPECT_FALSE(store().find_session("ann-1", now()));
  // Reactivated, the old sessions stay gone: the agent signs in again.
  AgentAccountChange back;
  back.active = true;
  ASSERT_TRUE(store().update_agent_account(ann.id, back).ok());
  EXPECT_FALSE(store().find_session("ann-2", now()));
  // Deactivated again, a request goes to nobody rather than to them.
  ASSERT_TRUE(store().update_agent_account(ann.id, deactivated()).ok());
  auto c = store().request_chat({visitor().id, form("Vera", "vera@example.com"), "Sorry"},
                                round_robin(), tick());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(core::ConversationStatus::missed, c->conversation.status);
}

TEST_P(StoreContract, APendingOfferOfADeactivatedAgentIsDueAtOnce) {
  auto ann = agent("ann");
  auto c = pending_chat(ann.id);
  ASSERT_TRUE(c.offer_expires_at);
  ASSERT_TRUE(store().update_agent_account(ann.id, deactivated()).ok());
  auto due = store().due_offers(now(), 10);  // before the offer's window ended
  ASSERT_EQ(1u, due.size());
  EXPECT_EQ(c.id, due[0].id);
}

TEST_P(StoreContract, PasswordChangesEndOtherSessions) {
  auto ann = agent("ann");
  store().create_session("here", ann.id, now() + 100'000);
  store().create_session("there", ann.id, now() + 100'000);
  ASSERT_TRUE(store().set_agent_password(ann.id, "$argon2id$new", true, "here").ok());
  EXPECT_EQ("$argon2id$new", store().find_agent_login("ann@example.com")->password_hash);
  EXPECT_EQ(ann.id, store().find_session("here", now()));
  EXPECT_FALSE(store().find_session("there", now()));
  ASSERT_TRUE(store().set_agent_password(ann.id, "$argon2id$newer", false).ok());
  EXPECT_EQ(ann.id, store().find_session("here", now()));
  EXPECT_EQ(core::ErrorCode::not_found,
            store().set_agent_password(4242, "h", true).error().code);
}

TEST_P(StoreContract, APasswordLinkWorksOnceUntilItExpires) {
  auto ann = agent("ann");
  store().create_session("old", ann.id, now() + 100'000);
  store().create_password_link("link-1", ann.id, now() + 5000);
  EXPECT_EQ(ann.id, store().find_password_link("link-1", now())->id);
  EXPECT_FALSE(store().find_password_link("link-1", now() + 5000));  // expired then
  EXPECT_FALSE(store().find_password_link("unknown", now()));
  auto used = store().use_password_link("link-1", now(), "$argon2id$set");
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(ann.id, used->id);
  EXPECT_EQ("$argon2id$set", store().find_agent_login("ann@example.com")->password_hash);
  EXPECT_FALSE(store().find_session("old", now()));  // a reset signs everyone out
  EXPECT_EQ(core::ErrorCode::not_found,
            store().use_password_link("link-1", now(), "$argon2id$again").error().code);
  EXPECT_EQ("$argon2id$set", store().find_agent_login("ann@example.com")->password_hash);

  store().create_password_link("late", ann.id, now() + 5000);
  EXPECT_EQ(core::ErrorCode::not_found,
            store().use_password_link("late", now() + 5000, "x").error().code);
}

TEST_P(StoreContract, ANewLinkReplacesTheOldAndDeactivationVoidsThem) {
  auto ann = agent("ann");
  store().create_password_link("first", ann.id, now() + 5000);
  store().create_password_link("second", ann.id, now() + 5000);
  EXPECT_FALSE(store().find_password_link("first", now()));
  EXPECT_TRUE(store().find_password_link("second", now()));
  ASSERT_TRUE(store().update_agent_account(ann.id, deactivated()).ok());
  EXPECT_FALSE(store().find_password_link("second", now()));
  EXPECT_EQ(core::ErrorCode::not_found, store().use_password_link("second", now(), "x").error().code);
}

TEST_P(StoreContract, ALinkIsUsedOnceWhenTwoUseItAtOnce) {
  auto ann = agent("ann");
  store().create_password_link("race", ann.id, now() + 50'000);
  std::optional<Result<core::Agent>> r1, r2;
  std::thread t1([&] { r1 = store().use_password_link("race", now(), "$one"); });
  std::thread t2([&] { r2 = store().use_password_link("race", now(), "$two"); });
  t1.join();
  t2.join();
  EXPECT_NE(r1->ok(), r2->ok());
  auto hash = store().find_agent_login("ann@example.com")->password_hash;
  EXPECT_EQ(r1->ok() ? "$one" : "$two", hash);
}

core::PersonInput person(const std::string& email, std::optional<std::string> name,
                         std::optional<std::string> crm = std::nullopt) {
  core::PersonInput p;
  p.email = email;
  p.name = std::move(name);
  p.crm_status = std::move(crm);
  return p;
}

TEST_P(StoreContract, EditingAVisitorsPersonReplacesTheFieldsWhole) {
  auto ann = agent("ann");
  auto c = active_chat(ann.id);  // the form linked the visitor to vera<id>@example.com
  auto before = store().visitor_profile(c.visitor_id)->person.value();
  auto p = person("vera.v@acme.test", "Vera V", "Customer");
  p.job_title = "CFO";
  auto edited = store().edit_visitor_person(c.visitor_id, p, tick());
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(before.id, edited->id);  // the same person, its email changed
  EXPECT_EQ("vera.v@acme.test", edited->email);
  auto profile = store().visitor_profile(c.visitor_id).value();
  EXPECT_EQ("Vera V", profile.person->name);
  EXPECT_EQ("CFO", profile.person->job_title);
  EXPECT_EQ("Customer", profile.person->crm_status);
  EXPECT_FALSE(store().find_person_by_email(before.email));
  // Unset fields are cleared.
  ASSERT_TRUE(store().edit_visitor_person(c.visitor_id, person("vera.v@acme.test", "Vera"), tick()).ok());
  profile = store().visitor_profile(c.visitor_id).value();
  EXPECT_FALSE(profile.person->crm_status);
  EXPECT_FALSE(profile.person->job_title);
  EXPECT_EQ(core::ErrorCode::not_found,
            store().edit_visitor_person(424242, person("x@example.com", "X"), tick()).error().code);
}

TEST_P(StoreContract, AVisitorWithoutAPersonJoinsOrCreatesOne) {
  auto lone = visitor();
  auto created = store().edit_visitor_person(lone.id, person("new@example.com", "New"), tick());
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id, store().visitor_profile(lone.id)->person->id);
  auto other = visitor();
  auto joined = store().edit_visitor_person(other.id, person("NEW@example.com", "New Name"), tick());
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(created->id, joined->id);  // the person with that email
  EXPECT_EQ("New Name", store().find_person_by_email("new@example.com")->name);
}

TEST_P(StoreContract, AnEmailOfAnotherPersonIsAConflict) {
  auto ann = agent("ann");
  auto c = active_chat(ann.id);
  store().upsert_person(person("taken@example.com", "Someone"), tick());
  auto r = store().edit_visitor_person(c.visitor_id, person("taken@example.com", "Vera"), tick());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(core::ErrorCode::conflict, r.error().code);
  EXPECT_EQ("Someone", store().find_person_by_email("taken@example.com")->name);
}

}  // namespace
}  // namespace parley::store::testing

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, ImportCountsTheNewPeople) {

  store().upsert_person({"known@example.com", "Known", {}, {}, {}, {}}, tick());
  std::vector<core::PersonInput> rows{{"known@example.com", "Known Again", {}, {}, {}, "Customer"},
                                      {"fresh@example.com", "Fresh", {}, {}, {}, "Lead"}};
  EXPECT_EQ(1, store().import_people(rows, tick()));  // one new, one updated
  EXPECT_EQ("Known Again", store().find_person_by_email("known@example.com")->name);
}

}  // namespace
}  // namespace parley::store::testing
