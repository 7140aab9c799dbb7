// The hand-written message frames give exactly the bytes of the JSON tree they replace, for
// every sender, null and present optional fields, and every kind of character a body holds.
#include "net/message_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "net/json_codec.hpp"

namespace parley::net {
namespace {

std::vector<core::Message> samples() {
  std::string every_ascii;
  for (int c = 0; c < 128; ++c) every_ascii += static_cast<char>(c);
  std::vector<std::string> bodies = {
      "",
      "hello",
      every_ascii,
      R"(a "quoted" \ back\slash / slash)",
      "Hej! Vi ses på mötet i Göteborg 🙂",  // UTF-8 passes through unescaped
      "line\nbreak\ttab\r\b\f\x01\x1f\x7f",
      std::string(5000, 'x'),
  };
  std::vector<core::Message> out;
  std::int64_t n = 1;
  for (const auto& body : bodies) {
    core::Message visitor{n, 42, n, core::SenderKind::visitor, std::nullopt, "text", body,
                          "1733500000000000000.7.3", 1733500000123 + n};
    core::Message agent{n + 1000, 9'007'199'254'740'993, n, core::SenderKind::agent, 17, "text",
                        body, std::nullopt, 0};
    core::Message system{n + 2000, 1, 1, core::SenderKind::system, std::nullopt, "chat.accepted",
                         body, body, 1};  // a client id with the same characters
    out.insert(out.end(), {visitor, agent, system});
    ++n;
  }
  return out;
}

TEST(MessageJson, TheEventFrameIsByteForByteTheTreeForm) {
  for (const auto& m : samples()) {
    auto tree = json::serialize(json::object{
        {"type", "event"}, {"conversation_id", m.conversation_id}, {"event", to_json(m)}});
    EXPECT_EQ(tree, event_frame(m)) << "body: " << m.body.substr(0, 40);
  }
}

TEST(MessageJson, TheAckIsByteForByteTheTreeForm) {
  for (const auto& m : samples()) {
    for (bool duplicate : {false, true}) {
      std::string client_id = m.client_id.value_or("c\"1\n");
      auto tree = json::serialize(json::object{{"type", "message.ack"},
                                               {"client_id", client_id},
                                               {"event", to_json(m)},
                                               {"duplicate", duplicate}});
      EXPECT_EQ(tree, ack_frame(client_id, event_frame(m), duplicate))
          << "body: " << m.body.substr(0, 40);
    }
  }
}

TEST(MessageJson, AJsonStringLiteralParsesBackToItself) {
  for (const auto& m : samples()) {
    std::string literal;
    core::append_json_string(literal, m.body);
    EXPECT_EQ(m.body, json::parse(literal).as_string());
  }
}

TEST(MessageJson, TheBusEncoderUsesTheSameFrame) {
  auto m = samples()[3];
  EXPECT_EQ(event_frame(m), encode_frame(bus::ConversationEvent{m}));
}

}  // namespace
}  // namespace parley::net
