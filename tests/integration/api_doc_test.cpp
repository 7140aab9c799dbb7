// Statements of docs/api.md that no other test pins down, checked against the real server:
// the socket before `auth`, 431 for large headers, the Agent object's takes_chats, the
// end_reason of a withdrawn request.
#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

TEST_F(ServerTest, BeforeAuthOnlyPingIsAnsweredAndBadJsonDoesNotClose) {
  WsClient ws(port());
  ws.send(json::object{{"type", "ping"}});
  ws.expect("pong");
  ws.send_text("{broken");
  EXPECT_EQ("bad_request", ws.expect("error").at("code").as_string());
  EXPECT_FALSE(ws.closed());
  auto visitor = new_visitor(port());
  ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  EXPECT_EQ("visitor", ws.expect("hello").at("role").as_string());
}

TEST_F(ServerTest, RequestHeadersOver16KiBAre431) {
  HttpClient http(port());
  auto r = http.request(verb::get, "/api/v1/me", "", {{"X-Padding", std::string(17 * 1024, 'a')}});
  EXPECT_EQ(431, r.status);
  EXPECT_EQ("bad_request", r.json().at("error").at("code").as_string());
  // A header under the limit is read as usual.
  HttpClient fine(port());
  EXPECT_EQ(401,
            fine.request(verb::get, "/api/v1/me", "", {{"X-Padding", std::string(8 * 1024, 'a')}})
                .status);
}

TEST_F(ServerTest, AgentObjectSaysWhetherItTakesChats) {
  auto a = login("alice@example.com");
  auto me = a.http.get("/api/v1/me").json().at("agent").as_object();
  EXPECT_TRUE(me.at("takes_chats").as_bool());
  for (auto key :
       {"id", "name", "email", "role", "available", "max_chats", "time_zone", "sound", "status"}) {
    EXPECT_TRUE(me.contains(key)) << key;
  }
}

TEST_F(ServerTest, AWithdrawnRequestIsMissedWithReasonVisitor) {
  available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  auto r = v.http.post(visitor_path(id, "/end"));
  ASSERT_EQ(200, r.status) << r.body;
  auto c = r.json().at("conversation").as_object();
  EXPECT_EQ("missed", c.at("status").as_string());
  EXPECT_EQ("visitor", c.at("end_reason").as_string());
  auto events = v.http.get(visitor_path(id, "/events")).json().at("events").as_array();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ("chat.ended", events.back().at("kind").as_string());
  EXPECT_EQ("visitor", events.back().at("body").as_string());
}

}  // namespace
}  // namespace parley::testing
