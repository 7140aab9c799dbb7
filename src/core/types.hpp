// The domain vocabulary shared by every layer: plain values, no behaviour, no I/O.
// Times are milliseconds since the Unix epoch (UTC) so that every store and the wire
// agree on one representation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::core {

using Id = std::int64_t;
using Millis = std::int64_t;  // ms since the Unix epoch, UTC

enum class Role { agent, admin };
const char* to_string(Role role);
std::optional<Role> role_from_string(std::string_view s);

// One weekly block of an availability schedule. weekday: 1 = Monday ... 7 = Sunday (ISO).
// Minutes from local midnight in the agent's time zone; end_minute <= start_minute means
// the block runs past midnight into the next day (Fri 22:00-02:00 ends Saturday 02:00).
struct WeeklyBlock {
  int weekday = 1;
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const WeeklyBlock&) const = default;
};

struct Schedule {
  std::vector<WeeklyBlock> blocks;
  bool operator==(const Schedule&) const = default;
};

// The availability toggle: what the agent chose and when (see core/availability.hpp for
// how long it lasts).
struct AvailabilityOverride {
  bool available = false;
  Millis set_at = 0;
  bool operator==(const AvailabilityOverride&) const = default;
};

struct Agent {
  Id id = 0;
  std::string name;
  std::string email;
  Role role = Role::agent;
  int max_chats = 10;
  bool active = true;  // deactivated agents cannot log in or take chats
  std::string time_zone = "UTC";  // IANA name; schedules and midnight are in this zone
  Schedule schedule;              // live-chat availability blocks
  std::optional<AvailabilityOverride> override_state;  // the toggle, while it applies
  bool sound = true;              // notification sound in the Inbox
  bool takes_chats = true;        // false: a Calendar Agent, who is only booked for meetings
  std::string initials;           // the avatar's letters; empty: from the name (core/team.hpp)
  std::string language;           // "sv", "en", or "": the browser's (core/language.hpp)
};

// The agent-editable settings (issue 4, SPEC §4).
struct AgentSettings {
  std::string time_zone = "UTC";
  Schedule schedule;
  int max_chats = 10;
  bool sound = true;
  std::string language{};  // "sv", "en", or "": the browser's (core/language.hpp)
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
  // The page the visitor is on now: the widget reports each page view.
  std::optional<std::string> page_url;
  std::optional<std::string> page_title;
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
  std::optional<std::string> end_reason;  // "agent", "visitor", "inactivity", "agent_deactivated", "no_agent", "no_answer"
  std::optional<Millis> offer_expires_at;  // while pending: when the current offer lapses
  int offers_made = 0;                     // agents this request has been offered to
  // Read state: the newest seq the assigned agent / the visitor has seen. Only grows.
  std::int64_t agent_read_seq = 0;
  std::int64_t visitor_read_seq = 0;
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

// A meeting booked on an agent's meeting calendar (SPEC §5). A reschedule keeps the meeting
// (and its invitation UID) and moves it; a cancelled one frees its slot.
enum class MeetingStatus { scheduled, rescheduled, cancelled };
const char* to_string(MeetingStatus s);
std::optional<MeetingStatus> meeting_status_from_string(std::string_view s);

struct Meeting {
  Id id = 0;
  Id agent_id = 0;                    // whose calendar
  std::optional<Id> visitor_id;       // who booked (through the widget)
  std::optional<Id> conversation_id;  // the chat it was booked from
  std::string booker_email;
  Millis start = 0;
  Millis end = 0;
  MeetingStatus status = MeetingStatus::scheduled;
  int sequence = 0;  // bumped by every change: the invitation's SEQUENCE
  Millis created_at = 0;
};

// One entry of a visitor's activity history; the types are in core/activity.hpp.
struct Activity {
  Id id = 0;
  Id visitor_id = 0;
  std::string type;
  std::string detail;                 // page title, chat snippet, custom text, ...
  std::optional<std::string> url;     // page visits and clicked links
  std::optional<Id> conversation_id;  // chats
  Millis at = 0;
};

}  // namespace parley::core
