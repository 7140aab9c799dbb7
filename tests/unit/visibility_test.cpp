#include "core/visibility.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

constexpr Id kMe = 1, kOther = 2;
const Viewer me{kMe, false};
const Viewer admin{99, true};

TEST(VisibilityTest, AgentSeesOwnActiveButNeverAnotherAgentsActive) {
  EXPECT_TRUE(can_view(me, ConversationStatus::active, kMe));
  EXPECT_FALSE(can_view(me, ConversationStatus::active, kOther));
}

TEST(VisibilityTest, EveryEndedConversationIsVisibleToEveryAgent) {
  EXPECT_TRUE(can_view(me, ConversationStatus::ended, kMe));
  EXPECT_TRUE(can_view(me, ConversationStatus::ended, kOther));
}

TEST(VisibilityTest, PendingRequestIsVisibleOnlyToTheAgentItIsOfferedTo) {
  EXPECT_TRUE(can_view(me, ConversationStatus::pending, kMe));
  EXPECT_FALSE(can_view(me, ConversationStatus::pending, kOther));
  EXPECT_FALSE(can_view(me, ConversationStatus::pending, std::nullopt));
}

TEST(VisibilityTest, MissedChatsAreEndedChatsEveryAgentSees) {
  EXPECT_TRUE(can_view(me, ConversationStatus::missed, std::nullopt));
  EXPECT_TRUE(can_view(me, ConversationStatus::missed, kMe));
  EXPECT_TRUE(can_view(me, ConversationStatus::missed, kOther));  // offered to Other, lapsed
}

TEST(VisibilityTest, TheMissedFilterListsOnlyMissedChats) {
  EXPECT_TRUE(listed_in_inbox(me, ConversationStatus::missed, kOther, StatusFilter::missed));
  EXPECT_TRUE(listed_in_inbox(me, ConversationStatus::missed, std::nullopt, StatusFilter::all));
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::missed, std::nullopt, StatusFilter::active));
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::ended, kMe, StatusFilter::missed));
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::active, kMe, StatusFilter::missed));
  EXPECT_FALSE(listed_in_inbox(admin, ConversationStatus::pending, kMe, StatusFilter::missed));
}

TEST(VisibilityTest, ViewAllSeesEverything) {
  for (auto s : {ConversationStatus::pending, ConversationStatus::active, ConversationStatus::ended,
                 ConversationStatus::missed}) {
    EXPECT_TRUE(can_view(admin, s, kOther));
  }
}

TEST(VisibilityTest, AnActivityOfAnotherAgentsLiveChatLosesItsLinkAndDetail) {
  Activity a;
  a.type = "chat_started";
  a.detail = "Bob Other";
  a.conversation_id = 5;
  a.at = 1234;
  Conversation c;
  c.id = 5;
  c.status = ConversationStatus::active;
  c.agent_id = kOther;
  auto bare = visible_part(me, a, c);
  EXPECT_EQ("chat_started", bare.type);
  EXPECT_EQ(1234, bare.at);
  EXPECT_FALSE(bare.conversation_id);
  EXPECT_EQ("", bare.detail);
  EXPECT_EQ(std::optional<Id>(5), visible_part(admin, a, c).conversation_id);
  c.agent_id = kMe;
  EXPECT_EQ("Bob Other", visible_part(me, a, c).detail);
  c.agent_id = kOther;
  c.status = ConversationStatus::ended;
  auto whole = visible_part(me, a, c);
  EXPECT_EQ(std::optional<Id>(5), whole.conversation_id);
  EXPECT_EQ("Bob Other", whole.detail);
}

TEST(VisibilityTest, OnlyTheAssignedAgentOrAdminActsOnALiveChat) {
  Conversation c;
  c.status = ConversationStatus::active;
  c.agent_id = kMe;
  EXPECT_TRUE(can_act(me, c));
  EXPECT_TRUE(can_act(admin, c));
  EXPECT_FALSE(can_act(Viewer{kOther, false}, c));
  c.status = ConversationStatus::ended;
  EXPECT_FALSE(can_act(me, c));
}

TEST(VisibilityTest, VisitorOwnsOnlyTheirConversations) {
  Conversation c;
  c.visitor_id = 7;
  EXPECT_TRUE(visitor_owns(7, c));
  EXPECT_FALSE(visitor_owns(8, c));
}

}  // namespace
}  // namespace parley::core

namespace parley::core {
namespace {

TEST(InboxListTest, PendingRequestsAreNeverListedEvenForTheirAgent) {
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::pending, kMe, false));
  EXPECT_FALSE(listed_in_inbox(admin, ConversationStatus::pending, kMe, false));
}

TEST(InboxListTest, ActiveFilterKeepsOnlyOwnActiveChats) {
  EXPECT_TRUE(listed_in_inbox(me, ConversationStatus::active, kMe, true));
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::ended, kMe, true));
  EXPECT_FALSE(listed_in_inbox(me, ConversationStatus::active, kOther, true));
  EXPECT_TRUE(listed_in_inbox(me, ConversationStatus::ended, kOther, false));
}

}  // namespace
}  // namespace parley::core
