// core/team.hpp: account fields, initials, the last-admin rule, who edits a visitor's person.
#include "core/team.hpp"

#include <gtest/gtest.h>

namespace parley::core::team {
namespace {

Agent admin_agent(bool active = true) {
  Agent a;
  a.id = 1;
  a.name = "Ada Admin";
  a.role = Role::admin;
  a.active = active;
  return a;
}

TEST(TeamRulesTest, OnlyAdminsManageTheTeam) {
  Agent agent;
  EXPECT_EQ(ErrorCode::forbidden, require_admin(agent).error().code);
  EXPECT_TRUE(require_admin(admin_agent()).ok());
}

TEST(TeamRulesTest, TheLastActiveAdminStays) {
  auto ada = admin_agent();
  EXPECT_EQ(ErrorCode::conflict, keeps_an_active_admin(ada, Role::agent, true, 0).error().code);
  EXPECT_EQ(ErrorCode::conflict, keeps_an_active_admin(ada, Role::admin, false, 0).error().code);
  EXPECT_EQ(ErrorCode::conflict, keeps_an_active_admin(ada, Role::agent, false, 0).error().code);
  // Another active admin, or no change that matters: fine.
  EXPECT_TRUE(keeps_an_active_admin(ada, Role::agent, true, 1).ok());
  EXPECT_TRUE(keeps_an_active_admin(ada, Role::admin, true, 0).ok());
  // A deactivated admin or an agent is not what keeps the team administered.
  EXPECT_TRUE(keeps_an_active_admin(admin_agent(false), Role::agent, false, 0).ok());
  Agent agent;
  EXPECT_TRUE(keeps_an_active_admin(agent, Role::agent, false, 0).ok());
  EXPECT_NE(std::string::npos,
            keeps_an_active_admin(ada, Role::agent, true, 0).error().message.find("last active admin"));
}

TEST(TeamRulesTest, InitialsAreOneOrTwoLettersOrEmpty) {
  EXPECT_EQ("AL", clean_initials(" al ").value());
  EXPECT_EQ("", clean_initials("").value());
  EXPECT_EQ("å7", clean_initials("å7").value());  // any script; only ASCII is upper-cased
  EXPECT_EQ("Z", clean_initials("z").value());
  for (auto bad : {"ABC", "A B", "<b", "a!", "\xff\xfe", "a\x01", "«»"}) {
    EXPECT_EQ(ErrorCode::bad_request, clean_initials(bad).error().code) << bad;
  }
}

TEST(TeamRulesTest, DefaultInitialsComeFromTheName) {
  EXPECT_EQ("AL", default_initials("Ann Lee"));
  EXPECT_EQ("AL", default_initials("ann  lee-smith"));
  EXPECT_EQ("BO", default_initials("Bo"));
  EXPECT_EQ("ÅÖ", default_initials("Åsa Öberg"));
  EXPECT_EQ("J", default_initials("J"));
  EXPECT_EQ("?", default_initials("--"));
  Agent a;
  a.name = "Ann Lee";
  EXPECT_EQ("AL", initials_of(a));
  a.initials = "XY";
  EXPECT_EQ("XY", initials_of(a));
}

TEST(TeamRulesTest, AccountFieldsAreChecked) {
  EXPECT_EQ("Ann", clean_name("  Ann ").value());
  EXPECT_FALSE(clean_name("   ").ok());
  EXPECT_FALSE(clean_name(std::string(201, 'a')).ok());
  EXPECT_EQ("ann@example.com", clean_email(" Ann@Example.COM ").value());
  EXPECT_FALSE(clean_email("ann").ok());
  EXPECT_FALSE(validate_password("1234567").ok());
  EXPECT_TRUE(validate_password("12345678").ok());
  EXPECT_FALSE(validate_password(std::string(1025, 'x')).ok());
  EXPECT_FALSE(validate_max_chats(0).ok());
  EXPECT_TRUE(validate_max_chats(1).ok());
  EXPECT_TRUE(validate_max_chats(1000).ok());
  EXPECT_FALSE(validate_max_chats(1001).ok());
}

TEST(TeamRulesTest, WhoMayEditAVisitorsPersonFields) {
  const Viewer me{1, false}, admin{9, true};
  Conversation c;
  c.agent_id = 1;
  c.status = ConversationStatus::pending;  // offered to me, not accepted
  EXPECT_FALSE(may_edit_visitor_person(me, c));
  EXPECT_TRUE(may_edit_visitor_person(admin, c));
  c.status = ConversationStatus::active;
  EXPECT_TRUE(may_edit_visitor_person(me, c));
  c.agent_id = 2;  // another agent's live chat
  EXPECT_FALSE(may_edit_visitor_person(me, c));
  EXPECT_TRUE(may_edit_visitor_person(admin, c));
  c.status = ConversationStatus::ended;  // every agent may read an ended chat
  EXPECT_TRUE(may_edit_visitor_person(me, c));
}

}  // namespace
}  // namespace parley::core::team
