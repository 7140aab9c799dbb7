// Stored facts joined the way their readers need them: what the app hands to transport and
// to events. Plain values like core/types.hpp, defined here rather than beside the Store port
// so that the wire codecs and the event bus need nothing from store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/meeting_slots.hpp"
#include "core/types.hpp"

namespace parley::core {

// Who took a missed chat for follow-up, when, and whether it is done (core/followup.hpp).
struct FollowUp {
  Id agent_id = 0;
  std::string agent_name;
  Millis claimed_at = 0;
  std::optional<Millis> done_at;
};

// One row of the Inbox list, or the header of one conversation.
struct ConversationSummary {
  Conversation conversation;
  std::string visitor_name;  // the person's name, or "Visitor #<visitor id>"
  std::optional<std::string> agent_name;
  std::optional<std::string> last_text;  // newest text message body
  std::optional<std::string> visitor_email;
  // The visitor's text messages the viewer has not read: filled by the Inbox list for the
  // assigned agent's rows, 0 elsewhere.
  std::int64_t unread = 0;
  // Set for a missed chat someone claimed for follow-up.
  std::optional<FollowUp> followup{};
};

// Which side's read mark moves.
enum class Reader { agent, visitor };

// The Inbox filter: the viewer's active chats, everything they may see, or the missed chats.
enum class StatusFilter { active, all, missed };

// A visitor with the person they gave an email for, if any.
struct VisitorProfile {
  Visitor visitor;
  std::optional<Person> person;
};

// An agent's meeting calendar as stored, with where its busy times come from.
struct CalendarSettings {
  MeetingCalendar calendar;
  std::optional<std::string> ics_url;
  int busy_count = 0;                    // imported busy ranges
  std::optional<Millis> busy_updated_at; // the last import
};

// A message once stored: the conversation with its new last_seq / last_activity_at.
struct AppendOutcome {
  Conversation conversation;
  Message message;
  bool duplicate = false;  // the client id was seen before: `message` is the stored one
};

}  // namespace parley::core
