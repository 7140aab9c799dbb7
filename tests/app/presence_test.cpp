// Presence: only agents with the Inbox open are offered chats, and an offer to an agent
// whose sockets are gone (Inbox closed, node dead) moves on within Presence::kExpiry.
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

using core::ConversationStatus;
constexpr core::Millis kSecond = 1000;

TEST_F(AppTest, AnAvailableAgentWithoutTheInboxOpenIsNotOffered) {
  auto ann = agent("ann");
  node().presence.disconnected(ann.id);  // closed the Inbox; still available by the toggle
  advance(Presence::kExpiry);
  EXPECT_EQ(ConversationStatus::missed, request().status) << "nobody could be told";

  auto bob = agent("bob");
  EXPECT_EQ(bob.id, request().agent_id);
  node().presence.connected(ann.id);  // back, and reported at once
  EXPECT_EQ(ann.id, request().agent_id);
}

TEST_F(AppTest, AReloadedInboxNeverLooksOffline) {
  auto ann = agent("ann");
  node().presence.disconnected(ann.id);  // the page reloads...
  advance(2 * kSecond);
  node().presence.connected(ann.id);  // ...and its socket is back
  advance(Presence::kExpiry);
  EXPECT_EQ(ann.id, request().agent_id);
}

TEST_F(AppTest, AnOfferToAnAgentWhoseNodeDiedMovesOnWithinTheExpiry) {
  set_policy(100 * kSecond, 10 * 60 * kSecond);
  // ann's only socket is on another node; bob's on this one.
  auto other = std::make_unique<Node>(db(), now_);
  auto ann = agent("ann");
  node().presence.disconnected(ann.id);
  other->presence.connected(ann.id);
  auto bob = agent("bob");
  auto ann_feed = listen(bus::agent_topic(ann.id));
  auto c = request();
  ASSERT_EQ(ann.id, c.agent_id);

  other.reset();  // ann's node dies: nobody renews her presence any more
  core::Millis waited = 0;
  while (node().store->find_conversation(c.id)->agent_id == ann.id && waited < 100 * kSecond) {
    advance(kSecond);
    waited += kSecond;
    node().sweeper.tick();
  }
  auto moved = node().store->find_conversation(c.id).value();
  EXPECT_EQ(bob.id, moved.agent_id);
  EXPECT_EQ(ConversationStatus::pending, moved.status);
  EXPECT_LE(waited, Presence::kExpiry) << "moved on after " << waited << " ms";
  auto withdrawn = ann_feed->all<bus::OfferWithdrawn>();
  ASSERT_EQ(1u, withdrawn.size());
  EXPECT_EQ("offline", withdrawn[0].reason);
}

}  // namespace
}  // namespace parley::app::testing
