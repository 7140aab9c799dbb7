// Fuzzes the bus event codec (src/bus/event_codec): the text another node publishes on Redis,
// decoded by every node. Whatever the bytes, decode_event returns nullopt or an event; an
// event it accepts encodes to a text that decodes to the same text again (a stable round
// trip), so nothing a node forwards can be read differently by the next.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bus/event_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(bytes), size);
  auto decoded = parley::bus::decode_event(text);
  if (!decoded) return 0;
  auto once = parley::bus::encode_event(decoded->topic, *decoded->event);
  auto again = parley::bus::decode_event(once);
  if (!again) std::abort();
  if (parley::bus::encode_event(again->topic, *again->event) != once) std::abort();
  return 0;
}
