// The text form of a bus event between processes (the Redis adapter's messages): the topic,
// the payload with every field of its core values, and the `about` conversation. Versioned
// ("v":1) so that nodes running a later format can tell it apart.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bus/event.hpp"

namespace parley::bus {

// One JSON object: {"v":1,"topic":...,"type":...,"data":{...},"about":{...}}; an unset
// optional field is left out.
std::string encode_event(const std::string& topic, const Event& event);

struct DecodedEvent {
  std::string topic;
  EventPtr event;
};

// nullopt, never a throw, for anything encode_event did not produce: not JSON, another
// version, an unknown type, a missing field, a field of the wrong type or out of range.
// Fields it does not know are ignored.
std::optional<DecodedEvent> decode_event(std::string_view text);

}  // namespace parley::bus
