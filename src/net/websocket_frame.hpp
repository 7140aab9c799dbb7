// The WebSocket protocol (RFC 6455) as this server speaks it, without I/O: the opening
// handshake's answer, the frames a server writes, and a reader that turns the bytes a client
// sent into messages. websocket_session.cpp does the socket work around it.
//
// What the server accepts: masked client frames, text and binary messages (possibly
// fragmented) up to a size limit, ping, pong and close. No extension is negotiated, so the
// reserved bits must be zero. Anything else is a protocol violation that names the close
// code the connection must be failed with (§7.4.1): 1002 for a malformed frame, 1007 for
// text that is not UTF-8, 1009 for a message over the limit.
//
// Memory: a reader that has consumed everything it was given holds no heap memory, so an
// idle connection costs only the reader object itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::net::ws {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// Close codes the server sends (§7.4.1).
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseNoStatus = 1005;  // received only: the peer sent no code
inline constexpr std::uint16_t kCloseProtocolError = 1002;
inline constexpr std::uint16_t kCloseInvalidPayload = 1007;
inline constexpr std::uint16_t kCloseTooBig = 1009;

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
std::string accept_key(std::string_view client_key);

// True when `key` is what §4.1 asks of a Sec-WebSocket-Key: 16 bytes in base64 (24 chars).
bool is_valid_client_key(std::string_view key);

// The header of an unmasked server frame with FIN set, carrying `payload_size` bytes.
// Returns the number of bytes written to `out` (2, 4 or 10).
std::size_t encode_header(Opcode opcode, std::size_t payload_size, std::array<char, 10>& out);

// A close frame's payload: the code (big-endian), then an optional reason.
std::string close_payload(std::uint16_t code, std::string_view reason = {});

// What the reader found in the bytes appended so far.
struct Incoming {
  enum class Kind {
    text,       // a complete text message, valid UTF-8
    binary,     // a complete binary message
    ping,       // payload: the bytes to send back in a pong
    pong,
    close,      // code: the peer's close code (1005 when it sent none)
    violation,  // code: the close code to fail the connection with; reason: why
  };
  Kind kind;
  std::string payload;
  std::uint16_t code = 0;
  std::string_view reason{};
};

// Reassembles client frames into messages. Append what the socket read, then call next()
// until it returns nothing. After a violation or a close it returns nothing more: the
// connection is over.
class MessageReader {
 public:
  explicit MessageReader(std::size_t max_message_size) : max_message_(max_message_size) {}

  // Bytes that arrive after a close or a violation are dropped.
  void append(std::string_view bytes) {
    if (!done_) input_.append(bytes);
  }

  // The next message or control frame in what was appended, or nothing until more bytes
  // arrive. A frame over the size limit fails as soon as its header is in.
  std::optional<Incoming> next();

  // True when nothing is buffered: no partial frame and no partial message.
  bool empty() const { return input_.size() == read_ && !in_message_; }

 private:
  std::optional<Incoming> fail(std::uint16_t code, std::string_view reason);
  std::optional<Incoming> finish(Opcode opcode, std::string payload);
  // Drops what was parsed; gives the memory back once everything was.
  void compact();

  std::size_t max_message_;
  std::string input_;     // bytes from the socket; [read_, size) are not parsed yet
  std::size_t read_ = 0;
  std::string message_;   // a fragmented message's payload so far
  Opcode message_opcode_ = Opcode::text;
  bool in_message_ = false;
  bool done_ = false;     // after a close or a violation
};

}  // namespace parley::net::ws
