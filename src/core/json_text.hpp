// JSON text without a JSON tree, for the few places that write JSON by hand because they
// are hot or must not depend on a JSON library: activity records here in core, the chat
// message frames in net/message_json.
#pragma once

#include <string>
#include <string_view>

namespace parley::core {

// Appends `text` as a JSON string literal: quoted, with `"`, `\` and control characters
// escaped exactly as boost::json::serialize escapes them; UTF-8 passes through unchanged.
void append_json_string(std::string& out, std::string_view text);

}  // namespace parley::core
