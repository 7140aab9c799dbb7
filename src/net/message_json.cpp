#include "net/message_json.hpp"

#include <charconv>
#include <cstdint>

#include "core/json_text.hpp"

namespace parley::net {
namespace {

using core::append_json_string;

void append_int(std::string& out, std::int64_t v) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

// The message object of docs/api.md, keys in the order to_json(core::Message) gives them.
void append_message(std::string& out, const core::Message& m) {
  out += R"({"id":)";
  append_int(out, m.id);
  out += R"(,"conversation_id":)";
  append_int(out, m.conversation_id);
  out += R"(,"seq":)";
  append_int(out, m.seq);
  out += R"(,"sender":)";
  append_json_string(out, core::to_string(m.sender));
  out += R"(,"agent_id":)";
  if (m.agent_id) append_int(out, *m.agent_id);
  else out += "null";
  out += R"(,"kind":)";
  append_json_string(out, m.kind);
  out += R"(,"body":)";
  append_json_string(out, m.body);
  out += R"(,"client_id":)";
  if (m.client_id) append_json_string(out, *m.client_id);
  else out += "null";
  out += R"(,"created_at":)";
  append_int(out, m.created_at);
  out += '}';
}

// Room for the fixed parts and the numbers, so a frame is one allocation.
std::size_t estimate(const core::Message& m) {
  return 200 + m.body.size() + m.kind.size() + (m.client_id ? m.client_id->size() : 0);
}

}  // namespace

std::string event_frame(const core::Message& m) {
  std::string out;
  out.reserve(estimate(m));
  out += R"({"type":"event","conversation_id":)";
  append_int(out, m.conversation_id);
  out += R"(,"event":)";
  append_message(out, m);
  out += '}';
  return out;
}

std::string ack_frame(std::string_view client_id, std::string_view event_frame, bool duplicate) {
  // The message object follows the first `,"event":`, which comes before any text of the
  // message's own, and runs to the frame's closing brace.
  constexpr std::string_view kEventKey = R"(,"event":)";
  auto start = event_frame.find(kEventKey) + kEventKey.size();
  auto message = event_frame.substr(start, event_frame.size() - 1 - start);
  std::string out;
  out.reserve(64 + client_id.size() + message.size());
  out += R"({"type":"message.ack","client_id":)";
  append_json_string(out, client_id);
  out += R"(,"event":)";
  out += message;
  out += duplicate ? R"(,"duplicate":true})" : R"(,"duplicate":false})";
  return out;
}

}  // namespace parley::net
