#include "net/websocket_frame.hpp"

#include <openssl/evp.h>

#include <utility>

#include "core/mail_message.hpp"
#include "core/validation.hpp"

namespace parley::net::ws {

namespace {

constexpr std::string_view kHandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool is_known(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

// §7.4: codes a peer may send in a close frame (1004-1006 and 1015 are reserved for
// reporting, never sent).
bool is_sendable_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

}  // namespace

std::string accept_key(std::string_view client_key) {
  std::string input(client_key);
  input += kHandshakeGuid;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr);
  return core::base64(std::string_view(reinterpret_cast<const char*>(digest), size));
}

bool is_valid_client_key(std::string_view key) {
  if (key.size() != 24 || !key.ends_with("==")) return false;
  for (std::size_t i = 0; i < 22; ++i) {
    if (!is_base64_char(key[i])) return false;
  }
  return true;
}

std::size_t encode_header(Opcode opcode, std::size_t payload_size, std::array<char, 10>& out) {
  out[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payload_size < 126) {
    out[1] = static_cast<char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<char>(payload_size >> 8);
    out[3] = static_cast<char>(payload_size);
    return 4;
  }
  out[1] = 127;
  auto n = static_cast<std::uint64_t>(payload_size);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>(n >> (56 - 8 * i));
  return 10;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xFF);
  payload += reason.substr(0, 123);  // a control frame carries at most 125 bytes
  return payload;
}

std::optional<Incoming> MessageReader::next() {
  while (!done_) {
    auto* p = reinterpret_cast<const unsigned char*>(input_.data()) + read_;
    std::size_t available = input_.size() - read_;
    if (available < 2) break;
    bool fin = p[0] & 0x80;
    std::uint8_t op = p[0] & 0x0F;
    std::uint64_t size = p[1] & 0x7F;
    if (p[0] & 0x70) return fail(kCloseProtocolError, "reserved bits set");
    if (!is_known(op)) return fail(kCloseProtocolError, "unknown opcode");
    if (!(p[1] & 0x80)) return fail(kCloseProtocolError, "client frames must be masked");
    bool control = op >= 0x8;
    if (control && (!fin || size > 125)) return fail(kCloseProtocolError, "malformed control frame");
    std::size_t header = 2;
    if (size == 126) {
      if (available < 4) break;
      size = (std::uint64_t{p[2]} << 8) | p[3];
      if (size < 126) return fail(kCloseProtocolError, "frame length not in its shortest form");
      header = 4;
    } else if (size == 127) {
      if (available < 10) break;
      size = 0;
      for (int i = 0; i < 8; ++i) size = (size << 8) | p[2 + i];
      if (size < 0x10000 || size >> 63) {
        return fail(kCloseProtocolError, "frame length not in its shortest form");
      }
      header = 10;
    }
    // Refused before its payload arrives: a peer cannot make the server buffer a big message.
    if (!control && message_.size() + size > max_message_) {
      return fail(kCloseTooBig, "message too big");
    }
    header += 4;  // the masking key
    if (available < header || available - header < size) break;
    const unsigned char* mask = p + header - 4;
    std::string payload(reinterpret_cast<const char*>(p + header), static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] ^= static_cast<char>(mask[i % 4]);
    read_ += header + static_cast<std::size_t>(size);

    switch (static_cast<Opcode>(op)) {
      case Opcode::ping:
        return Incoming{Incoming::Kind::ping, std::move(payload)};
      case Opcode::pong:
        continue;  // the server sends no pings; an unsolicited pong is allowed and ignored
      case Opcode::close: {
        if (payload.size() == 1) return fail(kCloseProtocolError, "malformed close frame");
        std::uint16_t code = kCloseNoStatus;
        if (payload.size() >= 2) {
          code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                            static_cast<unsigned char>(payload[1]));
          if (!is_sendable_close_code(code)) return fail(kCloseProtocolError, "invalid close code");
          if (!core::is_valid_utf8(std::string_view(payload).substr(2))) {
            return fail(kCloseInvalidPayload, "close reason is not UTF-8");
          }
        }
        done_ = true;
        return Incoming{Incoming::Kind::close, {}, code};
      }
      case Opcode::continuation:
        if (!in_message_) return fail(kCloseProtocolError, "continuation frame without a message");
        message_ += payload;
        if (!fin) continue;
        in_message_ = false;
        return finish(message_opcode_, std::exchange(message_, {}));
      case Opcode::text:
      case Opcode::binary:
        if (in_message_) return fail(kCloseProtocolError, "new message inside a fragmented one");
        if (fin) return finish(static_cast<Opcode>(op), std::move(payload));
        in_message_ = true;
        message_opcode_ = static_cast<Opcode>(op);
        message_ = std::move(payload);
        continue;
    }
  }
  compact();
  return std::nullopt;
}

std::optional<Incoming> MessageReader::finish(Opcode opcode, std::string payload) {
  if (opcode == Opcode::binary) return Incoming{Incoming::Kind::binary, std::move(payload)};
  if (!core::is_valid_utf8(payload)) return fail(kCloseInvalidPayload, "text message is not UTF-8");
  return Incoming{Incoming::Kind::text, std::move(payload)};
}

std::optional<Incoming> MessageReader::fail(std::uint16_t code, std::string_view reason) {
  done_ = true;
  std::string{}.swap(input_);
  std::string{}.swap(message_);
  read_ = 0;
  return Incoming{Incoming::Kind::violation, {}, code, reason};
}

void MessageReader::compact() {
  if (read_ == input_.size()) {
    std::string{}.swap(input_);
  } else if (read_ > 0) {
    input_.erase(0, read_);
  }
  read_ = 0;
}

}  // namespace parley::net::ws
