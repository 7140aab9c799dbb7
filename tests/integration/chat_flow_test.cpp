#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

// Everything one live chat needs: an available agent with a socket, a visitor with a
// socket, an accepted conversation both have subscribed to.
struct LiveChat {
  AgentLogin agent;
  VisitorClient visitor;
  std::unique_ptr<WsClient> agent_ws, visitor_ws;
  std::int64_t id = 0;
};

class ChatFlowTest : public ServerTest {
 protected:
  LiveChat open_chat() {
    LiveChat c{available_agent("alice@example.com"), new_visitor(port()), nullptr, nullptr, 0};
    c.agent_ws = std::make_unique<WsClient>(port(), c.agent.http.cookie());
    EXPECT_EQ("agent", c.agent_ws->expect("hello").at("role").as_string());
    c.visitor_ws = std::make_unique<WsClient>(port());
    c.visitor_ws->send(json::object{{"type", "auth"}, {"visitor_token", c.visitor.token}});
    EXPECT_EQ("visitor", c.visitor_ws->expect("hello").at("role").as_string());

    auto conv = request_chat(c.visitor);
    c.id = id_of(conv);
    EXPECT_EQ("pending", conv.at("status").as_string());
    auto requested = c.agent_ws->expect("chat.requested");
    EXPECT_EQ(c.id, id_of(requested.at("conversation").as_object()));
    EXPECT_EQ("vera@example.com", requested.at("visitor").at("email").as_string());
    EXPECT_EQ("pending", c.agent_ws->expect("conversation.updated").at("conversation").at("status").as_string());

    c.visitor_ws->send(json::object{{"type", "subscribe"}, {"conversation_id", c.id}, {"after_seq", 0}});
    EXPECT_EQ("chat.requested", event_of(c.visitor_ws->expect("event")).at("kind").as_string());
    c.agent_ws->send(json::object{{"type", "chat.accept"}, {"conversation_id", c.id}});
    auto updated = c.agent_ws->expect("conversation.updated");
    EXPECT_EQ("active", updated.at("conversation").at("status").as_string());
    auto accepted = event_of(c.visitor_ws->expect("event"));
    EXPECT_EQ("chat.accepted", accepted.at("kind").as_string());
    EXPECT_EQ("Alice Agent", accepted.at("body").as_string());
    c.agent_ws->send(json::object{{"type", "subscribe"}, {"conversation_id", c.id}, {"after_seq", 0}});
    EXPECT_EQ(1, event_of(c.agent_ws->expect("event")).at("seq").as_int64());
    EXPECT_EQ(2, event_of(c.agent_ws->expect("event")).at("seq").as_int64());
    return c;
  }

  static json::object send(WsClient& ws, std::int64_t conv, const std::string& client_id,
                           const std::string& body) {
    ws.send(json::object{{"type", "message.send"}, {"conversation_id", conv},
                         {"client_id", client_id}, {"body", body}});
    return ws.expect("message.ack");
  }
};

TEST_F(ChatFlowTest, MessagesFlowBothWaysInRealTime) {
  auto c = open_chat();
  auto ack = send(*c.visitor_ws, c.id, "v-1", "Hello, do you ship to Norway?");
  EXPECT_FALSE(ack.at("duplicate").as_bool());
  EXPECT_EQ(3, event_of(ack).at("seq").as_int64());
  auto at_agent = event_of(c.agent_ws->expect("event"));
  EXPECT_EQ("Hello, do you ship to Norway?", at_agent.at("body").as_string());
  EXPECT_EQ("visitor", at_agent.at("sender").as_string());

  send(*c.agent_ws, c.id, "a-1", "We do, in 3 days.");
  // The visitor gets the agent's message. Its own message reached it as the ack, so it is
  // not echoed back as an event a second time.
  auto e4 = event_of(c.visitor_ws->expect("event"));
  EXPECT_EQ(4, e4.at("seq").as_int64());
  EXPECT_EQ("We do, in 3 days.", e4.at("body").as_string());
  EXPECT_EQ("agent", e4.at("sender").as_string());
  EXPECT_TRUE(c.agent_ws->quiet("event"));

  // Reloading either side (REST) shows the whole history.
  auto history = c.visitor.http.get(visitor_path(c.id, "/events?after_seq=0")).json().at("events").as_array();
  ASSERT_EQ(4u, history.size());
  auto agent_history = c.agent.http.get(conv_path(c.id, "/events")).json().at("events").as_array();
  EXPECT_EQ(history, agent_history);
}

TEST_F(ChatFlowTest, TypingIsRelayedToTheOtherSideOnly) {
  auto c = open_chat();
  c.visitor_ws->send(json::object{{"type", "typing"}, {"conversation_id", c.id}});
  EXPECT_EQ("visitor", c.agent_ws->expect("typing").at("sender").as_string());
  EXPECT_TRUE(c.visitor_ws->quiet("typing"));
}

TEST_F(ChatFlowTest, ReconnectWithLastSeqGetsExactlyWhatWasMissed) {
  auto c = open_chat();
  std::int64_t last_seq = event_of(send(*c.visitor_ws, c.id, "v-1", "first")).at("seq").as_int64();
  c.visitor_ws->close();  // the visitor's network drops

  for (int i = 0; i < 5; ++i) send(*c.agent_ws, c.id, "a-" + std::to_string(i), "missed " + std::to_string(i));

  WsClient again(port());
  again.send(json::object{{"type", "auth"}, {"visitor_token", c.visitor.token}});
  again.expect("hello");
  again.send(json::object{{"type", "subscribe"}, {"conversation_id", c.id}, {"after_seq", last_seq}});
  for (int i = 0; i < 5; ++i) {
    auto e = event_of(again.expect("event"));
    EXPECT_EQ(last_seq + 1 + i, e.at("seq").as_int64());
    EXPECT_EQ("missed " + std::to_string(i), e.at("body").as_string());
  }
  EXPECT_TRUE(again.quiet("event"));  // nothing doubled

  // And live delivery resumes after the replay.
  send(*c.agent_ws, c.id, "a-live", "live again");
  auto live = event_of(again.expect("event"));
  EXPECT_EQ(last_seq + 6, live.at("seq").as_int64());
}

TEST_F(ChatFlowTest, ResentClientIdIsAcknowledgedNotStoredTwice) {
  auto c = open_chat();
  auto first = send(*c.visitor_ws, c.id, "same-id", "only once");
  auto second = send(*c.visitor_ws, c.id, "same-id", "only once");
  EXPECT_FALSE(first.at("duplicate").as_bool());
  EXPECT_TRUE(second.at("duplicate").as_bool());
  EXPECT_EQ(event_of(first).at("seq"), event_of(second).at("seq"));
  // Over REST too.
  auto r = c.visitor.http.post(visitor_path(c.id, "/messages"),
                               json::object{{"client_id", "same-id"}, {"body", "only once"}});
  EXPECT_EQ(200, r.status);
  EXPECT_TRUE(r.json().at("duplicate").as_bool());
  auto events = c.agent.http.get(conv_path(c.id, "/events")).json().at("events").as_array();
  int copies = 0;
  for (const auto& e : events) copies += e.at("body") == "only once";
  EXPECT_EQ(1, copies);
  EXPECT_EQ(1, static_cast<int>(std::count_if(events.begin(), events.end(), [](const auto& e) {
              return e.at("kind") == "text";
            })));
}

TEST_F(ChatFlowTest, EndSessionEndsTheChatForBothSides) {
  auto c = open_chat();
  auto r = c.agent.http.post(conv_path(c.id, "/end"));
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ("ended", r.json().at("conversation").at("status").as_string());

  auto ended = event_of(c.visitor_ws->expect("event"));
  EXPECT_EQ("chat.ended", ended.at("kind").as_string());
  EXPECT_EQ("agent", ended.at("body").as_string());
  EXPECT_EQ("ended", c.visitor_ws->expect("conversation.updated").at("conversation").at("status").as_string());

  // No longer active: not in the Active list, still in All, no more messages.
  auto active = c.agent.http.get("/api/v1/conversations?status=active").json();
  EXPECT_TRUE(active.at("conversations").as_array().empty());
  auto all = c.agent.http.get("/api/v1/conversations?status=all").json();
  ASSERT_EQ(1u, all.at("conversations").as_array().size());
  auto late = c.visitor.http.post(visitor_path(c.id, "/messages"),
                                  json::object{{"client_id", "late"}, {"body", "still there?"}});
  EXPECT_EQ(409, late.status);
  EXPECT_EQ(409, c.agent.http.post(conv_path(c.id, "/end")).status);
}

TEST_F(ChatFlowTest, VisitorCanCloseTheChat) {
  auto c = open_chat();
  c.visitor_ws->send(json::object{{"type", "chat.end"}, {"conversation_id", c.id}});
  auto ended = event_of(c.agent_ws->expect("event"));
  EXPECT_EQ("chat.ended", ended.at("kind").as_string());
  EXPECT_EQ("visitor", ended.at("body").as_string());
}

TEST_F(ChatFlowTest, AcknowledgedMessagesSurviveKillDashNine) {
  auto c = open_chat();
  for (int i = 0; i < 20; ++i) send(*c.visitor_ws, c.id, "k-" + std::to_string(i), "msg " + std::to_string(i));
  server->kill_hard();
  server->start();
  HttpClient http(server->port());
  http.set_bearer(c.visitor.token);
  auto events = http.get(visitor_path(c.id, "/events")).json().at("events").as_array();
  ASSERT_EQ(22u, events.size());
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(static_cast<std::int64_t>(i + 1), events[i].at("seq").as_int64());
  EXPECT_EQ("msg 19", events.back().at("body").as_string());
}

TEST_F(ChatFlowTest, SigtermStopsTheServerCleanlyWithEverythingKept) {
  auto c = open_chat();
  send(*c.visitor_ws, c.id, "t-1", "before shutdown");
  EXPECT_EQ(0, server->stop());
  server->start();
  HttpClient http(server->port());
  http.set_bearer(c.visitor.token);
  auto events = http.get(visitor_path(c.id, "/events")).json().at("events").as_array();
  ASSERT_EQ(3u, events.size());
  EXPECT_EQ("before shutdown", events.back().at("body").as_string());
}

TEST_F(ServerTest, RoundRobinOffersRequestsToAvailableAgentsInTurn) {
  auto alice = available_agent("alice@example.com");
  auto bob = available_agent("bob@example.com");
  std::vector<std::int64_t> offered;
  for (int i = 0; i < 4; ++i) {
    auto v = new_visitor(port());
    auto conv = request_chat(v, "V" + std::to_string(i), "v" + std::to_string(i) + "@example.com");
    offered.push_back(conv.at("agent_id").as_int64());
  }
  auto a = alice.agent.at("id").as_int64(), b = bob.agent.at("id").as_int64();
  EXPECT_EQ((std::vector<std::int64_t>{a, b, a, b}), offered);
}

TEST_F(ServerTest, NoAvailableAgentGivesTheFallbackMessage) {
  auto v = new_visitor(port());
  auto conv = request_chat(v);
  EXPECT_EQ("missed", conv.at("status").as_string());
  auto current = v.http.get("/api/v1/visitor/chats/current").json();
  auto events = current.at("events").as_array();
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ("chat.missed", events[1].at("kind").as_string());
  EXPECT_FALSE(events[1].at("body").as_string().empty());
  // A missed request is an ended chat every agent sees, under Missed with a count; never
  // under Active.
  auto alice = login("alice@example.com");
  auto missed = alice.http.get("/api/v1/conversations?status=missed").json();
  ASSERT_EQ(1u, missed.at("conversations").as_array().size());
  EXPECT_EQ(1, missed.at("missed_count").as_int64());
  EXPECT_TRUE(alice.http.get("/api/v1/conversations?status=active").json().at("conversations").as_array().empty());
}

TEST_F(ServerTest, AReconnectingAgentIsOfferedTheRequestsStillWaiting) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  WsClient reloaded(port(), alice.http.cookie());
  reloaded.expect("hello");
  auto offer = reloaded.expect("chat.requested");
  EXPECT_EQ(id, id_of(offer.at("conversation").as_object()));
  EXPECT_EQ("vera@example.com", offer.at("visitor").at("email").as_string());
  // Once accepted it is no longer offered.
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  WsClient again(port(), alice.http.cookie());
  again.expect("hello");
  EXPECT_TRUE(again.quiet("chat.requested"));
}

TEST_F(ServerTest, ErrorFramesNameTheConversation) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  WsClient ws(port(), alice.http.cookie());
  ws.expect("hello");
  ws.send(json::object{{"type", "chat.accept"}, {"conversation_id", id}});
  auto error = ws.expect("error");
  EXPECT_EQ("conflict", error.at("code").as_string());
  EXPECT_EQ(id, error.at("conversation_id").as_int64());
}

TEST_F(ServerTest, TwoAgentsAcceptingOneRequestHaveOneWinner) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  auto again = alice.http.post(conv_path(id, "/accept"));
  EXPECT_EQ(409, again.status);
  // Bob was never offered it: to him it does not exist.
  auto bob = login("bob@example.com");
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/accept")).status);
}

TEST_F(ServerTest, VisitorReloadRestoresTheOpenChat) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  ASSERT_EQ(201, v.http.post(visitor_path(id, "/messages"), json::object{{"client_id", "r1"}, {"body", "hi"}}).status);
  auto current = v.http.get("/api/v1/visitor/chats/current");
  ASSERT_EQ(200, current.status);
  EXPECT_EQ(id, id_of(current.json().at("conversation").as_object()));
  EXPECT_EQ(3u, current.json().at("events").as_array().size());
  // A second request while one is open is refused.
  auto again = v.http.post("/api/v1/visitor/chats", json::object{{"name", "V"}, {"email", "v@example.com"}});
  EXPECT_EQ(409, again.status);
}

}  // namespace
}  // namespace parley::testing
