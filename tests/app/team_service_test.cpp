// TeamService (issue 13): what deactivation does to live work, and that every team action
// is the admins' while an agent changes only their own profile and password.
#include "app/team_service.hpp"

#include "app/credentials.hpp"
#include "core/team.hpp"
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

using core::ConversationStatus;

class TeamServiceTest : public AppTest {
 protected:
  TeamService team() { return TeamService(*node().store, node().chats, node().agents, node().clock); }
  core::Agent admin() {
    auto a = node().auth.create_agent("Ada Admin", "ada@example.com", "password123", core::Role::admin);
    EXPECT_TRUE(a.ok());
    return *a;
  }
};

TEST_F(TeamServiceTest, DeactivationEndsActiveChatsAndMovesOffersOnAtOnce) {
  set_policy(100'000, 10 * 60'000);
  auto ada = admin();
  auto ann = agent("ann");
  auto live = request();
  ASSERT_EQ(ann.id, live.agent_id);
  ASSERT_TRUE(node().chats.accept(ann, live.id).ok());
  auto waiting = request();  // offered to ann too (the only one here)
  ASSERT_EQ(ann.id, waiting.agent_id);
  auto bob = agent("bob");
  auto ann_feed = listen(bus::agent_topic(ann.id));
  auto bob_feed = listen(bus::agent_topic(bob.id));
  auto chat_feed = listen(bus::conversation_topic(live.id));

  auto off = team().deactivate(ada, ann.id);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->active);

  // The active chat ended, with its reason, and its subscribers were told.
  auto ended = node().store->find_conversation(live.id).value();
  EXPECT_EQ(ConversationStatus::ended, ended.status);
  EXPECT_EQ("agent_deactivated", ended.end_reason);
  auto events = chat_feed->all<bus::ConversationEvent>();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ("chat.ended", events.back().message.kind);
  // The waiting request went to bob before its window ended.
  auto moved = node().store->find_conversation(waiting.id).value();
  EXPECT_EQ(ConversationStatus::pending, moved.status);
  EXPECT_EQ(bob.id, moved.agent_id);
  EXPECT_FALSE(bob_feed->all<bus::ChatRequested>().empty());
  // Ann's sockets learn it (they close on this) and she is offered nothing more.
  auto statuses = ann_feed->all<bus::AgentStatusChanged>();
  ASSERT_FALSE(statuses.empty());
  EXPECT_FALSE(statuses.back().agent.active);
  for (int i = 0; i < 3; ++i) EXPECT_NE(ann.id, request().agent_id);
  // History stays: the ended chat and its messages are all there.
  EXPECT_GE(node().store->events_after(live.id, 0, 100).size(), 3u);
}

TEST_F(TeamServiceTest, EveryTeamActionIsRefusedToAgentsWhoAreNotAdmins) {
  auto ann = agent("ann");
  auto bob = agent("bob");
  auto forbidden = core::ErrorCode::forbidden;
  EXPECT_EQ(forbidden, team().add(ann, {"Mal", "mal@example.com", core::Role::agent, true, 10, std::nullopt}).error().code);
  MemberEdit promote;
  promote.role = core::Role::admin;
  EXPECT_EQ(forbidden, team().edit(ann, ann.id, promote).error().code);
  EXPECT_EQ(forbidden, team().edit(ann, bob.id, promote).error().code);
  EXPECT_EQ(forbidden, team().password_link(ann, bob.id).error().code);
  EXPECT_EQ(forbidden, team().deactivate(ann, bob.id).error().code);
  EXPECT_EQ(forbidden, team().reactivate(ann, bob.id).error().code);
  EXPECT_EQ(core::Role::agent, node().store->find_agent(ann.id)->role);
  EXPECT_TRUE(node().store->find_agent(bob.id)->active);
}

TEST_F(TeamServiceTest, AProfileEditChangesOnlyTheCallersNameAndInitials) {
  auto ann = agent("ann");
  ProfileEdit edit;
  edit.name = "Ann Lee";
  edit.initials = "al";
  auto updated = team().update_profile(ann, edit);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ("Ann Lee", updated->name);
  EXPECT_EQ("AL", updated->initials);
  EXPECT_EQ(core::Role::agent, updated->role);
  EXPECT_EQ(ann.max_chats, updated->max_chats);
  edit.initials = "<b>";
  EXPECT_EQ(core::ErrorCode::bad_request, team().update_profile(ann, edit).error().code);
}

TEST_F(TeamServiceTest, AnInvitedAgentSignsInOnlyAfterUsingTheLink) {
  auto ada = admin();
  auto added = team().add(ada, {"Nora", "nora@example.com", core::Role::agent, false, 5, std::nullopt});
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_FALSE(added->agent.takes_chats);
  ASSERT_TRUE(added->invitation);
  EXPECT_EQ(node().clock() + core::team::kPasswordLinkLifetime, added->invitation->expires_at);
  EXPECT_FALSE(node().auth.login("nora@example.com", "nora password").ok());
  EXPECT_EQ("Nora", team().link_owner(added->invitation->token)->name);
  ASSERT_TRUE(team().set_password_with_link(added->invitation->token, "nora password").ok());
  EXPECT_TRUE(node().auth.login("nora@example.com", "nora password").ok());
  EXPECT_EQ(core::ErrorCode::not_found,
            team().set_password_with_link(added->invitation->token, "other password").error().code);
  // The link expires after 72 hours.
  auto link = team().password_link(ada, added->agent.id).value();
  now_ += core::team::kPasswordLinkLifetime;
  EXPECT_EQ(core::ErrorCode::not_found, team().link_owner(link.token).error().code);
}

TEST_F(TeamServiceTest, ChangingTheOwnPasswordNeedsTheCurrentOne) {
  auto ann = agent("ann");
  auto wrong = team().change_password(ann, "not it at all", "new password 1", "");
  EXPECT_EQ(core::ErrorCode::forbidden, wrong.error().code);
  EXPECT_EQ(core::ErrorCode::bad_request,
            team().change_password(ann, "password123", "short", "").error().code);
  ASSERT_TRUE(team().change_password(ann, "password123", "new password 1", "").ok());
  EXPECT_TRUE(node().auth.login("ann@example.com", "new password 1").ok());
  EXPECT_FALSE(node().auth.login("ann@example.com", "password123").ok());
}

}  // namespace
}  // namespace parley::app::testing
