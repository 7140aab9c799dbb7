// Resuming a long chat: the socket replays a backlog of any size in pages paced by the
// writer (nothing lost, doubled or reordered, even when writes stop mid-frame), a peer that
// stops reading is still cut off, and REST pages a conversation both ways.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class ReplayTest : public ServerTest {
 protected:
  // Tens of thousands of messages from one visitor: no message rate limits here.
  std::vector<std::string> serve_flags() const override { return {"--rate-limit", "all=off"}; }

  // An accepted chat between Alice and a new visitor; returns its id.
  std::int64_t accepted_chat(AgentLogin& alice, VisitorClient& visitor) {
    WsClient alice_ws(port(), alice.http.cookie());
    alice_ws.expect("hello");
    auto id = id_of(request_chat(visitor));
    alice_ws.expect("chat.requested");
    auto r = alice.http.post(conv_path(id, "/accept"));
    EXPECT_EQ(200, r.status) << r.body;
    return id;
  }

  // Connects `ws` as Alice with a 4 KiB receive buffer and subscribes it to chat `id` from
  // the start: the server's writes fill it at once while the test does not read.
  void subscribe_with_a_tiny_buffer(beast::websocket::stream<beast::tcp_stream>& ws,
                                    AgentLogin& alice, std::int64_t id) {
    auto& socket = beast::get_lowest_layer(ws).socket();
    socket.open(asio::ip::tcp::v4());
    socket.set_option(asio::socket_base::receive_buffer_size(4096));
    socket.connect({asio::ip::make_address("127.0.0.1"), port()});
    ws.set_option(beast::websocket::stream_base::decorator(
        [cookie = alice.http.cookie()](auto& req) { req.set(beast::http::field::cookie, cookie); }));
    ws.handshake("127.0.0.1:" + std::to_string(port()), "/ws");
    ws.write(asio::buffer(json::serialize(
        json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}})));
  }

  // Stores `count` visitor messages through the visitor's socket, 60 in flight at a time.
  void store_messages(VisitorClient& visitor, std::int64_t id, int count,
                      const std::string& padding = "") {
    WsClient ws(port());
    ws.send(json::object{{"type", "auth"}, {"visitor_token", visitor.token}});
    ws.expect("hello");
    for (int sent = 0; sent < count;) {
      int batch = std::min(60, count - sent);
      for (int i = 0; i < batch; ++i) {
        ws.send(json::object{{"type", "message.send"},
                             {"conversation_id", id},
                             {"client_id", "m-" + std::to_string(sent + i)},
                             {"body", "message " + std::to_string(sent + i) + padding}});
      }
      for (int i = 0; i < batch; ++i) ws.expect("message.ack", 30s);
      sent += batch;
    }
  }
};

TEST_F(ReplayTest, ABacklogOfFiftyThousandEventsResumesOverTheSocket) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = accepted_chat(alice, visitor);
  constexpr int kMessages = 50'000;
  store_messages(visitor, id, kMessages);
  const std::int64_t head = kMessages + 2;  // chat.requested and chat.accepted come first

  // A fresh Inbox that has nothing yet: before the fix it got one event, then the server
  // cut it off as "too slow" at 4,096 queued frames.
  WsClient ws(port(), alice.http.cookie());
  ws.expect("hello");
  ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  auto subscribed = ws.expect("subscribed");
  EXPECT_EQ(id, subscribed.at("conversation_id").as_int64());
  EXPECT_EQ(0, subscribed.at("after_seq").as_int64());
  EXPECT_EQ(head, subscribed.at("head_seq").as_int64());
  for (std::int64_t seq = 1; seq <= head; ++seq) {
    auto e = event_of(ws.expect("event", 20s));
    ASSERT_EQ(seq, e.at("seq").as_int64()) << "out of order or doubled";
    if (seq > 2) {
      ASSERT_EQ("message " + std::to_string(seq - 3), e.at("body").as_string());
    }
  }
  EXPECT_TRUE(ws.quiet("event"));  // nothing doubled after the head
  EXPECT_FALSE(ws.closed());

  // Live delivery goes on after the replay.
  auto r = alice.http.post(conv_path(id, "/messages"),
                           json::object{{"client_id", "live"}, {"body", "still here"}});
  ASSERT_EQ(201, r.status) << r.body;
  auto live = event_of(ws.expect("event"));
  EXPECT_EQ(head + 1, live.at("seq").as_int64());

  // A reconnect from the middle gets exactly the rest.
  WsClient again(port(), alice.http.cookie());
  again.expect("hello");
  again.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", head - 700}});
  EXPECT_EQ(head + 1, again.expect("subscribed").at("head_seq").as_int64());
  for (std::int64_t seq = head - 699; seq <= head + 1; ++seq) {
    ASSERT_EQ(seq, event_of(again.expect("event")).at("seq").as_int64());
  }
  EXPECT_TRUE(again.quiet("event"));
}

// The server writes what the socket takes at once and the rest when it drains: with a tiny
// receive buffer and a reader that starts late, writes stop mid-frame many times, and every
// frame must still arrive whole, once, in order.
TEST_F(ReplayTest, AReaderThatFallsBehindGetsEveryFrameWholeAndInOrder) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = accepted_chat(alice, visitor);
  constexpr int kMessages = 3'000;  // ~3 MB with the padding: far more than the buffers hold
  const std::string padding(1000, '.');
  store_messages(visitor, id, kMessages, padding);

  asio::io_context ioc;
  beast::websocket::stream<beast::tcp_stream> ws(ioc);
  subscribe_with_a_tiny_buffer(ws, alice, id);
  std::this_thread::sleep_for(500ms);  // the server's writes hit a full socket meanwhile

  beast::get_lowest_layer(ws).expires_after(60s);
  beast::flat_buffer buffer;
  std::int64_t next = 1;
  while (next <= kMessages + 2) {
    ws.read(buffer);  // throws on a broken frame or a closed socket
    auto frame = json::parse(beast::buffers_to_string(buffer.data())).as_object();
    buffer.consume(buffer.size());
    if (frame.at("type") != "event") continue;  // hello, subscribed
    auto e = event_of(frame);
    ASSERT_EQ(next, e.at("seq").as_int64()) << "out of order or doubled";
    if (next > 2) {
      ASSERT_EQ("message " + std::to_string(next - 3) + padding, e.at("body").as_string());
    }
    ++next;
  }
}

TEST_F(ReplayTest, SubscribingToAChatOneMayNotReadIsRefusedWithoutASubscribedFrame) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = accepted_chat(alice, visitor);
  auto bob = login("bob@example.com");
  WsClient ws(port(), bob.http.cookie());
  ws.expect("hello");
  ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  auto error = ws.expect("error");
  EXPECT_EQ("not_found", error.at("code").as_string());
  EXPECT_EQ(id, error.at("conversation_id").as_int64());
  EXPECT_TRUE(ws.quiet("subscribed"));
}

TEST_F(ReplayTest, RestPagesAConversationBothWays) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = accepted_chat(alice, visitor);
  store_messages(visitor, id, 348);
  const std::int64_t head = 350;

  auto seqs = [](const json::value& page) {
    std::vector<std::int64_t> out;
    for (const auto& e : page.at("events").as_array()) out.push_back(e.at("seq").as_int64());
    return out;
  };
  // Opening a chat: the newest page, oldest first.
  auto newest = alice.http.get(conv_path(id, "/events")).json();
  auto s = seqs(newest);
  ASSERT_EQ(100u, s.size());
  EXPECT_EQ(head - 99, s.front());
  EXPECT_EQ(head, s.back());
  EXPECT_TRUE(newest.at("has_more").as_bool());
  EXPECT_EQ(head, newest.at("head_seq").as_int64());

  // Scrolling back to the start, page by page, gives every event once.
  std::vector<std::int64_t> all = s;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = alice.http.get(conv_path(id, "/events?limit=120&before_seq=" + std::to_string(all.front()))).json();
    auto older = seqs(page);
    all.insert(all.begin(), older.begin(), older.end());
    if (!page.at("has_more").as_bool()) break;
  }
  ASSERT_EQ(static_cast<std::size_t>(head), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(static_cast<std::int64_t>(i + 1), all[i]);

  // Resuming: after_seq, with has_more telling whether newer ones remain.
  auto tail = alice.http.get(conv_path(id, "/events?after_seq=345")).json();
  EXPECT_EQ((std::vector<std::int64_t>{346, 347, 348, 349, 350}), seqs(tail));
  EXPECT_FALSE(tail.at("has_more").as_bool());
  auto middle = alice.http.get(conv_path(id, "/events?after_seq=10&limit=3")).json();
  EXPECT_EQ((std::vector<std::int64_t>{11, 12, 13}), seqs(middle));
  EXPECT_TRUE(middle.at("has_more").as_bool());

  // The limit is capped at 1,000; bad parameters are refused with a reason.
  auto capped = alice.http.get(conv_path(id, "/events?after_seq=0&limit=5000")).json();
  EXPECT_EQ(static_cast<std::size_t>(head), seqs(capped).size());
  for (const char* bad : {"?after_seq=1&before_seq=9", "?after=0", "?limit=0", "?before_seq=-1",
                          "?after_seq=x"}) {
    auto r = alice.http.get(conv_path(id, std::string("/events") + bad));
    EXPECT_EQ(400, r.status) << bad;
    EXPECT_EQ("bad_request", r.json().at("error").at("code").as_string()) << bad;
  }

  // The widget: the current chat opens at its newest page, and pages back the same way.
  auto current = visitor.http.get("/api/v1/visitor/chats/current?limit=20").json();
  s = seqs(current);
  ASSERT_EQ(20u, s.size());
  EXPECT_EQ(head, s.back());
  EXPECT_TRUE(current.at("has_more").as_bool());
  EXPECT_EQ(id, id_of(current.at("conversation").as_object()));
  auto back = visitor.http.get(visitor_path(id, "/events?before_seq=" + std::to_string(s.front()))).json();
  EXPECT_EQ(s.front() - 1, seqs(back).back());
  EXPECT_EQ(100u, seqs(back).size());
}

// A peer that never reads while it is owed a replay: its writer stalls, and after the
// write-stall time (1 s here) the server cuts it off rather than holding the replay open.
class StalledReaderTest : public ReplayTest {
 protected:
  std::vector<std::string> serve_flags() const override {
    return {"--rate-limit", "all=off", "--ws-write-stall", "1"};
  }
};

TEST_F(StalledReaderTest, APeerThatStopsReadingDuringAReplayIsCutOff) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto id = accepted_chat(alice, visitor);
  constexpr int kMessages = 12'000;  // ~12 MB with the padding: more than loopback buffers hold
  store_messages(visitor, id, kMessages, std::string(1000, '.'));

  asio::io_context ioc;
  beast::websocket::stream<beast::tcp_stream> ws(ioc);
  subscribe_with_a_tiny_buffer(ws, alice, id);

  std::this_thread::sleep_for(4s);  // never reading: the server's writer stalls
  // Everything the kernel buffered can still be read, then the connection ends.
  int events = 0;
  beast::flat_buffer buffer;
  beast::error_code ec;
  beast::get_lowest_layer(ws).expires_after(10s);
  while (!ec) {
    ws.read(buffer, ec);
    if (!ec && json::parse(beast::buffers_to_string(buffer.data())).at("type") == "event") ++events;
    buffer.consume(buffer.size());
  }
  EXPECT_NE(beast::error::timeout, ec) << "the server kept the stalled socket open";
  EXPECT_LT(events, kMessages) << "the whole replay fit in the buffers; the test proves nothing";
  EXPECT_GT(events, 0);

  // The server itself is fine: a new socket resumes where the cut-off one stopped.
  WsClient again(port(), alice.http.cookie());
  again.expect("hello");
  again.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", events}});
  EXPECT_EQ(kMessages + 2, again.expect("subscribed").at("head_seq").as_int64());
  EXPECT_EQ(events + 1, event_of(again.expect("event")).at("seq").as_int64());
}

}  // namespace
}  // namespace parley::testing
