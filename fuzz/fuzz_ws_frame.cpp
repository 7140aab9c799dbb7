// Fuzzes what the server does with the bytes of a WebSocket connection, short of the
// services: Beast's frame parser (masking, fragments, control frames, the 64 KiB message
// limit) over an in-memory stream, then the decoding that websocket_session.cpp's handle()
// does on each text message before it calls a service (parse_object and the field readers,
// frame type by frame type). The first input byte picks the path: odd = raw bytes after the
// opening handshake, even = the rest is one text message.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/validation.hpp"
#include "net/http_util.hpp"
#include "net/json_codec.hpp"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
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

constexpr std::string_view kUpgrade =
    "GET /api/v1/ws HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Upgrade: websocket\r\n"
    "Connection: upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

void wire(std::string_view data) {
  boost::asio::io_context ioc;
  beast::test::stream client(ioc), server(ioc);
  server.connect(client);
  server.append(kUpgrade);
  server.append(data);
  client.close();  // the peer sends nothing more: a read past the input ends with an error
  websocket::stream<beast::test::stream&> ws(server);
  ws.read_message_max(kMaxRequestBody);  // as websocket_session.cpp sets it
  beast::error_code ec;
  ws.accept(ec);
  if (ec) return;
  beast::flat_buffer buffer;
  for (int frames = 0; frames < 64; ++frames) {
    ws.read(buffer, ec);
    if (ec) return;
    if (ws.got_text()) decode(beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  if (bytes[0] & 1) {
    wire(data);
  } else {
    decode(data);
  }
  return 0;
}
