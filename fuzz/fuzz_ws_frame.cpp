// Fuzzes what the server does with the bytes of a WebSocket connection, short of the
// services: the frame reader every session runs (net/websocket_frame.hpp: masking, fragments,
// control frames, the 64 KiB message limit, UTF-8), fed in pieces as socket reads would
// deliver them, then the decoding that websocket_session.cpp's handle() does on each text
// message before it calls a service (parse_object and the field readers, frame type by frame
// type). The first input byte picks the path: odd = raw bytes after the opening handshake, in
// pieces of 1 + (byte / 2) % 64 bytes; even = the rest is one text message.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/validation.hpp"
#include "net/http_util.hpp"
#include "net/json_codec.hpp"
#include "net/websocket_frame.hpp"

namespace {

using namespace parley;
using namespace parley::net;

void check_utf8(const std::string& s) {
  if (!core::is_valid_utf8(s)) std::abort();
}

// The fields handle() reads, in its order, for each frame type (docs/api.md "WebSocket").
void decode(std::string_view text) {
  auto parsed = parse_object(text);
  if (!parsed) return;
  const json::object& f = *parsed;
  auto type = required_string(f, "type");
  if (!type) return;
  if (*type == "ping") return;
  if (*type == "auth") {
    (void)required_string(f, "visitor_token");
    return;
  }
  auto conversation = required_int(f, "conversation_id");
  if (!conversation) return;
  if (*type == "subscribe" && f.contains("after_seq")) {
    (void)required_int(f, "after_seq");
  } else if (*type == "message.send") {
    auto client_id = required_string(f, "client_id");
    if (!client_id) return;
    auto body = required_string(f, "body");
    if (!body) return;
    // What chat_service checks first with them.
    (void)core::validate_client_id(*client_id);
    if (auto valid = core::validate_message_body(*body)) check_utf8(*valid);
  } else if (*type == "read") {
    (void)required_int(f, "seq");
  }
}

void wire(std::string_view data, std::size_t piece) {
  ws::MessageReader reader(kMaxRequestBody);  // as websocket_session.cpp makes it
  for (std::size_t at = 0; at < data.size(); at += piece) {
    reader.append(data.substr(at, piece));
    while (auto in = reader.next()) {
      if (in->payload.size() > kMaxRequestBody) std::abort();  // the limit held
      if (in->kind == ws::Incoming::Kind::text) {
        check_utf8(in->payload);
        decode(in->payload);
      }
      if (in->kind == ws::Incoming::Kind::close || in->kind == ws::Incoming::Kind::violation) {
        if (reader.next()) std::abort();  // nothing is read after the end
        return;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  if (bytes[0] & 1) {
    wire(data, 1 + (bytes[0] >> 1) % 64);
  } else {
    decode(data);
  }
  return 0;
}
