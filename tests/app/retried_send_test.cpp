// A retried send (the same client id) is stored once and published again: the node that
// stored it first may have died between its commit and its publish (kill -9), and the retry,
// through another node, is then the only way the other side hears of it live. Receivers keep
// the first copy of a seq (net/websocket_session), so nobody sees it twice.
#include <future>

#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

TEST_F(AppTest, ARetriedSendIsStoredOnceAndPublishedAgain) {
  auto ann = agent("ann");
  auto c = request();
  ASSERT_TRUE(node().chats.accept(ann, c.id).ok());
  auto feed = listen(bus::conversation_topic(c.id));
  auto visitor = Actor::of_visitor(c.visitor_id);

  auto first = node().chats.post_message(visitor, c.id, "v-1", "hello?");
  ASSERT_TRUE(first.ok());
  auto retry = node().chats.post_message(visitor, c.id, "v-1", "hello?");
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  std::promise<core::Result<ChatService::Posted>> answered;
  node().chats.post_message_async(visitor, c.id, "v-1", "hello?",
                                  [&](core::Result<ChatService::Posted> r) { answered.set_value(r); });
  auto async_retry = answered.get_future().get();
  ASSERT_TRUE(async_retry.ok());
  EXPECT_TRUE(async_retry->duplicate);
  EXPECT_EQ(first->message.id, async_retry->message().id);
  node().store->flush();  // the publish follows the answer, on the writer's thread

  auto published = feed->all<bus::ConversationEvent>();
  ASSERT_EQ(3u, published.size());  // the send and both retries
  for (const auto& e : published) {
    EXPECT_EQ(first->message.id, e.message.id);
    EXPECT_EQ(first->message.seq, e.message.seq);
  }
  EXPECT_EQ(first->message.seq, node().store->find_conversation(c.id)->last_seq);  // stored once
}

}  // namespace
}  // namespace parley::app::testing
