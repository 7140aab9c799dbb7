// The WebSocket protocol on the wire (docs/api.md "WebSocket /ws"), spoken byte by byte as a
// client that is not a browser may speak it: pings, fragments, binary and oversized messages,
// malformed frames, both closing handshakes, and the upgrades the server refuses.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <thread>

#include "../websocket_client_frames.hpp"
#include "fixture.hpp"

namespace parley::testing {
namespace {

namespace asio = boost::asio;

constexpr int kOpText = 0x1, kOpClose = 0x8, kOpPong = 0xA;

struct Frame {
  int opcode;
  std::string payload;
  int close_code() const {
    return payload.size() < 2 ? -1
                              : (static_cast<unsigned char>(payload[0]) << 8) |
                                    static_cast<unsigned char>(payload[1]);
  }
};

// One TCP connection to the server, spoken to in raw bytes.
class RawSocket {
 public:
  explicit RawSocket(unsigned short port) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }

  // Sends an upgrade request with the given version and key lines; returns the response head.
  std::string upgrade(const std::string& headers = "Sec-WebSocket-Version: 13\r\n"
                                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") {
    write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          headers + "\r\n");
    while (pending_.find("\r\n\r\n") == std::string::npos) {
      if (!fill(5s)) break;
    }
    auto end = pending_.find("\r\n\r\n");
    if (end == std::string::npos) return pending_;
    std::string head = pending_.substr(0, end + 4);
    pending_.erase(0, end + 4);
    return head;
  }

  void send_bytes(const std::string& bytes) { write(bytes); }
  // A masked client frame; `masked = false` breaks the protocol on purpose.
  void send_frame(std::uint8_t first_byte, std::string_view payload, bool masked = true) {
    write(client_frame(first_byte, payload, {.masked = masked}));
  }

  // The next server frame, or nothing when the connection ended (or `within` passed).
  std::optional<Frame> read_frame(std::chrono::milliseconds within = 5s) {
    auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      if (pending_.size() >= 2) {
        std::size_t size = static_cast<unsigned char>(pending_[1]) & 0x7F, header = 2;
        if (size == 126 && pending_.size() >= 4) {
          size = (static_cast<unsigned char>(pending_[2]) << 8) | static_cast<unsigned char>(pending_[3]);
          header = 4;
        }
        EXPECT_EQ(0, static_cast<unsigned char>(pending_[1]) & 0x80) << "server frames are not masked";
        if (size < 126 || header == 4) {
          if (pending_.size() >= header + size) {
            Frame f{static_cast<unsigned char>(pending_[0]) & 0x0F, pending_.substr(header, size)};
            pending_.erase(0, header + size);
            return f;
          }
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !fill(left)) return std::nullopt;
    }
  }

  // The next text frame's JSON, skipping nothing: fails the test on anything else.
  json::object read_json() {
    auto f = read_frame();
    if (!f || f->opcode != kOpText) {
      ADD_FAILURE() << "expected a text frame";
      return {};
    }
    return json::parse(f->payload).as_object();
  }

  // True when the server closes the TCP connection within `within`.
  bool ends_within(std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      pending_.clear();
      if (!fill(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()))) {
        return ended_;
      }
    }
    return false;
  }

 private:
  void write(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  // Reads what has arrived into pending_; false on timeout or when the connection ended.
  bool fill(std::chrono::milliseconds within) {
    socket_.non_blocking(true);
    auto deadline = std::chrono::steady_clock::now() + within;
    char buf[16384];
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      std::size_t n = socket_.read_some(asio::buffer(buf), ec);
      if (ec == asio::error::would_block) {
        std::this_thread::sleep_for(5ms);
        continue;
      }
      if (ec) {
        ended_ = true;
        return false;
      }
      pending_.append(buf, n);
      return true;
    }
    return false;
  }

  asio::io_context ioc_;
  asio::ip::tcp::socket socket_;
  std::string pending_;
  bool ended_ = false;
};

class WebSocketProtocolTest : public ServerTest {
 protected:
  // A socket past the opening handshake, not authenticated.
  std::unique_ptr<RawSocket> open() {
    auto s = std::make_unique<RawSocket>(port());
    auto head = s->upgrade();
    EXPECT_TRUE(head.starts_with("HTTP/1.1 101")) << head;
    EXPECT_NE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos) << head;
    return s;
  }
};

TEST_F(WebSocketProtocolTest, APingIsAnsweredWithAPongCarryingItsPayload) {
  auto s = open();
  s->send_frame(kFinPing, "are you there");
  auto f = s->read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(kOpPong, f->opcode);
  EXPECT_EQ("are you there", f->payload);
}

TEST_F(WebSocketProtocolTest, FramesWhoseBytesArriveWithPausesAreReadWhole) {
  // Every piece is a short read for the server, after which it waits for the socket rather
  // than reading again: each wait must still see the bytes that come next.
  auto s = open();
  std::string bytes = client_frame(kFinPing, "slow") + client_frame(kFinPing, "er");
  for (char b : bytes) {
    s->send_bytes(std::string(1, b));
    std::this_thread::sleep_for(3ms);
  }
  for (const char* payload : {"slow", "er"}) {
    auto f = s->read_frame();
    ASSERT_TRUE(f);
    EXPECT_EQ(kOpPong, f->opcode);
    EXPECT_EQ(payload, f->payload);
  }
}

TEST_F(WebSocketProtocolTest, AFragmentedMessageIsJoinedAndAPingBetweenItsFragmentsIsAnswered) {
  auto s = open();
  s->send_frame(kText, R"({"ty)");
  s->send_frame(kFinPing, "p");
  s->send_frame(kContinuation, R"(pe":"pi)");
  s->send_frame(kFinContinuation, R"(ng"})");
  auto pong = s->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(kOpPong, pong->opcode);
  EXPECT_EQ("pong", s->read_json().at("type").as_string());
}

TEST_F(WebSocketProtocolTest, ABinaryMessageGetsAnErrorAndTheSocketStaysOpen) {
  auto s = open();
  s->send_frame(kFinBinary, "\x01\x02\x03");
  auto e = s->read_json();
  EXPECT_EQ("error", e.at("type").as_string());
  EXPECT_EQ("bad_request", e.at("code").as_string());
  s->send_frame(kFinText, R"({"type":"ping"})");
  EXPECT_EQ("pong", s->read_json().at("type").as_string());
}

TEST_F(WebSocketProtocolTest, AMessageOver64KiBGetsAnErrorThenClose1009) {
  auto s = open();
  s->send_frame(kFinText, std::string(70'000, 'x'));
  auto e = s->read_json();
  EXPECT_EQ("payload_too_large", e.at("code").as_string());
  auto close = s->read_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(kOpClose, close->opcode);
  EXPECT_EQ(1009, close->close_code());
  EXPECT_TRUE(s->ends_within(3s));
}

TEST_F(WebSocketProtocolTest, MalformedFramesAreFailedWithTheirCloseCode) {
  struct Case {
    const char* name;
    std::function<void(RawSocket&)> send;
    int code;
  };
  std::vector<Case> cases = {
      {"unmasked", [](RawSocket& s) { s.send_frame(kFinText, R"({"type":"ping"})", false); }, 1002},
      {"reserved bit", [](RawSocket& s) { s.send_frame(0xC1, R"({"type":"ping"})"); }, 1002},
      {"unknown opcode", [](RawSocket& s) { s.send_frame(0x83, "x"); }, 1002},
      {"continuation first", [](RawSocket& s) { s.send_frame(kFinContinuation, "x"); }, 1002},
      {"text not UTF-8", [](RawSocket& s) { s.send_frame(kFinText, "{\"type\":\"\xc3\x28\"}"); }, 1007},
  };
  for (const auto& c : cases) {
    auto s = open();
    c.send(*s);
    auto close = s->read_frame();
    ASSERT_TRUE(close) << c.name;
    EXPECT_EQ(kOpClose, close->opcode) << c.name;
    EXPECT_EQ(c.code, close->close_code()) << c.name;
    EXPECT_TRUE(s->ends_within(3s)) << c.name;
  }
}

TEST_F(WebSocketProtocolTest, TheClientsCloseIsEchoedAndTheServerEndsTheConnection) {
  auto s = open();
  std::string going_away{"\x03\xe9", 2};  // 1001
  s->send_frame(kFinClose, going_away + "bye");
  auto close = s->read_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(kOpClose, close->opcode);
  EXPECT_EQ(1001, close->close_code());
  EXPECT_TRUE(s->ends_within(3s));
}

TEST_F(WebSocketProtocolTest, TheServerClosesAfterSayingWhyAndWaitsBrieflyForTheAnswer) {
  // Answered: the connection ends as soon as the client's close frame is in.
  auto answered = open();
  answered->send_frame(kFinText, R"({"type":"subscribe","conversation_id":1})");
  EXPECT_EQ("unauthorized", answered->read_json().at("code").as_string());
  auto close = answered->read_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(kOpClose, close->opcode);
  EXPECT_EQ(1000, close->close_code());
  answered->send_frame(kFinClose, std::string{"\x03\xe8", 2});
  EXPECT_TRUE(answered->ends_within(2s));

  // Never answered: the server ends it anyway, a few seconds later.
  auto silent = open();
  silent->send_frame(kFinText, R"({"type":"subscribe","conversation_id":1})");
  EXPECT_EQ("unauthorized", silent->read_json().at("code").as_string());
  ASSERT_TRUE(silent->read_frame());
  EXPECT_TRUE(silent->ends_within(8s));
}

TEST_F(WebSocketProtocolTest, UpgradesWithAnotherVersionOrNoValidKeyAreRefused) {
  RawSocket old_version(port());
  auto head = old_version.upgrade("Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 426")) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Version: 13"), std::string::npos) << head;

  RawSocket no_key(port());
  head = no_key.upgrade("Sec-WebSocket-Version: 13\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 400")) << head;

  RawSocket bad_key(port());
  head = bad_key.upgrade("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 400")) << head;
}

TEST_F(WebSocketProtocolTest, ManyFramesForOneSocketAllArriveInOrder) {
  // 200 pings in one write: the answers leave in gathered writes, whole and in order.
  auto s = open();
  for (int i = 0; i < 200; ++i) s->send_frame(kFinText, R"({"type":"ping"})");
  for (int i = 0; i < 200; ++i) ASSERT_EQ("pong", s->read_json().at("type").as_string()) << i;
}

}  // namespace
}  // namespace parley::testing
