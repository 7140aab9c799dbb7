// Client frames in raw bytes for the WebSocket tests (tests/net, tests/integration): what a
// client puts on the wire (RFC 6455 5.2), including the mistakes a server must refuse.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::testing {

// First bytes: FIN and the opcode.
constexpr std::uint8_t kFinText = 0x81;
constexpr std::uint8_t kFinBinary = 0x82;
constexpr std::uint8_t kText = 0x01;  // a first fragment, not final
constexpr std::uint8_t kContinuation = 0x00;  // not final
constexpr std::uint8_t kFinContinuation = 0x80;
constexpr std::uint8_t kFinClose = 0x88;
constexpr std::uint8_t kFinPing = 0x89;
constexpr std::uint8_t kFinPong = 0x8A;

struct FrameShape {
  std::array<unsigned char, 4> mask = {0x12, 0x34, 0x56, 0x78};
  // 0: the shortest length form; 2 or 8 force the 16-bit or 64-bit form.
  int length_bytes = 0;
  bool masked = true;  // false breaks the protocol on purpose
};

// A client frame with `first_byte` (FIN and opcode) carrying `payload`.
inline std::string client_frame(std::uint8_t first_byte, std::string_view payload,
                                FrameShape shape = {}) {
  std::string f(1, static_cast<char>(first_byte));
  std::uint8_t mask_bit = shape.masked ? 0x80 : 0;
  std::size_t n = payload.size();
  int length_bytes = shape.length_bytes;
  if (length_bytes == 0) length_bytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
  if (length_bytes == 0) {
    f += static_cast<char>(mask_bit | n);
  } else if (length_bytes == 2) {
    f += static_cast<char>(mask_bit | 126);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n & 0xFF);
  } else {
    f += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i) f += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xFF);
  }
  if (shape.masked) {
    for (auto m : shape.mask) f += static_cast<char>(m);
  }
  for (std::size_t i = 0; i < n; ++i) {
    f += shape.masked ? static_cast<char>(payload[i] ^ shape.mask[i % 4]) : payload[i];
  }
  return f;
}

}  // namespace parley::testing
