// The webhook worker (app/webhook_service) over a real SQLite file and a fake transport: the
// signature, the payloads, retries with back-off until 24 h, and order per conversation.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/webhook_service.hpp"
#include "app/webhook_signature.hpp"
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

namespace json = boost::json;

TEST(WebhookSignature, HmacSha256OverTimestampDotBodyInHex) {
  // Python: hmac.new(b'whsec_test', b'1700000000.{"id":"1"}', hashlib.sha256).hexdigest()
  EXPECT_EQ(webhook_signature("whsec_test", "1700000000", R"({"id":"1"})"),
            "v1=11bf4466ea17c3df3fd743af0b435368e16b7a05eb8eced85e8c4670767bdec5");
  auto a = new_webhook_secret(), b = new_webhook_secret();
  EXPECT_TRUE(a.starts_with("whsec_"));
  EXPECT_EQ(a.size(), 6u + 64u);
  EXPECT_NE(a, b);
}

// A receiver that answers what the test says and keeps every request.
struct FakeReceiver {
  std::vector<WebhookRequest> seen;
  std::optional<int> answer = 200;
  WebhookTransport transport() {
    return {[this](const WebhookRequest& r) {
              seen.push_back(r);
              WebhookAnswer a;
              a.status = answer;
              if (!answer) a.error = "could not fetch: could not connect";
              a.body = answer ? "thanks " + std::to_string(*answer) : "";
              return a;
            },
            [](const std::string&, const std::vector<std::string>&) { return core::Status(core::Ok{}); }};
  }
  json::object body(std::size_t i) const { return json::parse(seen.at(i).body).as_object(); }
  std::string header(std::size_t i, const std::string& name) const {
    for (const auto& [n, v] : seen.at(i).headers) {
      if (n == name) return v;
    }
    return {};
  }
};

class WebhookDeliveryTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    admin_ = *node().auth.create_agent("Ada", "ada@example.com", "password123", core::Role::admin);
    service_ = std::make_unique<WebhookService>(*node().store, node().clock, receiver_.transport(),
                                                "node-a", /*retry_base=*/1'000, /*lease=*/30'000);
  }
  core::WebhookEndpoint endpoint(std::vector<std::string> events) {
    auto e = service_->create(admin_, {"https://crm.example.com/hook", std::move(events), true});
    EXPECT_TRUE(e.ok());
    return *e;
  }
  core::Agent admin_;
  FakeReceiver receiver_;
  std::unique_ptr<WebhookService> service_;
};

TEST_F(WebhookDeliveryTest, OnlyAdminsManageEndpoints) {
  auto agent = *node().auth.create_agent("Bo", "bo@example.com", "password123", core::Role::agent);
  auto refused = service_->create(agent, {"https://crm.example.com/hook", {"chat.ended"}, true});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::forbidden);
  EXPECT_FALSE(service_->list(agent).ok());
  auto e = endpoint({"chat.ended"});
  EXPECT_FALSE(service_->remove(agent, e.id).ok());
  EXPECT_FALSE(service_->rotate_secret(agent, e.id).ok());
  EXPECT_FALSE(service_->deliveries(agent, e.id).ok());
}

TEST_F(WebhookDeliveryTest, SignedEnvelopeAndChatPayloadsWithTheTranscriptAtTheEnd) {
  auto hook = endpoint({"chat.requested", "chat.started", "chat.ended"});
  auto bob = agent("Bob");
  auto c = request();
  ASSERT_TRUE(node().chats.accept(bob, c.id).ok());
  ASSERT_TRUE(node().chats.post_message(Actor::of_visitor(c.visitor_id), c.id, "v1", "Hello there").ok());
  ASSERT_TRUE(node().chats.end(Actor::of_visitor(c.visitor_id), c.id).ok());
  auto pass = service_->deliver_due();
  EXPECT_EQ(pass.delivered, 3);
  ASSERT_EQ(receiver_.seen.size(), 3u);
  EXPECT_EQ(receiver_.body(0).at("type"), "chat.requested");
  EXPECT_EQ(receiver_.body(1).at("type"), "chat.started");
  EXPECT_EQ(receiver_.body(2).at("type"), "chat.ended");
  for (std::size_t i = 0; i < 3; ++i) {
    auto ts = receiver_.header(i, "Parley-Webhook-Timestamp");
    EXPECT_EQ(receiver_.header(i, "Parley-Webhook-Signature"),
              webhook_signature(hook.secret, ts, receiver_.seen[i].body));
    EXPECT_EQ(receiver_.header(i, "Parley-Webhook-Id"), receiver_.body(i).at("id").as_string());
    EXPECT_EQ(receiver_.header(i, "Content-Type"), "application/json");
  }
  auto started = receiver_.body(1).at("data").as_object();
  EXPECT_EQ(started.at("conversation").at("id").as_int64(), c.id);
  EXPECT_EQ(started.at("conversation").at("agent").at("name"), "Bob");
  auto ended = receiver_.body(2).at("data").as_object();
  EXPECT_EQ(ended.at("conversation").at("status"), "ended");
  EXPECT_NE(std::string(ended.at("transcript").as_string()).find("Hello there"), std::string::npos);
  ASSERT_EQ(ended.at("messages").as_array().size(), 1u);
  EXPECT_EQ(ended.at("messages").as_array()[0].at("body"), "Hello there");
  EXPECT_EQ(ended.at("messages").as_array()[0].at("sender"), "visitor");
  // Everything was delivered once; the log says so.
  auto log = *service_->deliveries(admin_, hook.id);
  ASSERT_EQ(log.size(), 3u);
  for (const auto& d : log) {
    EXPECT_EQ(d.status, core::DeliveryStatus::delivered);
    ASSERT_EQ(d.log.size(), 1u);
    EXPECT_EQ(d.log[0].http_status, 200);
    EXPECT_EQ(d.log[0].snippet, "thanks 200");
  }
  EXPECT_EQ(service_->deliver_due().delivered, 0);
}

TEST_F(WebhookDeliveryTest, MessageCreatedOnlyForEndpointsThatAskedAndPersonUpdated) {
  auto quiet = endpoint({"chat.ended"});
  auto chatty = endpoint({"message.created", "person.updated"});
  auto bob = agent("Bob");
  auto c = request();
  ASSERT_TRUE(node().chats.accept(bob, c.id).ok());
  ASSERT_TRUE(node().chats.post_message(Actor::of_agent(bob), c.id, "a1", "How can I help?").ok());
  service_->deliver_due();
  ASSERT_EQ(receiver_.seen.size(), 2u);  // the request's person, then the message
  EXPECT_EQ(receiver_.body(0).at("type"), "person.updated");
  EXPECT_TRUE(receiver_.body(0).at("data").at("person").at("email").as_string().starts_with("vera"));
  auto m = receiver_.body(1);
  EXPECT_EQ(m.at("type"), "message.created");
  EXPECT_EQ(m.at("data").at("message").at("body"), "How can I help?");
  EXPECT_EQ(m.at("data").at("message").at("sender"), "agent");
  EXPECT_EQ(m.at("data").at("conversation_id").as_int64(), c.id);
  EXPECT_TRUE(service_->deliveries(admin_, quiet.id)->empty());
  EXPECT_EQ(service_->deliveries(admin_, chatty.id)->size(), 2u);
}

TEST_F(WebhookDeliveryTest, RetriesWithBackOffThenFailsAfter24HoursOfTheBase) {
  auto hook = endpoint({"chat.requested"});
  receiver_.answer = 500;
  request();
  EXPECT_EQ(service_->deliver_due().retried, 1);
  EXPECT_EQ(service_->deliver_due().retried, 0);  // not due before the back-off
  advance(999);
  EXPECT_EQ(service_->deliver_due().retried, 0);
  advance(1);
  EXPECT_EQ(service_->deliver_due().retried, 1);  // 1 x base later
  advance(3'000);
  EXPECT_EQ(service_->deliver_due().retried, 1);  // 3 x base later
  // Time runs on (the base is 1 s: "24 h" is 8,640 s): the last try fails it for good.
  int tries = 3, failed = 0;
  for (int i = 0; i < 100 && failed == 0; ++i) {
    advance(360'000);
    auto pass = service_->deliver_due();
    tries += pass.retried + pass.failed;
    failed += pass.failed;
  }
  EXPECT_EQ(failed, 1);
  auto log = *service_->deliveries(admin_, hook.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].status, core::DeliveryStatus::failed);
  EXPECT_EQ(log[0].attempts, tries);
  EXPECT_EQ(log[0].log.front().attempt, tries);
  EXPECT_EQ(log[0].log.front().http_status, 500);
  EXPECT_EQ(log[0].log.front().error, "answered 500");
  // Redeliver: sent again now, and delivered once the receiver is back.
  receiver_.answer = 204;
  ASSERT_TRUE(service_->redeliver(admin_, hook.id, log[0].id).ok());
  EXPECT_EQ(service_->deliver_due().delivered, 1);
  EXPECT_EQ(service_->deliveries(admin_, hook.id)->front().status, core::DeliveryStatus::delivered);
  EXPECT_FALSE(service_->redeliver(admin_, hook.id, log[0].id + 1000).ok());
}

TEST_F(WebhookDeliveryTest, AConversationWaitsForItsEarlierDeliveryOthersDoNot) {
  endpoint({"chat.requested", "message.created"});
  receiver_.answer = std::nullopt;  // down
  auto bob = agent("Bob");
  auto c1 = request();
  ASSERT_TRUE(node().chats.accept(bob, c1.id).ok());
  ASSERT_TRUE(node().chats.post_message(Actor::of_visitor(c1.visitor_id), c1.id, "v1", "one").ok());
  ASSERT_TRUE(node().chats.post_message(Actor::of_visitor(c1.visitor_id), c1.id, "v2", "two").ok());
  auto c2 = request();
  // One try each for the first event of each conversation; the messages wait behind them.
  auto pass = service_->deliver_due();
  EXPECT_EQ(pass.retried, 2);
  ASSERT_EQ(receiver_.seen.size(), 2u);
  receiver_.seen.clear();
  receiver_.answer = 200;
  advance(1'000);
  service_->deliver_due();
  std::vector<std::string> order;
  for (std::size_t i = 0; i < receiver_.seen.size(); ++i) {
    auto b = receiver_.body(i);
    auto conv = b.at("type") == "message.created" ? b.at("data").at("conversation_id").as_int64()
                                                   : b.at("data").at("conversation").at("id").as_int64();
    std::string what(b.at("type").as_string());
    if (what == "message.created") what += ":" + std::string(b.at("data").at("message").at("body").as_string());
    if (conv == c1.id) order.push_back(what);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"chat.requested", "message.created:one", "message.created:two"}));
  EXPECT_EQ(receiver_.seen.size(), 4u);
  (void)c2;
}

TEST_F(WebhookDeliveryTest, DisabledAndDeletedEndpointsGetNothing) {
  auto hook = endpoint({"chat.requested"});
  ASSERT_TRUE(service_->update(admin_, hook.id, {hook.url, hook.events, false}).ok());
  request();
  EXPECT_EQ(service_->deliver_due().delivered, 0);
  EXPECT_TRUE(service_->deliveries(admin_, hook.id)->empty());
  auto rotated = service_->rotate_secret(admin_, hook.id);
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->secret, hook.secret);
  ASSERT_TRUE(service_->remove(admin_, hook.id).ok());
  EXPECT_FALSE(service_->remove(admin_, hook.id).ok());
  EXPECT_TRUE(service_->list(admin_)->empty());
  EXPECT_FALSE(service_->create(admin_, {"gopher://x", {"chat.ended"}, true}).ok());
  EXPECT_FALSE(service_->create(admin_, {"https://x.example", {"chat.exploded"}, true}).ok());
}

}  // namespace
}  // namespace parley::app::testing
