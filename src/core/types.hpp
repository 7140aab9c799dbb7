// The domain vocabulary shared by every layer: plain values, no behaviour, no I/O.
// Times are milliseconds since the Unix epoch (UTC) so that every store and the wire
// agree on one representation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::core {

using Id = std::int64_t;
using Millis = std::int64_t;  // ms since the Unix epoch, UTC

enum class Role { agent, admin };
const char* to_string(Role role);
std::optional<Role> role_from_string(std::string_view s);

struct Agent {
  Id id = 0;
  std::string name;
  std::string email;
  Role role = Role::agent;
  bool available = false;  // the manual toggle; schedules arrive with issue 4
  int max_chats = 10;
  bool active = true;      // deactivated agents cannot log in or take chats
};

// A CRM record. Visitors who give the same email (case-insensitive) share one person.
struct Person {
  Id id = 0;
  std::string email;  // stored lower-cased
  std::optional<std::string> name;
  std::optional<std::string> job_title;
  std::optional<std::string> phone;
  std::optional<std::string> company;
  std::optional<std::string> crm_status;
};

struct Visitor {
  Id id = 0;
  std::optional<Id> person_id;
  Millis created_at = 0;
};

// pending: offered to one agent, waiting for Accept. active: accepted, messages flow.
// ended: finished after being active. missed: nobody took it (fallback was shown).
enum class ConversationStatus { pending, active, ended, missed };
const char* to_string(ConversationStatus s);
std::optional<ConversationStatus> conversation_status_from_string(std::string_view s);

struct Conversation {
  Id id = 0;
  Id visitor_id = 0;
  std::optional<Id> agent_id;
  ConversationStatus status = ConversationStatus::pending;
  std::int64_t last_seq = 0;  // seq of the newest event in this conversation
  std::string page_url;       // where the visitor was when they asked
  Millis created_at = 0;
  Millis last_activity_at = 0;
  std::optional<Millis> accepted_at;
  std::optional<Millis> ended_at;
  std::optional<std::string> end_reason;  // "agent", "visitor", "inactivity", "no_agent"
};

enum class SenderKind { visitor, agent, system };
const char* to_string(SenderKind s);

// One event of a conversation's log. Text messages and life-cycle events share the
// per-conversation seq, so a reconnecting client replays both, in order, from one query.
struct Message {
  Id id = 0;
  Id conversation_id = 0;
  std::int64_t seq = 0;
  SenderKind sender = SenderKind::system;
  std::optional<Id> agent_id;  // set when sender == agent
  std::string kind;            // "text", or an event: "chat.accepted", "chat.ended", ...
  std::string body;
  std::optional<std::string> client_id;  // idempotency key chosen by the sending client
  Millis created_at = 0;
};

struct Activity {
  Id id = 0;
  Id visitor_id = 0;
  std::string type;  // "page_visit", "form_filled", "chat_started", "chat_ended", ...
  std::string detail;
  std::optional<Id> conversation_id;
  Millis at = 0;
};

}  // namespace parley::core
