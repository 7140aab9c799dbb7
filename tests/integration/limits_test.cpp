// Abuse and slow clients: rate limits answer 429 with Retry-After, addresses come from
// X-Forwarded-For only through a trusted proxy, slow or silent clients are cut off while a
// chat goes on, and one address cannot hold unlimited connections.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

namespace asio = boost::asio;
using boost::beast::http::verb;

// A fixture whose server runs with the given extra `serve` flags.
class LimitsTest : public ServerTest {
 protected:
  void start_with(std::vector<std::string> flags) {
    server->stop();
    server = std::make_unique<ServerProcess>(dir.path, std::filesystem::path{}, std::move(flags));
    server->start();
  }

  HttpResult login_from(const std::string& email, const std::string& password,
                        const std::map<std::string, std::string>& headers = {}) {
    HttpClient http(port());
    return http.request(verb::post, "/api/v1/auth/login",
                        json::serialize(json::object{{"email", email}, {"password", password}}),
                        headers);
  }

  static void expect_429(const HttpResult& r) {
    EXPECT_EQ(429, r.status) << r.body;
    ASSERT_TRUE(r.headers.contains("retry-after")) << r.body;
    EXPECT_GE(std::stoi(r.headers.at("retry-after")), 1);
    EXPECT_EQ("too_many_requests", r.json().at("error").at("code").as_string());
    EXPECT_GT(r.json().at("error").at("retry_after_ms").as_int64(), 0);
  }

  // A raw TCP connection to the server.
  std::unique_ptr<asio::ip::tcp::socket> connect_raw(asio::io_context& ioc) {
    auto s = std::make_unique<asio::ip::tcp::socket>(ioc);
    s->connect({asio::ip::make_address("127.0.0.1"), port()});
    return s;
  }

  // Reads until the peer closes; false if it is still open after `within`.
  static bool closed_by_peer(asio::ip::tcp::socket& s, std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    s.non_blocking(true);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      s.read_some(asio::buffer(buf), ec);
      if (ec == asio::error::would_block) {
        std::this_thread::sleep_for(20ms);
        continue;
      }
      if (ec) return true;  // eof or reset
    }
    return false;
  }
};

TEST_F(LimitsTest, LoginsPerAddressAreLimitedWithRetryAfter) {
  start_with({"--rate-limit", "login-per-ip=3/60"});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(401, login_from("alice@example.com", "wrong password").status);
  expect_429(login_from("alice@example.com", kPassword));
  // The right password does not get around it either: the address is over its limit.
  expect_429(login_from("bob@example.com", kPassword));
}

// The back-off itself is pinned on a test clock (tests/app/login_backoff_test.cpp); here,
// that it reaches HTTP as a 429 with Retry-After and spares other accounts.
TEST_F(LimitsTest, RepeatedFailuresBackOffOneAccountOnly) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(401, login_from("alice@example.com", "wrong password").status);
  // Failures go on until the account waits (the first waits are short, so a slow machine
  // may let one more failure through); then even the right password is refused.
  HttpResult r;
  for (int i = 0; i < 5 && r.status != 429; ++i) r = login_from("alice@example.com", "wrong password");
  expect_429(r);
  expect_429(login_from("alice@example.com", kPassword));
  EXPECT_EQ(200, login_from("bob@example.com", kPassword).status);
}

TEST_F(LimitsTest, VisitorSessionsAndChatRequestsPerAddress) {
  start_with({"--rate-limit", "visitor-sessions-per-ip=3/60", "--rate-limit",
              "chat-requests-per-ip=1/60"});
  auto v = new_visitor(port());
  new_visitor(port());
  new_visitor(port());
  HttpClient http(port());
  expect_429(http.post("/api/v1/visitor/session"));
  request_chat(v);
  auto again = v.http.post("/api/v1/visitor/chats",
                           json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  expect_429(again);
  EXPECT_EQ("*", again.headers["access-control-allow-origin"]);  // the widget can read it
}

TEST_F(LimitsTest, MessagesPerSocketAndPerVisitor) {
  start_with({"--rate-limit", "messages-per-socket=3/60", "--rate-limit",
              "messages-per-visitor=5/60"});
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = id_of(request_chat(visitor));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);

  WsClient ws(port());
  ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  ws.expect("hello");
  auto send = [&](WsClient& socket, const std::string& client_id) {
    socket.send(json::object{{"type", "message.send"}, {"conversation_id", id},
                             {"client_id", client_id}, {"body", "hi " + client_id}});
  };
  for (int i = 0; i < 3; ++i) {
    send(ws, "s1-" + std::to_string(i));
    ws.expect("message.ack");
  }
  send(ws, "s1-over");
  auto refused = ws.expect("error");
  EXPECT_EQ("too_many_requests", refused.at("code").as_string());
  EXPECT_EQ("s1-over", refused.at("ref").as_string());
  EXPECT_GT(refused.at("retry_after_ms").as_int64(), 0);
  EXPECT_FALSE(ws.closed());  // refused, not disconnected

  // A second socket of the same visitor has its own 3, but the visitor's 5 are shared
  // (3 used above): one more over the socket, one over REST, then no more.
  WsClient second(port());
  second.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  second.expect("hello");
  send(second, "s2-0");
  second.expect("message.ack");
  auto rest = visitor.http.post(visitor_path(id, "/messages"),
                                json::object{{"client_id", "r-0"}, {"body", "over REST"}});
  EXPECT_EQ(201, rest.status) << rest.body;
  expect_429(visitor.http.post(visitor_path(id, "/messages"),
                               json::object{{"client_id", "r-1"}, {"body", "too many"}}));
  send(second, "s2-1");
  EXPECT_EQ("too_many_requests", second.expect("error").at("code").as_string());

  // The agent is not held back by the visitor's budget.
  auto r = alice.http.post(conv_path(id, "/messages"), json::object{{"client_id", "a-0"}, {"body", "hello"}});
  EXPECT_EQ(201, r.status) << r.body;
  // Nothing refused was stored: 3 + 1 + 1 visitor messages and the agent's.
  auto events = alice.http.get(conv_path(id, "/events")).json().at("events").as_array();
  int texts = 0;
  for (const auto& e : events) texts += e.at("kind") == "text";
  EXPECT_EQ(6, texts);
}

TEST_F(LimitsTest, WebSocketUpgradesPerAddress) {
  start_with({"--rate-limit", "ws-upgrades-per-ip=2/60"});
  WsClient a(port()), b(port());
  EXPECT_THROW(WsClient c(port()), std::exception);
  HttpClient http(port());
  auto r = http.request(verb::get, "/ws", "",
                        {{"Connection", "Upgrade"}, {"Upgrade", "websocket"},
                         {"Sec-WebSocket-Version", "13"},
                         {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  expect_429(r);
}

TEST_F(LimitsTest, ForwardedForCountsOnlyThroughATrustedProxy) {
  // Not trusted: X-Forwarded-For is ignored, so changing it does not dodge the limit.
  start_with({"--rate-limit", "login-per-ip=2/60"});
  for (int i = 0; i < 2; ++i) {
    login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
  }
  expect_429(login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "203.0.113.9"}}));

  // Trusted: each forwarded client has its own budget; a forged entry left of the
  // proxy's own does not help.
  start_with({"--rate-limit", "login-per-ip=2/60", "--trusted-proxy", "127.0.0.0/8"});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(401, login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "203.0.113.5"}}).status);
  }
  expect_429(login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "203.0.113.5"}}));
  expect_429(login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.5"}}));
  EXPECT_EQ(401, login_from("x@example.com", "wrong password", {{"X-Forwarded-For", "203.0.113.6"}}).status);
}

TEST_F(LimitsTest, ASlowHeaderClientIsCutOffWhileAChatGoesOn) {
  start_with({"--header-timeout", "1"});
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = id_of(request_chat(visitor));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  WsClient agent_ws(port(), alice.http.cookie());
  agent_ws.expect("hello");
  agent_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 2}});
  agent_ws.expect("subscribed");

  asio::io_context ioc;
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(connect_raw(ioc));
    asio::write(*slow.back(), asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  }
  // They trickle one header byte every 100 ms; the chat carries on meanwhile.
  auto started = std::chrono::steady_clock::now();
  for (int tick = 0; tick < 8; ++tick) {
    for (auto& s : slow) {
      boost::system::error_code ignored;
      asio::write(*s, asio::buffer(std::string("X")), ignored);
    }
    auto r = visitor.http.post(visitor_path(id, "/messages"),
                               json::object{{"client_id", "m" + std::to_string(tick)}, {"body", "still chatting"}});
    EXPECT_EQ(201, r.status);
    EXPECT_EQ("still chatting", agent_ws.expect("event").at("event").at("body").as_string());
    std::this_thread::sleep_for(100ms);
  }
  for (auto& s : slow) EXPECT_TRUE(closed_by_peer(*s, 3s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(200, HttpClient(port()).get("/healthz").status);
}

TEST_F(LimitsTest, ASlowBodyAndAnIdleConnectionAreCutOff) {
  start_with({"--body-timeout", "1", "--idle-timeout", "2"});
  asio::io_context ioc;
  auto slow_body = connect_raw(ioc);
  asio::write(*slow_body, asio::buffer(std::string(
      "POST /api/v1/visitor/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")));
  auto idle = connect_raw(ioc);  // says nothing at all
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_peer(*slow_body, 3s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  EXPECT_TRUE(closed_by_peer(*idle, 3s));
  // A keep-alive client that pauses less than the idle timeout keeps its connection.
  auto keep = connect_raw(ioc);
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 2; ++i) {
    asio::write(*keep, asio::buffer(get));
    boost::beast::flat_buffer buffer;
    boost::beast::http::response<boost::beast::http::string_body> res;
    boost::beast::http::read(*keep, buffer, res);
    EXPECT_EQ(200, res.result_int());
    std::this_thread::sleep_for(1200ms);
  }
}

TEST_F(LimitsTest, ASocketThatNeverAuthenticatesIsClosed) {
  start_with({"--auth-timeout", "1"});
  WsClient silent(port());
  auto visitor = new_visitor(port());
  WsClient authed(port());
  authed.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
  authed.expect("hello");
  std::this_thread::sleep_for(2500ms);
  silent.next(100ms);
  EXPECT_TRUE(silent.closed());
  authed.send(json::object{{"type", "ping"}});
  authed.expect("pong");
  EXPECT_FALSE(authed.closed());
}

TEST_F(LimitsTest, ASilentWebSocketIsClosedAfterTheIdleTimeoutAndAPingingOneIsNot) {
  start_with({"--ws-idle-timeout", "1"});
  auto quiet_visitor = new_visitor(port());
  auto talking_visitor = new_visitor(port());
  WsClient silent(port());
  WsClient talking(port());
  silent.send(json::object{{"type", "auth"}, {"visitor_token", quiet_visitor.token}});
  silent.expect("hello");
  talking.send(json::object{{"type", "auth"}, {"visitor_token", talking_visitor.token}});
  talking.expect("hello");
  for (int i = 0; i < 5; ++i) {  // 2.5 s: over twice the timeout, a ping every half second
    std::this_thread::sleep_for(500ms);
    talking.send(json::object{{"type", "ping"}});
    talking.expect("pong");
  }
  silent.next(100ms);
  EXPECT_TRUE(silent.closed());
  EXPECT_FALSE(talking.closed());
}

TEST_F(LimitsTest, OneAddressHoldsAtMostTheCappedConnections) {
  start_with({"--max-connections-per-ip", "3"});
  asio::io_context ioc;
  auto a = connect_raw(ioc), b = connect_raw(ioc), c = connect_raw(ioc);
  std::this_thread::sleep_for(200ms);  // accepted and counted
  auto fourth = HttpClient(port()).get("/healthz");
  expect_429(fourth);
  a->close();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(200, HttpClient(port()).get("/healthz").status);
}

}  // namespace
}  // namespace parley::testing
