// Missed chats and requests, as use cases: Pass on moves a request to the next agent at once
// and never back; a claim is announced to every Inbox and logged in the chat; the widget's
// "is anyone there?" follows routing's rule.
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

using core::ConversationStatus;
using core::ErrorCode;
constexpr core::Millis kSecond = 1000;

core::Conversation ask(Node& n, const std::string& question) {
  auto v = n.auth.new_visitor();
  core::PreChatForm f{"Vera", "vera" + std::to_string(v.visitor.id) + "@example.com", {}, {}, {}, ""};
  f.question = question;
  auto c = n.chats.request_chat(v.visitor.id, f);
  EXPECT_TRUE(c.ok());
  return c->conversation;
}

TEST_F(AppTest, PassOnOffersTheRequestToTheNextAgentAtOnceAndNeverBack) {
  set_policy(100 * kSecond, 600 * kSecond, 5);
  auto ann = agent("ann"), bob = agent("bob");
  auto ann_feed = listen(bus::agent_topic(ann.id));
  auto bob_feed = listen(bus::agent_topic(bob.id));
  auto c = ask(node(), "Do you ship to Norway?");
  auto first = c.agent_id.value();
  auto second = first == ann.id ? bob.id : ann.id;
  const auto& first_agent = first == ann.id ? ann : bob;
  const auto& second_agent = first == ann.id ? bob : ann;
  auto& first_feed = first == ann.id ? ann_feed : bob_feed;
  auto& second_feed = first == ann.id ? bob_feed : ann_feed;

  // Only the agent it is offered to may pass it on.
  EXPECT_EQ(ErrorCode::not_found, node().chats.pass_on(second_agent, c.id).error().code);

  ASSERT_TRUE(node().chats.pass_on(first_agent, c.id).ok());  // no time passed
  auto moved = node().store->find_conversation(c.id).value();
  EXPECT_EQ(ConversationStatus::pending, moved.status);
  EXPECT_EQ(second, moved.agent_id);
  auto withdrawn = first_feed->all<bus::OfferWithdrawn>();
  ASSERT_EQ(1u, withdrawn.size());
  EXPECT_EQ("declined", withdrawn[0].reason);
  auto offered = second_feed->all<bus::ChatRequested>();
  ASSERT_EQ(1u, offered.size());
  EXPECT_EQ("Do you ship to Norway?", offered[0].summary.last_text.value());

  // Passed on again: nobody left who was not offered it in this round, so it is missed
  // (the first agent is not offered it again).
  ASSERT_TRUE(node().chats.pass_on(second_agent, c.id).ok());
  auto gone = node().store->find_conversation(c.id).value();
  EXPECT_EQ(ConversationStatus::missed, gone.status);
  EXPECT_EQ(1u, first_feed->all<bus::OfferWithdrawn>().size());
  EXPECT_TRUE(first_feed->all<bus::ChatRequested>().size() == 1u) << "never offered back";
  // Passing on what is no longer waiting changes nothing.
  EXPECT_EQ(ErrorCode::not_found, node().chats.pass_on(second_agent, c.id).error().code);
}

TEST_F(AppTest, AClaimIsAnnouncedToEveryInboxAndLoggedAndOnlyOneAgentHoldsIt) {
  auto ann = agent("ann", false), bob = agent("bob", false);
  auto inbox = listen(bus::kInboxTopic);
  auto c = ask(node(), "Call me back please");
  ASSERT_EQ(ConversationStatus::missed, c.status);
  EXPECT_EQ(1, node().chats.missed_count());
  inbox->clear();

  auto claimed = node().chats.claim_followup(ann, c.id);
  ASSERT_TRUE(claimed.ok());
  ASSERT_TRUE(claimed->followup);
  EXPECT_EQ("ann", claimed->followup->agent_name);
  auto changes = inbox->all<bus::ConversationChanged>();
  ASSERT_EQ(1u, changes.size());
  EXPECT_EQ(ann.id, changes[0].summary.followup.value().agent_id);

  auto taken = node().chats.claim_followup(bob, c.id);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(ErrorCode::conflict, taken.error().code);
  EXPECT_EQ("already claimed by ann", taken.error().message);
  EXPECT_EQ(ErrorCode::forbidden, node().chats.release_followup(bob, c.id).error().code);
  EXPECT_EQ(ErrorCode::forbidden, node().chats.finish_followup(bob, c.id).error().code);

  ASSERT_TRUE(node().chats.finish_followup(ann, c.id).ok());
  EXPECT_EQ(0, node().chats.missed_count());
  auto log = node().store->events_after(c.id, 0, 100);
  std::vector<std::string> kinds;
  for (const auto& e : log) kinds.push_back(e.kind);
  EXPECT_EQ((std::vector<std::string>{"chat.requested", "text", "chat.missed", "followup.claimed",
                                      "followup.done"}),
            kinds);
}

TEST_F(AppTest, AnEndedOrLiveChatIsNotFollowedUpAndAnotherAgentsLiveChatStaysHidden) {
  auto ann = agent("ann"), bob = agent("bob");
  auto c = request();
  auto owner = c.agent_id.value() == ann.id ? ann : bob;
  auto other = c.agent_id.value() == ann.id ? bob : ann;
  EXPECT_EQ(ErrorCode::not_found, node().chats.claim_followup(other, c.id).error().code);
  ASSERT_TRUE(node().chats.accept(owner, c.id).ok());
  EXPECT_EQ(ErrorCode::not_found, node().chats.claim_followup(other, c.id).error().code);
  EXPECT_EQ(ErrorCode::conflict, node().chats.claim_followup(owner, c.id).error().code);
}

TEST_F(AppTest, TheWidgetHearsSomeoneIsAvailableByRoutingsRule) {
  EXPECT_FALSE(node().chats.agents_available()) << "nobody at all";
  auto ann = agent("ann", false);
  advance(2 * kSecond);
  EXPECT_FALSE(node().chats.agents_available()) << "online but not available";
  ASSERT_TRUE(node().agents.set_availability(ann, true).ok());
  EXPECT_FALSE(node().chats.agents_available()) << "the answer is kept for a second";
  advance(2 * kSecond);
  EXPECT_TRUE(node().chats.agents_available());
  node().presence.disconnected(ann.id);  // closed the Inbox: routing offers her nothing
  advance(Presence::kExpiry + kSecond);
  EXPECT_FALSE(node().chats.agents_available());
}

}  // namespace
}  // namespace parley::app::testing
