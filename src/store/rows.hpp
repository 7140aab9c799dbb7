// Row <-> domain value mapping shared by every adapter: the column lists every query selects
// (the same names in each database's schema) and the readers that turn a result row into a
// core type, kept in one place so a new column is added once.
//
// A reader takes any Row with the accessors of the adapters' row types (sqlite::Statement,
// postgres::PgRow): is_null, int64, flag, text, opt_int64 and opt_text, by column index.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/routing.hpp"
#include "core/types.hpp"
#include "core/validation.hpp"
#include "store/store_common.hpp"

namespace parley::store {

// Concatenates SQL fragments (column lists and the text around them).
std::string sql(std::initializer_list<std::string_view> parts);
// The first `max_chars` UTF-8 code points of `s` (never cuts a character in half).
std::string utf8_prefix(std::string_view s, std::size_t max_chars);
// How long the snippet of a chat in its chat_ended activity is, in characters.
inline constexpr std::size_t kSnippetChars = 100;
// Absent or blank form fields keep what the person record already has.
std::optional<std::string> given(const std::optional<std::string>& field);
// What routing knows about a visitor from the pre-chat form.
core::VisitorFacts facts_of(const core::PreChatForm& form);

// Column lists, qualified with the alias each query uses.
// agents.available is the toggle's value; it applies only while override_set_at is set.
inline constexpr const char* kAgentColumns =
    "a.id, a.name, a.email, a.role, a.available, a.max_chats, a.active, a.time_zone, "
    "a.schedule, a.override_set_at, a.sound, a.takes_chats, a.initials, a.language";  // 14
inline constexpr int kAgentColumnCount = 14;
// Unqualified, for RETURNING (which does not accept a table alias).
inline constexpr const char* kAgentColumnsBare =
    "id, name, email, role, available, max_chats, active, time_zone, schedule, "
    "override_set_at, sound, takes_chats, initials, language";
inline constexpr const char* kPersonColumns =
    "p.id, p.email, p.name, p.job_title, p.phone, p.company, p.crm_status";        // 7
inline constexpr const char* kPersonColumnsBare =
    "id, email, name, job_title, phone, company, crm_status";
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

core::SenderKind sender_from_string(std::string_view s);

// A schedule as stored: "weekday start end" triples separated by ';' ("1 480 720;5 780 1020").
std::string encode_schedule(const core::Schedule& schedule);
core::Schedule decode_schedule(std::string_view text);

// Each reads its columns starting at `i`.
template <class Row>
core::Agent read_agent(const Row& s, int i = 0) {
  core::Agent a;
  a.id = s.int64(i);
  a.name = s.text(i + 1);
  a.email = s.text(i + 2);
  a.role = core::role_from_string(s.text(i + 3)).value_or(core::Role::agent);
  bool toggle = s.flag(i + 4);
  a.max_chats = static_cast<int>(s.int64(i + 5));
  a.active = s.flag(i + 6);
  a.time_zone = s.text(i + 7);
  a.schedule = decode_schedule(s.text(i + 8));
  if (auto set_at = s.opt_int64(i + 9)) a.override_state = core::AvailabilityOverride{toggle, *set_at};
  a.sound = s.flag(i + 10);
  a.takes_chats = s.flag(i + 11);
  a.initials = s.text(i + 12);
  a.language = s.text(i + 13);
  return a;
}

template <class Row>
core::Person read_person(const Row& s, int i = 0) {
  core::Person p;
  p.id = s.int64(i);
  p.email = s.text(i + 1);
  p.name = s.opt_text(i + 2);
  p.job_title = s.opt_text(i + 3);
  p.phone = s.opt_text(i + 4);
  p.company = s.opt_text(i + 5);
  p.crm_status = s.opt_text(i + 6);
  return p;
}

template <class Row>
core::Visitor read_visitor(const Row& s, int i = 0) {
  core::Visitor v;
  v.id = s.int64(i);
  v.person_id = s.opt_int64(i + 1);
  v.created_at = s.int64(i + 2);
  v.page_url = s.opt_text(i + 3);
  v.page_title = s.opt_text(i + 4);
  return v;
}

template <class Row>
core::Conversation read_conversation(const Row& s, int i = 0) {
  core::Conversation c;
  c.id = s.int64(i);
  c.visitor_id = s.int64(i + 1);
  c.agent_id = s.opt_int64(i + 2);
  auto status = core::conversation_status_from_string(s.text(i + 3));
  if (!status) throw StoreFailure("store: unknown conversation status " + s.text(i + 3));
  c.status = *status;
  c.last_seq = s.int64(i + 4);
  c.page_url = s.text(i + 5);
  c.created_at = s.int64(i + 6);
  c.last_activity_at = s.int64(i + 7);
  c.accepted_at = s.opt_int64(i + 8);
  c.ended_at = s.opt_int64(i + 9);
  c.end_reason = s.opt_text(i + 10);
  c.offer_expires_at = s.opt_int64(i + 11);
  c.offers_made = static_cast<int>(s.int64(i + 12));
  c.agent_read_seq = s.int64(i + 13);
  c.visitor_read_seq = s.int64(i + 14);
  return c;
}

template <class Row>
core::Message read_message(const Row& s, int i = 0) {
  core::Message m;
  m.id = s.int64(i);
  m.conversation_id = s.int64(i + 1);
  m.seq = s.int64(i + 2);
  m.sender = sender_from_string(s.text(i + 3));
  m.agent_id = s.opt_int64(i + 4);
  m.kind = s.text(i + 5);
  m.body = s.text(i + 6);
  m.client_id = s.opt_text(i + 7);
  m.created_at = s.int64(i + 8);
  return m;
}

template <class Row>
core::Activity read_activity(const Row& s, int i = 0) {
  core::Activity a;
  a.id = s.int64(i);
  a.visitor_id = s.int64(i + 1);
  a.type = s.text(i + 2);
  a.detail = s.text(i + 3);
  a.url = s.opt_text(i + 4);
  a.conversation_id = s.opt_int64(i + 5);
  a.at = s.int64(i + 6);
  return a;
}

template <class Row>
core::Meeting read_meeting(const Row& s, int i = 0) {
  core::Meeting m;
  m.id = s.int64(i);
  m.agent_id = s.int64(i + 1);
  m.visitor_id = s.opt_int64(i + 2);
  m.conversation_id = s.opt_int64(i + 3);
  m.booker_email = s.text(i + 4);
  m.start = s.int64(i + 5);
  m.end = s.int64(i + 6);
  auto status = core::meeting_status_from_string(s.text(i + 7));
  if (!status) throw StoreFailure("store: unknown meeting status " + s.text(i + 7));
  m.status = *status;
  m.sequence = static_cast<int>(s.int64(i + 8));
  m.created_at = s.int64(i + 9);
  return m;
}

// Conversation summaries: SELECT kConversationColumns + kSummaryColumns [+ one unread count
// column] + kSummaryJoins [+ " AND ..." conditions], then read_summary. The summary columns
// after the conversation's: visitor name, agent name, last text, visitor email.
// Then the follow-up of a missed chat: its agent, their name, claimed_at, done_at.
inline constexpr const char* kSummaryColumns =
    ", COALESCE(NULLIF(p.name, ''), 'Visitor #' || c.visitor_id), a.name, c.last_text, p.email"
    ", f.agent_id, fa.name, f.claimed_at, f.done_at";
inline constexpr const char* kSummaryJoins =
    " FROM conversations c "
    "JOIN visitors v ON v.id = c.visitor_id "
    "LEFT JOIN people p ON p.id = v.person_id "
    "LEFT JOIN agents a ON a.id = c.agent_id "
    "LEFT JOIN followups f ON f.conversation_id = c.id "
    "LEFT JOIN agents fa ON fa.id = f.agent_id WHERE true";

template <class Row>
ConversationSummary read_summary(const Row& s, bool with_unread = false) {
  ConversationSummary row;
  row.conversation = read_conversation(s);
  int n = kConversationColumnCount;
  row.visitor_name = s.text(n);
  row.agent_name = s.opt_text(n + 1);
  row.last_text = s.opt_text(n + 2);
  row.visitor_email = s.opt_text(n + 3);
  if (auto claimer = s.opt_int64(n + 4)) {
    row.followup = core::FollowUp{*claimer, s.text(n + 5), s.int64(n + 6), s.opt_int64(n + 7)};
  }
  if (with_unread) row.unread = s.int64(n + 8);
  return row;
}

}  // namespace parley::store
