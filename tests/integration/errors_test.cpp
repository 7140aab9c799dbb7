// Bad input gets a clear JSON error with the right status, and never brings the server down.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

void expect_error(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(status, r.status) << r.body;
  ASSERT_FALSE(r.body.empty());
  auto v = r.json();
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(code, v.at("error").at("code").as_string()) << r.body;
  EXPECT_FALSE(v.at("error").at("message").as_string().empty());
  EXPECT_NE(std::string::npos, r.headers.at("content-type").find("application/json"));
}

// Sends raw bytes and returns what the server answered (up to close).
std::string raw_exchange(unsigned short port, const std::string& bytes) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(s, boost::asio::buffer(bytes));
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    auto n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

TEST_F(ServerTest, MalformedJsonIs400) {
  HttpClient http(port());
  expect_error(http.request(verb::post, "/api/v1/auth/login", "{not json"), 400, "bad_request");
  expect_error(http.request(verb::post, "/api/v1/auth/login", "[1,2]"), 400, "bad_request");
  expect_error(http.request(verb::post, "/api/v1/auth/login", R"({"email":5,"password":"x"})"), 400,
               "bad_request");
  auto v = new_visitor(port());
  expect_error(v.http.request(verb::post, "/api/v1/visitor/chats", R"({"name":"A"})"), 400, "bad_request");
  expect_error(v.http.request(verb::post, "/api/v1/visitor/chats", R"({"name":"A","email":"not-an-email"})"),
               400, "bad_request");
}

TEST_F(ServerTest, UnknownRoutesAre404AndWrongMethods405) {
  HttpClient http(port());
  expect_error(http.get("/api/v1/nope"), 404, "not_found");
  expect_error(http.get("/api/v2/conversations"), 404, "not_found");
  expect_error(http.get("/no/such/page"), 404, "not_found");
  expect_error(http.get("/api/v1/auth/login"), 405, "method_not_allowed");
  auto a = login("alice@example.com");
  expect_error(a.http.get("/api/v1/conversations/abc"), 404, "not_found");
  expect_error(a.http.get("/api/v1/conversations/999999"), 404, "not_found");
  expect_error(a.http.get("/api/v1/conversations?status=bogus"), 400, "bad_request");
  expect_error(a.http.get("/api/v1/conversations?before=zz"), 400, "bad_request");
}

TEST_F(ServerTest, MissingOrForgedVisitorTokenIs401) {
  HttpClient http(port());
  expect_error(http.post("/api/v1/visitor/chats", json::object{{"name", "A"}, {"email", "a@b.co"}}), 401,
               "unauthorized");
  http.set_bearer("forged-token");
  expect_error(http.get("/api/v1/visitor/chats/current"), 401, "unauthorized");
}

TEST_F(ServerTest, TooLargeBodiesAre413) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  // A message over the documented 4000-byte limit.
  expect_error(v.http.post(visitor_path(id, "/messages"),
                           json::object{{"client_id", "big"}, {"body", std::string(4001, 'x')}}),
               413, "payload_too_large");
  // Exactly at the limit is fine.
  EXPECT_EQ(201, v.http.post(visitor_path(id, "/messages"),
                             json::object{{"client_id", "max"}, {"body", std::string(4000, 'x')}})
                     .status);
  // A request body over 64 KiB is refused before it is parsed.
  expect_error(v.http.request(verb::post, visitor_path(id, "/messages"), std::string(70 * 1024, ' ')),
               413, "payload_too_large");
  EXPECT_EQ(200, HttpClient(port()).get("/healthz").status);
}

TEST_F(ServerTest, EmptyOrInvalidMessagesAre400) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  expect_error(v.http.post(visitor_path(id, "/messages"), json::object{{"client_id", "e"}, {"body", "   "}}),
               400, "bad_request");
  expect_error(v.http.post(visitor_path(id, "/messages"), json::object{{"body", "no id"}}), 400,
               "bad_request");
  expect_error(v.http.request(verb::post, visitor_path(id, "/messages"),
                              "{\"client_id\":\"u\",\"body\":\"\xff\xfe\"}"),
               400, "bad_request");
}

TEST_F(ServerTest, GarbageOnTheWireGets400AndTheServerStaysUp) {
  auto answer = raw_exchange(port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(std::string::npos, answer.find("400")) << answer;
  raw_exchange(port(), std::string(1, '\0') + "\x16\x03\x01 binary junk\r\n\r\n");
  raw_exchange(port(), "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n");
  EXPECT_TRUE(server->alive());
  EXPECT_EQ(200, HttpClient(port()).get("/healthz").status);
}

TEST_F(ServerTest, BadWebSocketFramesGetErrorFramesNotACrash) {
  auto a = login("alice@example.com");
  WsClient ws(port(), a.http.cookie());
  ws.expect("hello");
  ws.send_text("{broken");
  EXPECT_EQ("bad_request", ws.expect("error").at("code").as_string());
  ws.send_text(R"({"no_type":1})");
  EXPECT_EQ("bad_request", ws.expect("error").at("code").as_string());
  ws.send_text(R"({"type":"message.send","conversation_id":"x"})");
  EXPECT_EQ("bad_request", ws.expect("error").at("code").as_string());
  ws.send_text(R"({"type":"subscribe","conversation_id":424242})");
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  ws.send_text(R"({"type":"warp.drive"})");
  EXPECT_EQ("bad_request", ws.expect("error").at("code").as_string());
  ws.send(json::object{{"type", "ping"}});
  ws.expect("pong");
  EXPECT_TRUE(server->alive());
}

TEST_F(ServerTest, UnauthenticatedSocketIsClosedAfterItsFirstNonAuthFrame) {
  WsClient ws(port());
  ws.send(json::object{{"type", "subscribe"}, {"conversation_id", 1}});
  EXPECT_EQ("unauthorized", ws.expect("error").at("code").as_string());
  ws.next(2s);
  EXPECT_TRUE(ws.closed());
}

TEST_F(ServerTest, CrossOriginSocketWithTheAgentCookieIs403) {
  auto a = login("alice@example.com");
  EXPECT_THROW(WsClient(port(), a.http.cookie(), "https://evil.example"), std::exception);
  // The same origin is fine.
  WsClient ok(port(), a.http.cookie(), "http://127.0.0.1:" + std::to_string(port()));
  ok.expect("hello");
}

TEST_F(ServerTest, CrossOriginPostWithTheAgentCookieIs403) {
  auto a = login("alice@example.com");
  auto r = a.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})",
                          {{"Origin", "https://evil.example"}});
  expect_error(r, 403, "forbidden");
}

}  // namespace
}  // namespace parley::testing
