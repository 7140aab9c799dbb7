// The visibility rule on every read path that exists so far: another visitor's chat and
// another agent's active chat are 404 (never 403: their existence is not revealed).
#include "fixture.hpp"

namespace parley::testing {
namespace {

class VisibilityTest : public ServerTest {
 protected:
  // Alice's active chat with visitor `owner`.
  std::int64_t alice_active_chat(VisitorClient& owner, AgentLogin& alice) {
    auto id = id_of(request_chat(owner));
    EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
    return id;
  }
};

TEST_F(VisibilityTest, VisitorTokenCannotOpenAnotherVisitorsConversation) {
  auto alice = available_agent("alice@example.com");
  auto owner = new_visitor(port());
  auto id = alice_active_chat(owner, alice);
  auto intruder = new_visitor(port());
  EXPECT_EQ(404, intruder.http.get(visitor_path(id, "/events")).status);
  EXPECT_EQ(404, intruder.http.post(visitor_path(id, "/messages"),
                                    json::object{{"client_id", "x"}, {"body", "hi"}}).status);
  EXPECT_EQ(404, intruder.http.post(visitor_path(id, "/end")).status);
  EXPECT_EQ(404, intruder.http.get("/api/v1/visitor/chats/current").status);

  WsClient ws(port());
  ws.send(json::object{{"type", "auth"}, {"visitor_token", intruder.token}});
  ws.expect("hello");
  ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  ws.send(json::object{{"type", "message.send"}, {"conversation_id", id}, {"client_id", "x"}, {"body", "hi"}});
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  // The owner's chat is untouched.
  EXPECT_EQ(2u, owner.http.get(visitor_path(id, "/events")).json().at("events").as_array().size());
}

TEST_F(VisibilityTest, AgentCannotReachAnotherAgentsActiveChat) {
  auto alice = available_agent("alice@example.com");
  auto owner = new_visitor(port());
  auto id = alice_active_chat(owner, alice);
  auto bob = login("bob@example.com");
  EXPECT_EQ(404, bob.http.get(conv_path(id)).status);
  EXPECT_EQ(404, bob.http.get(conv_path(id, "/events")).status);
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/messages"), json::object{{"client_id", "b"}, {"body", "hi"}}).status);
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/end")).status);
  EXPECT_TRUE(bob.http.get("/api/v1/conversations?status=all").json().at("conversations").as_array().empty());

  WsClient ws(port(), bob.http.cookie());
  ws.expect("hello");
  ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  // Live events of Alice's chat never reach Bob.
  owner.http.post(visitor_path(id, "/messages"), json::object{{"client_id", "o"}, {"body", "secret"}});
  EXPECT_TRUE(ws.quiet("event", 500ms));
  EXPECT_TRUE(ws.quiet("conversation.updated", 100ms));
}

TEST_F(VisibilityTest, EndedChatsAreVisibleToEveryAgent) {
  auto alice = available_agent("alice@example.com");
  auto owner = new_visitor(port());
  auto id = alice_active_chat(owner, alice);
  auto bob = login("bob@example.com");
  WsClient ws(port(), bob.http.cookie());
  ws.expect("hello");
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/end")).status);
  // Bob's inbox learns of it live, and can open it now.
  EXPECT_EQ("ended", ws.expect("conversation.updated").at("conversation").at("status").as_string());
  EXPECT_EQ(200, bob.http.get(conv_path(id)).status);
  EXPECT_EQ(3u, bob.http.get(conv_path(id, "/events")).json().at("events").as_array().size());
  // But he cannot act on it.
  EXPECT_EQ(409, bob.http.post(conv_path(id, "/messages"), json::object{{"client_id", "b"}, {"body", "hi"}}).status);
}

TEST_F(VisibilityTest, AdminSeesEveryConversation) {
  auto alice = available_agent("alice@example.com");
  auto owner = new_visitor(port());
  auto id = alice_active_chat(owner, alice);
  auto admin = login("admin@example.com");
  EXPECT_EQ(200, admin.http.get(conv_path(id)).status);
  EXPECT_EQ(1u, admin.http.get("/api/v1/conversations?status=active").json().at("conversations").as_array().size());
}

TEST_F(VisibilityTest, VisitorInformationShowsWhatTheFormGave) {
  auto alice = available_agent("alice@example.com");
  auto owner = new_visitor(port());
  auto id = alice_active_chat(owner, alice);
  auto detail = alice.http.get(conv_path(id)).json();
  const auto& visitor = detail.at("visitor");
  EXPECT_EQ("Vera Visitor", visitor.at("name").as_string());
  EXPECT_EQ("CTO", visitor.at("job_title").as_string());
  EXPECT_EQ("vera@example.com", visitor.at("email").as_string());
  EXPECT_TRUE(visitor.at("phone").is_null());       // the UI shows "-"
  EXPECT_TRUE(visitor.at("crm_status").is_null());
  EXPECT_EQ("https://acme.test/pricing", detail.at("conversation").at("page_url").as_string());
}

}  // namespace
}  // namespace parley::testing
