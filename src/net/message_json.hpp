// The two frames every chat message makes, written straight into a string instead of
// through a JSON tree: the `event` frame the other sockets get and the `message.ack` the
// sender gets (docs/api.md "WebSocket"). They are the realtime path's hottest encodings;
// building, serializing and freeing a boost::json::object for each cost ~9 % of the
// server's CPU at saturation (docs/performance.md).
//
// The output is byte for byte what boost::json::serialize gives for the same object
// (tests/net/message_json_test.cpp compares the two), so clients see no difference.
#pragma once

#include <string>
#include <string_view>

#include "core/types.hpp"

namespace parley::net {

// {"type":"event","conversation_id":…,"event":<message>}
std::string event_frame(const core::Message& m);

// {"type":"message.ack","client_id":…,"event":<message>,"duplicate":…}, with the message
// taken from its event frame (as event_frame made it), so it is serialized only once.
std::string ack_frame(std::string_view client_id, std::string_view event_frame, bool duplicate);

}  // namespace parley::net
