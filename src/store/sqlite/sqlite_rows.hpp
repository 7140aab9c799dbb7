// Row <-> domain value mapping for the SQLite store: the column lists every query selects
// and the readers that turn a result row into a core type, kept in one place so a new
// column is added once.
#pragma once

#include "core/types.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

// Column lists, qualified with the alias each query uses.
// agents.available is the toggle's value; it applies only while override_set_at is set.
inline constexpr const char* kAgentColumns =
    "a.id, a.name, a.email, a.role, a.available, a.max_chats, a.active, a.time_zone, "
    "a.schedule, a.override_set_at, a.sound, a.takes_chats";  // 12
inline constexpr int kAgentColumnCount = 12;
// Unqualified, for RETURNING (which does not accept a table alias).
inline constexpr const char* kAgentColumnsBare =
    "id, name, email, role, available, max_chats, active, time_zone, schedule, "
    "override_set_at, sound, takes_chats";
inline constexpr const char* kPersonColumns =
    "p.id, p.email, p.name, p.job_title, p.phone, p.company, p.crm_status";        // 7
inline constexpr const char* kVisitorColumns =
    "v.id, v.person_id, v.created_at, v.page_url, v.page_title";  // 5
inline constexpr int kVisitorColumnCount = 5;
inline constexpr const char* kVisitorColumnsBare = "id, person_id, created_at, page_url, page_title";
inline constexpr const char* kConversationColumns =
    "c.id, c.visitor_id, c.agent_id, c.status, c.last_seq, c.page_url, c.created_at, "
    "c.last_activity_at, c.accepted_at, c.ended_at, c.end_reason, c.offer_expires_at, "
    "c.offers_made, c.agent_read_seq, c.visitor_read_seq";  // 15
inline constexpr int kConversationColumnCount = 15;
inline constexpr const char* kConversationColumnsBare =
    "id, visitor_id, agent_id, status, last_seq, page_url, created_at, last_activity_at, "
    "accepted_at, ended_at, end_reason, offer_expires_at, offers_made, agent_read_seq, "
    "visitor_read_seq";
inline constexpr const char* kMessageColumns =
    "m.id, m.conversation_id, m.seq, m.sender, m.agent_id, m.kind, m.body, m.client_id, "
    "m.created_at";  // 9
inline constexpr const char* kActivityColumns =
    "t.id, t.visitor_id, t.type, t.detail, t.url, t.conversation_id, t.at";  // 7
inline constexpr const char* kActivityColumnsBare =
    "id, visitor_id, type, detail, url, conversation_id, at";

inline constexpr const char* kMeetingColumns =
    "g.id, g.agent_id, g.visitor_id, g.conversation_id, g.booker_email, g.start_at, g.end_at, "
    "g.status, g.sequence, g.created_at";  // 10
inline constexpr const char* kMeetingColumnsBare =
    "id, agent_id, visitor_id, conversation_id, booker_email, start_at, end_at, status, "
    "sequence, created_at";

// Each reads its columns starting at `first`.
core::Agent read_agent(const Statement& s, int first = 0);
core::Person read_person(const Statement& s, int first = 0);
core::Visitor read_visitor(const Statement& s, int first = 0);
core::Conversation read_conversation(const Statement& s, int first = 0);
core::Message read_message(const Statement& s, int first = 0);
core::Activity read_activity(const Statement& s, int first = 0);
core::Meeting read_meeting(const Statement& s, int first = 0);

core::SenderKind sender_from_string(std::string_view s);

// A schedule as stored: "weekday start end" triples separated by ';' ("1 480 720;5 780 1020").
std::string encode_schedule(const core::Schedule& schedule);
core::Schedule decode_schedule(std::string_view text);

}  // namespace parley::store::sqlite
