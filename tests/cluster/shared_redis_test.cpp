// Two deployments of Parley, each on a database of its own, sharing one Redis (a staging and a
// production, or two teams on one Redis host). Their conversation ids collide — each database
// counts from 1 — and still no event of one reaches a socket of the other: each deployment's
// nodes publish and listen on the channel of their own database (SettingsStore::cluster_id).
#include <boost/json.hpp>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

// One deployment: one node on a fresh database and the run's Redis, Alice available on it
// with a chat from Vera accepted and both subscribed.
struct Deployment {
  std::string uri = fresh_database_uri();
  TempDir dir;
  std::unique_ptr<ServerProcess> node;
  std::unique_ptr<WsClient> agent_ws, visitor_ws;
  std::int64_t conversation_id = 0;
  int sent = 0;

  explicit Deployment(const std::string& node_id) {
    create_agent(uri, "Alice Agent", "alice@example.com", kClusterPassword);
    node = std::make_unique<ServerProcess>(
        dir.path, std::filesystem::path{},
        std::vector<std::string>{"--db", uri, "--bus", redis_url(), "--node-id", node_id});
    node->start();
  }

  void open_chat() {
    auto alice = login_agent(node->port(), "alice@example.com", kClusterPassword);
    ASSERT_EQ(
        200,
        alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
    agent_ws = std::make_unique<WsClient>(node->port(), alice.http.cookie());
    agent_ws->expect("hello");
    auto visitor = new_visitor(node->port());
    auto requested = visitor.http.post(
        "/api/v1/visitor/chats", json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
    ASSERT_EQ(201, requested.status) << requested.body;
    conversation_id = requested.json().at("conversation").at("id").as_int64();
    agent_ws->expect("chat.requested");
    agent_ws->send(json::object{{"type", "chat.accept"}, {"conversation_id", conversation_id}});
    agent_ws->send(json::object{
        {"type", "subscribe"}, {"conversation_id", conversation_id}, {"after_seq", 2}});
    agent_ws->expect("subscribed");
    visitor_ws = std::make_unique<WsClient>(node->port());
    visitor_ws->send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
    visitor_ws->expect("hello");
    visitor_ws->send(json::object{
        {"type", "subscribe"}, {"conversation_id", conversation_id}, {"after_seq", 2}});
    visitor_ws->expect("subscribed");
  }

  void visitor_says(const std::string& body) {
    visitor_ws->send(json::object{{"type", "message.send"},
                                  {"conversation_id", conversation_id},
                                  {"client_id", "v" + std::to_string(++sent)},
                                  {"body", body}});
    visitor_ws->expect("message.ack");
  }
};

TEST(SharedRedis, TwoDeploymentsOnOneRedisNeverSeeEachOthersEvents) {
  Deployment one("one"), two("two");
  ASSERT_NO_FATAL_FAILURE(one.open_chat());
  ASSERT_NO_FATAL_FAILURE(two.open_chat());
  ASSERT_EQ(one.conversation_id, two.conversation_id) << "the ids collide, which is the point";

  one.visitor_says("for deployment one");
  EXPECT_EQ("for deployment one", event_of(one.agent_ws->expect("event")).at("body").as_string());
  EXPECT_TRUE(two.agent_ws->quiet("event", std::chrono::milliseconds(1000)));
  EXPECT_TRUE(two.visitor_ws->quiet("event", std::chrono::milliseconds(100)));

  two.visitor_says("for deployment two");
  EXPECT_EQ("for deployment two", event_of(two.agent_ws->expect("event")).at("body").as_string());
  EXPECT_TRUE(one.agent_ws->quiet("event", std::chrono::milliseconds(1000)));
  EXPECT_TRUE(one.visitor_ws->quiet("event", std::chrono::milliseconds(100)));
}

}  // namespace
}  // namespace parley::testing
