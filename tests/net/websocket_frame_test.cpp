// The WebSocket wire format the server speaks (net/websocket_frame.hpp): the handshake's
// answer, server frame headers, and the reader's handling of every kind of client frame,
// legal and not, including bytes that arrive one at a time.
#include "net/websocket_frame.hpp"

#include "../websocket_client_frames.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::net::ws {
namespace {

using namespace parley::testing;  // client_frame and the first bytes

std::vector<Incoming> read_all(MessageReader& reader, std::string_view bytes) {
  reader.append(bytes);
  std::vector<Incoming> out;
  while (auto in = reader.next()) out.push_back(std::move(*in));
  return out;
}

TEST(WebSocketFrameTest, AcceptKeyIsTheRfcExample) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketFrameTest, ClientKeyMustBeSixteenBytesInBase64) {
  EXPECT_TRUE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(is_valid_client_key(""));
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ"));      // no padding
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ===="));  // too long
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25j*Q=="));    // not base64
}

TEST(WebSocketFrameTest, ServerHeadersUseTheShortestLength) {
  std::array<char, 10> h{};
  ASSERT_EQ(encode_header(Opcode::text, 125, h), 2u);
  EXPECT_EQ(static_cast<unsigned char>(h[0]), 0x81);
  EXPECT_EQ(h[1], 125);
  ASSERT_EQ(encode_header(Opcode::close, 126, h), 4u);
  EXPECT_EQ(static_cast<unsigned char>(h[0]), 0x88);
  EXPECT_EQ(h[1], 126);
  EXPECT_EQ(h[2], 0);
  EXPECT_EQ(h[3], 126);
  ASSERT_EQ(encode_header(Opcode::text, 70000, h), 10u);
  EXPECT_EQ(h[1], 127);
  EXPECT_EQ(static_cast<unsigned char>(h[7]), 0x01);  // 70000 = 0x011170
  EXPECT_EQ(static_cast<unsigned char>(h[8]), 0x11);
  EXPECT_EQ(static_cast<unsigned char>(h[9]), 0x70);
}

TEST(WebSocketFrameTest, ClosePayloadIsTheCodeThenTheReason) {
  EXPECT_EQ(close_payload(1009, "too big"), std::string("\x03\xf1too big", 9));
  EXPECT_EQ(close_payload(1000).size(), 2u);
  EXPECT_EQ(close_payload(1000, std::string(200, 'x')).size(), 125u);  // fits a control frame
}

TEST(WebSocketFrameTest, ReadsTextBinaryAndPingInOrder) {
  MessageReader reader(1024);
  auto got = read_all(reader, client_frame(kFinText, R"({"type":"ping"})") +
                                  client_frame(kFinPing, "abc") + client_frame(kFinBinary, "\x01\x02") +
                                  client_frame(kFinPong, "x") + client_frame(kFinText, ""));
  ASSERT_EQ(got.size(), 4u);  // the unsolicited pong is ignored
  EXPECT_EQ(got[0].kind, Incoming::Kind::text);
  EXPECT_EQ(got[0].payload, R"({"type":"ping"})");
  EXPECT_EQ(got[1].kind, Incoming::Kind::ping);
  EXPECT_EQ(got[1].payload, "abc");
  EXPECT_EQ(got[2].kind, Incoming::Kind::binary);
  EXPECT_EQ(got[2].payload, "\x01\x02");
  EXPECT_EQ(got[3].kind, Incoming::Kind::text);
  EXPECT_EQ(got[3].payload, "");
  EXPECT_TRUE(reader.empty());
}

TEST(WebSocketFrameTest, BytesArrivingOneAtATimeGiveTheSameMessages) {
  std::string payload(300, 'a');  // a 16-bit length
  std::string wire = client_frame(kFinText, payload) + client_frame(kFinText, "é");
  MessageReader reader(1024);
  std::vector<Incoming> got;
  for (char c : wire) {
    reader.append(std::string_view(&c, 1));
    while (auto in = reader.next()) got.push_back(std::move(*in));
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload, payload);
  EXPECT_EQ(got[1].payload, "é");
  EXPECT_TRUE(reader.empty());
}

TEST(WebSocketFrameTest, FragmentsAreJoinedWithControlFramesBetween) {
  MessageReader reader(1024);
  auto got = read_all(reader, client_frame(kText, "Hel") + client_frame(kFinPing, "p") +
                                  client_frame(kContinuation, "lo ") +
                                  client_frame(kFinContinuation, "world"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, Incoming::Kind::ping);
  EXPECT_EQ(got[1].kind, Incoming::Kind::text);
  EXPECT_EQ(got[1].payload, "Hello world");
}

TEST(WebSocketFrameTest, LongLengthsAreRead) {
  MessageReader reader(100000);
  std::string big(70000, 'z');
  auto got = read_all(reader, client_frame(kFinBinary, big));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, big);
}

TEST(WebSocketFrameTest, CloseCarriesThePeersCode) {
  MessageReader reader(1024);
  auto got = read_all(reader, client_frame(kFinClose, close_payload(1001, "bye")) +
                                  client_frame(kFinText, "after close"));
  ASSERT_EQ(got.size(), 1u);  // nothing is read after a close
  EXPECT_EQ(got[0].kind, Incoming::Kind::close);
  EXPECT_EQ(got[0].code, 1001);

  MessageReader empty_close(1024);
  got = read_all(empty_close, client_frame(kFinClose, ""));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].code, kCloseNoStatus);
}

// One violation per case: the reader names the close code and reads nothing after it.
struct Violation {
  const char* name;
  std::string bytes;
  std::uint16_t code;
};

TEST(WebSocketFrameTest, ViolationsNameTheirCloseCode) {
  std::string unmasked = client_frame(kFinText, "hi");
  unmasked[1] = static_cast<char>(unmasked[1] & 0x7F);
  std::vector<Violation> cases = {
      {"unmasked", unmasked, kCloseProtocolError},
      {"reserved bit", client_frame(0xC1, "hi"), kCloseProtocolError},
      {"unknown opcode", client_frame(0x83, "hi"), kCloseProtocolError},
      {"fragmented ping", client_frame(0x09, "hi"), kCloseProtocolError},
      {"long ping", client_frame(kFinPing, std::string(126, 'p')), kCloseProtocolError},
      {"continuation first", client_frame(kFinContinuation, "hi"), kCloseProtocolError},
      {"text inside a message", client_frame(kText, "a") + client_frame(kFinText, "b"), kCloseProtocolError},
      {"16-bit length for 5 bytes", client_frame(kFinText, "hello", {{1, 2, 3, 4}, 2}), kCloseProtocolError},
      {"64-bit length for 300 bytes", client_frame(kFinText, std::string(300, 'a'), {{1, 2, 3, 4}, 8}),
       kCloseProtocolError},
      {"one-byte close", client_frame(kFinClose, "x"), kCloseProtocolError},
      {"reserved close code", client_frame(kFinClose, close_payload(1005)), kCloseProtocolError},
      {"close reason not UTF-8", client_frame(kFinClose, close_payload(1000, "\xff")), kCloseInvalidPayload},
      {"text not UTF-8", client_frame(kFinText, "\xc3\x28"), kCloseInvalidPayload},
      {"fragments not UTF-8", client_frame(kText, "\xc3") + client_frame(kFinContinuation, "\x28"),
       kCloseInvalidPayload},
      {"one frame too big", client_frame(kFinText, std::string(101, 'a')), kCloseTooBig},
      {"fragments too big", client_frame(kText, std::string(60, 'a')) +
                                client_frame(kFinContinuation, std::string(41, 'a')), kCloseTooBig},
  };
  for (const auto& c : cases) {
    MessageReader reader(100);
    auto got = read_all(reader, c.bytes + client_frame(kFinText, "after"));
    ASSERT_EQ(got.size(), 1u) << c.name;
    EXPECT_EQ(got[0].kind, Incoming::Kind::violation) << c.name;
    EXPECT_EQ(got[0].code, c.code) << c.name;
    EXPECT_FALSE(got[0].reason.empty()) << c.name;
  }
}

TEST(WebSocketFrameTest, ATooBigFrameFailsBeforeItsPayloadArrives) {
  MessageReader reader(1000);
  std::string header = client_frame(kFinBinary, std::string(5000, 'a')).substr(0, 8);
  auto got = read_all(reader, header);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].code, kCloseTooBig);
}

TEST(WebSocketFrameTest, BytesAfterTheEndAreDropped) {
  // The server reads a failed peer until it closes: none of that may pile up.
  MessageReader reader(100);
  ASSERT_EQ(read_all(reader, client_frame(0xC1, "x")).size(), 1u);  // a violation
  EXPECT_TRUE(read_all(reader, std::string(10'000, 'z')).empty());
  EXPECT_TRUE(reader.empty());
}

TEST(WebSocketFrameTest, AReaderThatConsumedEverythingHoldsNothing) {
  MessageReader reader(1024);
  std::string wire = client_frame(kFinText, "hello");
  EXPECT_TRUE(read_all(reader, wire.substr(0, 4)).empty());
  EXPECT_FALSE(reader.empty());
  EXPECT_EQ(read_all(reader, wire.substr(4)).size(), 1u);
  EXPECT_TRUE(reader.empty());
  EXPECT_TRUE(read_all(reader, client_frame(kText, "par")).empty());
  EXPECT_FALSE(reader.empty());  // half a message
}

}  // namespace
}  // namespace parley::net::ws
