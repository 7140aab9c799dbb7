// Two `parley serve` nodes on one PostgreSQL database and one Redis: whichever node a socket
// is on, it gets every event once and in seq order. The visitor is on node A, the agent on
// node B: the request, the accept, the messages both ways, typing and the end all cross.
#include <boost/json.hpp>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

const std::string& kPassword = kClusterPassword;

using TwoNodeCluster = TwoNodes;

TEST_F(TwoNodeCluster, AVisitorOnOneNodeAndAnAgentOnTheOtherChat) {
  // The agent: logged in, available and connected on node B only.
  auto alice = login_agent(b->port(), "alice@example.com", kPassword);
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient agent_ws(b->port(), alice.http.cookie());
  agent_ws.expect("hello");

  // The visitor: on node A.
  auto visitor = new_visitor(a->port());
  WsClient visitor_ws(a->port());
  visitor_ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  visitor_ws.expect("hello");
  auto requested = visitor.http.post("/api/v1/visitor/chats",
                                     json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  ASSERT_EQ(201, requested.status) << requested.body;
  auto id = requested.json().at("conversation").at("id").as_int64();

  // The offer crosses from A to B.
  auto offer = agent_ws.expect("chat.requested");
  EXPECT_EQ(id, offer.at("conversation").at("id").as_int64());
  visitor_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  visitor_ws.expect("subscribed");
  EXPECT_EQ("chat.requested", event_of(visitor_ws.expect("event")).at("kind").as_string());

  // Accepted on B; the visitor on A sees it.
  agent_ws.send(json::object{{"type", "chat.accept"}, {"conversation_id", id}});
  EXPECT_EQ("chat.accepted", event_of(visitor_ws.expect("event")).at("kind").as_string());
  agent_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 2}});
  agent_ws.expect("subscribed");

  // Messages both ways, alternating, each acknowledged on its sender's node (the ack is the
  // sender's copy) and delivered on the other node once, in seq order.
  std::int64_t last_seq = 2;
  for (int i = 0; i < 20; ++i) {
    bool from_visitor = i % 2 == 0;
    WsClient& sender = from_visitor ? visitor_ws : agent_ws;
    WsClient& receiver = from_visitor ? agent_ws : visitor_ws;
    auto body = "message " + std::to_string(i);
    sender.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                             {"client_id", "c" + std::to_string(i)}, {"body", body}});
    auto ack = sender.expect("message.ack");
    auto seq = event_of(ack).at("seq").as_int64();
    EXPECT_EQ(last_seq + 1, seq);
    auto delivered = event_of(receiver.expect("event"));
    EXPECT_EQ(seq, delivered.at("seq").as_int64());
    EXPECT_EQ(body, delivered.at("body").as_string());
    last_seq = seq;
  }
  EXPECT_TRUE(agent_ws.quiet("event"));
  EXPECT_TRUE(visitor_ws.quiet("event"));

  // Typing (never stored) crosses too.
  visitor_ws.send(json::object{{"type", "typing"}, {"conversation_id", id}});
  EXPECT_EQ("visitor", agent_ws.expect("typing").at("sender").as_string());

  // Ended by the visitor on A; the agent on B sees the end.
  visitor_ws.send(json::object{{"type", "chat.end"}, {"conversation_id", id}});
  EXPECT_EQ("chat.ended", event_of(agent_ws.expect("event")).at("kind").as_string());
}

// The same cluster on a Redis of its own, which the test kills and starts again.
struct RedisRestart : TwoNodes {
  TempDir redis_dir;
  RedisProcess own_redis{redis_dir.path.string()};
  std::string bus_url() override {
    own_redis.start();
    return own_redis.url();
  }
};

TEST_F(RedisRestart, MessagesSentWhileRedisIsDownArriveOnceItIsBack) {
  auto alice = login_agent(b->port(), "alice@example.com", kPassword);
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient agent_ws(b->port(), alice.http.cookie());
  agent_ws.expect("hello");
  auto visitor = new_visitor(a->port());
  WsClient visitor_ws(a->port());
  visitor_ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  visitor_ws.expect("hello");
  auto requested = visitor.http.post("/api/v1/visitor/chats",
                                     json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  ASSERT_EQ(201, requested.status) << requested.body;
  auto id = requested.json().at("conversation").at("id").as_int64();
  agent_ws.expect("chat.requested");
  visitor_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  visitor_ws.expect("subscribed");
  agent_ws.send(json::object{{"type", "chat.accept"}, {"conversation_id", id}});
  agent_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  agent_ws.expect("subscribed");
  EXPECT_EQ(1, event_of(agent_ws.expect("event")).at("seq").as_int64());
  EXPECT_EQ(2, event_of(agent_ws.expect("event")).at("seq").as_int64());

  // Redis goes away. The visitor's messages are still stored and acknowledged on node A.
  own_redis.stop();
  std::vector<std::string> sent;
  for (int i = 0; i < 10; ++i) {
    sent.push_back("while redis was down " + std::to_string(i));
    visitor_ws.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                                 {"client_id", "d" + std::to_string(i)}, {"body", sent.back()}});
    EXPECT_EQ(3 + i, event_of(visitor_ws.expect("message.ack")).at("seq").as_int64());
  }
  // Redis is back: node B resubscribes, reads what it missed from the store, in order.
  own_redis.start();
  for (int i = 0; i < 10; ++i) {
    auto e = event_of(agent_ws.expect("event", 15s));
    EXPECT_EQ(3 + i, e.at("seq").as_int64());
    EXPECT_EQ(sent[i], e.at("body").as_string());
  }
  EXPECT_TRUE(agent_ws.quiet("event"));

  // Live delivery resumes both ways.
  agent_ws.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                             {"client_id", "after"}, {"body", "back again"}});
  agent_ws.expect("message.ack");
  EXPECT_EQ("back again", event_of(visitor_ws.expect("event", 15s)).at("body").as_string());
}

}  // namespace
}  // namespace parley::testing

namespace parley::testing {
namespace {

// kill -9 of the node the visitor is on, mid-conversation: the visitor reconnects through the
// other node and resumes from its last seq; every acknowledged message is there exactly once.
TEST_F(TwoNodeCluster, AVisitorWhoseNodeIsKilledResumesOnTheOther) {
  auto alice = login_agent(b->port(), "alice@example.com", kPassword);
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient agent_ws(b->port(), alice.http.cookie());
  agent_ws.expect("hello");
  auto visitor = new_visitor(a->port());
  auto requested = visitor.http.post("/api/v1/visitor/chats",
                                     json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  ASSERT_EQ(201, requested.status) << requested.body;
  auto id = requested.json().at("conversation").at("id").as_int64();
  agent_ws.expect("chat.requested");
  agent_ws.send(json::object{{"type", "chat.accept"}, {"conversation_id", id}});
  agent_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 2}});
  agent_ws.expect("subscribed");

  std::int64_t last_seq = 2;
  std::vector<std::string> acknowledged;
  {
    WsClient visitor_ws(a->port());
    visitor_ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
    visitor_ws.expect("hello");
    visitor_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
    visitor_ws.expect("subscribed");
    for (int i = 0; i < 10; ++i) {
      acknowledged.push_back("before the crash " + std::to_string(i));
      visitor_ws.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                                   {"client_id", "v" + std::to_string(i)},
                                   {"body", acknowledged.back()}});
      last_seq = event_of(visitor_ws.expect("message.ack")).at("seq").as_int64();
    }
    a->kill_hard();  // node A dies with the visitor's socket on it
  }
  // While the visitor is away, the agent answers.
  for (int i = 0; i < 3; ++i) {
    agent_ws.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                               {"client_id", "a" + std::to_string(i)},
                               {"body", "reply " + std::to_string(i)}});
    agent_ws.expect("message.ack");
  }

  // The visitor reconnects through node B (the same token) and resumes from its last seq.
  WsClient again(b->port());
  again.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  again.expect("hello");
  again.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", last_seq}});
  again.expect("subscribed");
  for (int i = 0; i < 3; ++i) {
    auto e = event_of(again.expect("event"));
    EXPECT_EQ(last_seq + 1 + i, e.at("seq").as_int64());
    EXPECT_EQ("reply " + std::to_string(i), e.at("body").as_string());
  }
  EXPECT_TRUE(again.quiet("event"));

  // The whole history, read through node B: every acknowledged message exactly once, in order.
  HttpClient http(b->port());
  http.set_bearer(visitor.token);
  auto history = http.get("/api/v1/visitor/chats/" + std::to_string(id) +
                                  "/events?after_seq=0&limit=1000");
  ASSERT_EQ(200, history.status) << history.body;
  std::vector<std::string> texts;
  std::int64_t expected_seq = 0;
  auto events = history.json();  // kept: the loop walks into it
  for (const auto& e : events.at("events").as_array()) {
    EXPECT_EQ(++expected_seq, e.at("seq").as_int64());
    if (e.at("kind").as_string() == "text" && e.at("sender").as_string() == "visitor") {
      texts.push_back(std::string(e.at("body").as_string()));
    }
  }
  EXPECT_EQ(acknowledged, texts);
}

}  // namespace
}  // namespace parley::testing
