// The sweeper and the deadlines it fires, with a clock the test moves.
#include "app_fixture.hpp"
#include <thread>

namespace parley::app::testing {
namespace {

using core::ConversationStatus;
constexpr core::Millis kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute;

TEST_F(AppTest, NothingFiresBeforeItsTime) {
  agent("ann");
  request();
  EXPECT_EQ(0, node().sweeper.tick());
}

TEST_F(AppTest, UnansweredOfferMovesToTheNextAgentThenToTheFallback) {
  set_policy(100 * kSecond, 10 * kMinute);
  auto ann = agent("ann"), bob = agent("bob");
  auto ann_feed = listen(bus::agent_topic(ann.id));
  auto bob_feed = listen(bus::agent_topic(bob.id));
  auto c = request();
  ASSERT_EQ(ann.id, c.agent_id);

  advance(99 * kSecond);
  node().sweeper.tick();
  EXPECT_TRUE(ann_feed->all<bus::OfferWithdrawn>().empty());  // still inside the window

  advance(1 * kSecond);
  node().sweeper.tick();
  auto withdrawn = ann_feed->all<bus::OfferWithdrawn>();
  ASSERT_EQ(1u, withdrawn.size());
  EXPECT_EQ("timeout", withdrawn[0].reason);
  ASSERT_EQ(1u, bob_feed->all<bus::ChatRequested>().size());
  auto moved = node().store->find_conversation(c.id).value();
  EXPECT_EQ(bob.id, moved.agent_id);
  EXPECT_EQ(ConversationStatus::pending, moved.status);

  advance(100 * kSecond);
  node().sweeper.tick();
  auto gone = node().store->find_conversation(c.id).value();
  EXPECT_EQ(ConversationStatus::missed, gone.status);
  EXPECT_EQ("no_answer", gone.end_reason);
  EXPECT_EQ(1u, bob_feed->all<bus::OfferWithdrawn>().size());
  auto events = node().store->events_after(c.id, 0, 100);
  EXPECT_EQ("chat.missed", events.back().kind);
  // An unaccepted request never becomes a live Inbox chat: it is listed as missed, for
  // every agent to follow up.
  store::ConversationQuery q{core::Viewer{ann.id, false}, store::StatusFilter::active, {}, {}, 50};
  EXPECT_TRUE(node().store->list_conversations(q).empty());
  q.filter = store::StatusFilter::missed;
  auto missed = node().store->list_conversations(q);
  ASSERT_EQ(1u, missed.size());
  EXPECT_EQ(c.id, missed[0].conversation.id);
}

TEST_F(AppTest, AnAcceptedOfferNeverLapses) {
  set_policy(100 * kSecond, 10 * kMinute);
  auto ann = agent("ann");
  agent("bob");
  auto c = request();
  ASSERT_TRUE(node().chats.accept(ann, c.id).ok());
  advance(101 * kSecond);
  node().sweeper.tick();
  EXPECT_EQ(ann.id, node().store->find_conversation(c.id)->agent_id);
  EXPECT_EQ(ConversationStatus::active, node().store->find_conversation(c.id)->status);
}

TEST_F(AppTest, ADeadlineDueDuringARestartFiresOnceAfterIt) {
  set_policy(100 * kSecond, 10 * kMinute);
  auto ann = agent("ann");
  auto bob = agent("bob");
  auto c = request();
  advance(50 * kSecond);
  restart();  // the process dies inside the accept window
  for (auto& a : {ann, bob}) node().presence.connected(a.id);  // their Inboxes reconnect
  advance(60 * kSecond);
  auto bob_feed = listen(bus::agent_topic(bob.id));
  EXPECT_EQ(1, node().sweeper.tick());
  EXPECT_EQ(0, node().sweeper.tick());
  EXPECT_EQ(1u, bob_feed->all<bus::ChatRequested>().size());
  EXPECT_EQ(bob.id, node().store->find_conversation(c.id)->agent_id);
  (void)ann;
}

TEST_F(AppTest, TwoNodesSweepingTheSameDatabaseFireADeadlineOnce) {
  set_policy(100 * kSecond, 10 * kMinute);
  agent("ann");
  auto bob = agent("bob");
  auto c = request();
  Node other(db(), now_);
  auto seen_here = listen(bus::agent_topic(bob.id));
  auto seen_there = std::make_shared<Recorder>();
  other.bus.subscribe(bus::agent_topic(bob.id), seen_there);
  advance(100 * kSecond);
  std::thread t([&] { other.sweeper.tick(); });
  node().sweeper.tick();
  t.join();
  EXPECT_EQ(1u, seen_here->all<bus::ChatRequested>().size() + seen_there->all<bus::ChatRequested>().size());
  EXPECT_EQ(2, node().store->find_conversation(c.id)->offers_made);
}

TEST_F(AppTest, QuietChatsEndAfterTheInactivityTimeoutAndMessagesResetIt) {
  set_policy(100 * kSecond, 10 * kMinute);
  auto ann = agent("ann");
  auto c = request();
  ASSERT_TRUE(node().chats.accept(ann, c.id).ok());
  advance(9 * kMinute);
  ASSERT_TRUE(node().chats.post_message(Actor::of_visitor(c.visitor_id), c.id, "m1", "hello?").ok());
  advance(9 * kMinute);
  node().sweeper.tick();
  EXPECT_EQ(ConversationStatus::active, node().store->find_conversation(c.id)->status);
  auto feed = listen(bus::conversation_topic(c.id));
  advance(1 * kMinute);
  node().sweeper.tick();
  auto ended = node().store->find_conversation(c.id).value();
  EXPECT_EQ(ConversationStatus::ended, ended.status);
  EXPECT_EQ("inactivity", ended.end_reason);
  auto events = feed->all<bus::ConversationEvent>();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ("chat.ended", events[0].message.kind);
  EXPECT_EQ("inactivity", events[0].message.body);
}

TEST_F(AppTest, StatusIsPublishedWhenABlockBoundaryPasses) {
  auto ann = agent("ann", /*available=*/false);
  core::AgentSettings s{"UTC", core::Schedule{{{5, 8 * 60, 12 * 60}, {5, 13 * 60, 17 * 60}}}, 10, true};
  ann = *node().agents.update_settings(ann, s);
  auto admin_feed = listen(bus::kAgentsTopic);
  EXPECT_TRUE(node().agents.status(ann).available);  // Friday 09:00
  advance(3 * kHour - 1);
  EXPECT_EQ(0, node().sweeper.tick());
  advance(1);  // 12:00: the morning block ends
  EXPECT_EQ(1, node().sweeper.tick());
  auto changes = admin_feed->all<bus::AgentStatusChanged>();
  ASSERT_EQ(1u, changes.size());
  EXPECT_FALSE(changes[0].status.available);
  EXPECT_EQ(now_.load() + kHour, changes[0].status.until);  // back at 13:00
  advance(kHour);
  EXPECT_EQ(1, node().sweeper.tick());
  EXPECT_TRUE(admin_feed->all<bus::AgentStatusChanged>().back().status.available);
}

TEST_F(AppTest, ToggleOverridesUntilTheNextBoundaryAndIsAnnounced) {
  auto ann = agent("ann", /*available=*/false);
  core::AgentSettings s{"UTC", core::Schedule{{{5, 8 * 60, 12 * 60}}}, 10, true};
  ann = *node().agents.update_settings(ann, s);
  auto own_feed = listen(bus::agent_topic(ann.id));
  ann = *node().agents.set_availability(ann, false);  // unavailable inside the block
  auto st = node().agents.status(ann);
  EXPECT_FALSE(st.available);
  EXPECT_EQ(core::StatusSource::override, st.source);
  EXPECT_EQ(now_.load() + 3 * kHour, st.until);
  ASSERT_EQ(1u, own_feed->all<bus::AgentStatusChanged>().size());
  // Routing follows the effective status: no offer while the override holds.
  auto c = request();
  EXPECT_EQ(ConversationStatus::missed, c.status);
}

TEST_F(AppTest, SettingsRejectUnknownZonesAndOverlaps) {
  auto ann = agent("ann");
  core::AgentSettings bad_zone{"Mars/Olympus", {}, 10, true};
  EXPECT_EQ(core::ErrorCode::bad_request, node().agents.update_settings(ann, bad_zone).error().code);
  core::AgentSettings overlap{"UTC", core::Schedule{{{1, 60, 180}, {1, 120, 240}}}, 10, true};
  EXPECT_EQ(core::ErrorCode::bad_request, node().agents.update_settings(ann, overlap).error().code);
}

}  // namespace
}  // namespace parley::app::testing
