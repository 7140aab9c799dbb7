// core::may_send: who may send into (and end) a conversation, as the stores decide it on the
// row they write. sends_as_participant is its common case, which the stores also write in SQL.
#include <gtest/gtest.h>

#include "core/actor.hpp"

namespace parley::core {
namespace {

constexpr Id kAnn = 1, kBob = 2, kVisitor = 7, kOtherVisitor = 8;
const Actor ann{SenderKind::agent, kAnn, Viewer{kAnn, false}};
const Actor bob{SenderKind::agent, kBob, Viewer{kBob, false}};
const Actor admin{SenderKind::agent, 99, Viewer{99, true}};
const Actor visitor = Actor::of_visitor(kVisitor);
const Actor other_visitor = Actor::of_visitor(kOtherVisitor);

Conversation chat(ConversationStatus status, std::optional<Id> agent = kAnn) {
  Conversation c;
  c.status = status;
  c.agent_id = agent;
  c.visitor_id = kVisitor;
  return c;
}

std::optional<ErrorCode> refusal(const Actor& who, const Conversation& c) {
  auto r = may_send(who, c);
  if (r) return std::nullopt;
  return r.error().code;
}

TEST(SendRuleTest, TheTwoParticipantsOfALiveChatMaySend) {
  auto c = chat(ConversationStatus::active);
  EXPECT_EQ(std::nullopt, refusal(visitor, c));
  EXPECT_EQ(std::nullopt, refusal(ann, c));
  EXPECT_TRUE(sends_as_participant(visitor, c));
  EXPECT_TRUE(sends_as_participant(ann, c));
}

TEST(SendRuleTest, WhoCannotReadTheChatIsToldItDoesNotExist) {
  auto c = chat(ConversationStatus::active);
  EXPECT_EQ(ErrorCode::not_found, refusal(other_visitor, c));
  EXPECT_EQ(ErrorCode::not_found, refusal(bob, c));
  EXPECT_FALSE(sends_as_participant(other_visitor, c));
  EXPECT_FALSE(sends_as_participant(bob, c));
}

TEST(SendRuleTest, AChatThatIsNotLiveIsAConflictForWhoMayReadIt) {
  EXPECT_EQ(ErrorCode::conflict, refusal(visitor, chat(ConversationStatus::pending)));
  EXPECT_EQ(ErrorCode::conflict, refusal(ann, chat(ConversationStatus::pending)));
  EXPECT_EQ(ErrorCode::conflict, refusal(bob, chat(ConversationStatus::ended)));
  // Missed requests are ended chats every agent may read (and follow up), not write in.
  EXPECT_EQ(ErrorCode::conflict, refusal(ann, chat(ConversationStatus::missed, std::nullopt)));
  EXPECT_EQ(ErrorCode::conflict, refusal(admin, chat(ConversationStatus::missed, std::nullopt)));
  EXPECT_FALSE(sends_as_participant(ann, chat(ConversationStatus::ended)));
}

TEST(SendRuleTest, AnAdminMaySendIntoAnyLiveChat) {
  EXPECT_EQ(std::nullopt, refusal(admin, chat(ConversationStatus::active, kBob)));
  EXPECT_TRUE(sends_as_participant(admin, chat(ConversationStatus::active, kBob)));
}

}  // namespace
}  // namespace parley::core
