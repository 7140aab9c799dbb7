#include "core/followup.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

constexpr Id kAnn = 1, kBob = 2;
const Viewer ann{kAnn, false};
const Viewer bob{kBob, false};
const Viewer admin{99, true};

Conversation chat(ConversationStatus status, std::optional<Id> agent = std::nullopt) {
  Conversation c;
  c.id = 7;
  c.status = status;
  c.agent_id = agent;
  return c;
}

FollowUp claimed_by(Id agent, std::optional<Millis> done = std::nullopt) {
  return FollowUp{agent, agent == kAnn ? "Ann" : "Bob", 1000, done};
}

ErrorCode code(const Status& s) { return s.error().code; }

TEST(FollowupTest, AnyAgentClaimsAMissedChatNobodyClaimed) {
  auto missed = chat(ConversationStatus::missed, kBob);  // offered to Bob, who let it lapse
  EXPECT_TRUE(may_claim_followup(ann, missed, std::nullopt).ok());
  EXPECT_TRUE(may_claim_followup(bob, missed, std::nullopt).ok());
}

TEST(FollowupTest, AClaimedOrDoneChatCannotBeClaimedAgain) {
  auto missed = chat(ConversationStatus::missed);
  auto taken = may_claim_followup(ann, missed, claimed_by(kBob));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(ErrorCode::conflict, code(taken));
  EXPECT_EQ("already claimed by Bob", taken.error().message);
  EXPECT_EQ(ErrorCode::conflict, code(may_claim_followup(ann, missed, claimed_by(kAnn))));
  EXPECT_EQ(ErrorCode::conflict, code(may_claim_followup(ann, missed, claimed_by(kBob, 5))));
}

TEST(FollowupTest, OnlyMissedChatsAreFollowedUpAndHiddenOnesStayHidden) {
  EXPECT_EQ(ErrorCode::conflict, code(may_claim_followup(ann, chat(ConversationStatus::ended, kBob), {})));
  EXPECT_EQ(ErrorCode::conflict, code(may_claim_followup(ann, chat(ConversationStatus::active, kAnn), {})));
  // Another agent's live chat or pending request: not even its existence is told.
  EXPECT_EQ(ErrorCode::not_found, code(may_claim_followup(ann, chat(ConversationStatus::active, kBob), {})));
  EXPECT_EQ(ErrorCode::not_found, code(may_claim_followup(ann, chat(ConversationStatus::pending, kBob), {})));
}

TEST(FollowupTest, OnlyTheClaimerOrAnAdminReleasesOrFinishes) {
  auto missed = chat(ConversationStatus::missed);
  EXPECT_TRUE(may_change_followup(bob, missed, claimed_by(kBob)).ok());
  EXPECT_TRUE(may_change_followup(admin, missed, claimed_by(kBob)).ok());
  EXPECT_EQ(ErrorCode::forbidden, code(may_change_followup(ann, missed, claimed_by(kBob))));
  EXPECT_EQ(ErrorCode::conflict, code(may_change_followup(bob, missed, std::nullopt)));
  EXPECT_EQ(ErrorCode::conflict, code(may_change_followup(bob, missed, claimed_by(kBob, 5))));
}

TEST(FollowupTest, OnlyTheClaimerWritesToTheVisitorNotEvenAnAdmin) {
  auto missed = chat(ConversationStatus::missed);
  EXPECT_TRUE(may_write_followup(bob, missed, claimed_by(kBob)).ok());
  EXPECT_EQ(ErrorCode::forbidden, code(may_write_followup(ann, missed, claimed_by(kBob))));
  EXPECT_EQ(ErrorCode::forbidden, code(may_write_followup(admin, missed, claimed_by(kBob))));
  EXPECT_EQ(ErrorCode::forbidden, code(may_write_followup(ann, missed, std::nullopt)));
  EXPECT_EQ(ErrorCode::conflict, code(may_write_followup(bob, missed, claimed_by(kBob, 5))));
}

TEST(FollowupTest, TheMissedCountKeepsChatsUntilTheirFollowUpIsDone) {
  auto missed = chat(ConversationStatus::missed);
  EXPECT_TRUE(awaits_followup(missed, std::nullopt));
  EXPECT_TRUE(awaits_followup(missed, claimed_by(kAnn)));
  EXPECT_FALSE(awaits_followup(missed, claimed_by(kAnn, 5)));
  EXPECT_FALSE(awaits_followup(chat(ConversationStatus::ended), std::nullopt));
}

}  // namespace
}  // namespace parley::core
