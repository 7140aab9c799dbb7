// The Store port: everything Parley keeps, behind one interface with one adapter per
// database (sqlite/ now, postgres/ later). Each mutating call is one atomic transaction;
// conflicting actions (two accepts of one chat, a duplicate client message id) are settled
// inside the database by conditional updates and unique constraints, never by an
// in-memory lock, so the same contract holds when several nodes share one database.
//
// All methods are safe to call from any thread. Expected failures come back as
// core::Error values; a broken database throws StoreFailure.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/chat_policy.hpp"
#include "core/meeting_slots.hpp"
#include "core/people.hpp"
#include "core/result.hpp"
#include "core/routing.hpp"
#include "core/types.hpp"
#include "core/validation.hpp"
#include "core/visibility.hpp"

namespace parley::store {

using core::Id;
using core::Millis;
using core::Result;
using core::Status;

struct StoreFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct NewAgent {
  std::string name;
  std::string email;          // any case; stored lower-cased, unique
  std::string password_hash;  // an encoded Argon2id hash, never the password
  core::Role role = core::Role::agent;
  int max_chats = 10;
  bool takes_chats = true;  // false: a Calendar Agent
};

struct AgentLogin {
  core::Agent agent;
  std::string password_hash;
};

// An active agent as routing sees them: the whole record (schedule, toggle, limit) and how
// many chats (pending + active) they hold now.
struct AgentLoad {
  core::Agent agent;
  int open_chats = 0;
};

// Everything a routing decision needs, read inside the transaction that applies it.
struct RoutingSnapshot {
  std::span<const AgentLoad> agents;      // every active agent
  std::optional<Id> global_pointer;       // the global round-robin pointer
  std::span<const Id> already_offered;    // agents this request was offered to
  const core::RoutingRules& rules;        // with each team's pointer
  const core::VisitorFacts& visitor;
  std::optional<core::PriorRoute> prior;  // set for a re-offer
};

// Decides who gets a chat. Supplied by app/ (it computes effective availability and calls
// core::route) so the rules stay in core/. The store then moves the pointer of the stage
// that chose (global or the team's) in the same transaction.
using RoutingDecision = std::function<core::RouteChoice(const RoutingSnapshot& snapshot)>;

struct ChatRequest {
  Id visitor_id = 0;
  core::PreChatForm form;        // already validated
  std::string fallback_message;  // stored as the "chat.missed" event when nobody is eligible
  Millis accept_timeout = 100'000;  // the offer lapses this long after it is made
};

// The offer of a pending request lapsed: re-offer it, or give up.
struct Reoffer {
  Id conversation_id = 0;
  Id expected_agent = 0;      // the agent whose offer lapsed...
  Millis expected_expiry = 0; // ...at this time; anything else means someone acted first
  core::ChatPolicy policy;
};

struct ReofferOutcome {
  core::Conversation conversation;  // pending with the next agent, or missed ("no_answer")
  Id previous_agent = 0;
  std::vector<core::Message> events;  // chat.missed when the request gave up
};

// What a request produced: the conversation (pending with an agent, or missed) and the
// events it appended (chat.requested, and chat.missed when nobody was eligible).
struct ChatRequestOutcome {
  core::Conversation conversation;
  std::vector<core::Message> events;
};

// A conversation and the event its transition appended.
struct Transition {
  core::Conversation conversation;
  core::Message event;
};

struct NewMessage {
  Id conversation_id = 0;
  core::SenderKind sender = core::SenderKind::visitor;
  std::optional<Id> agent_id;  // required when sender == agent
  std::string body;            // already validated
  std::string client_id;       // already validated; unique per conversation
};

struct AppendOutcome {
  core::Conversation conversation;  // with the new last_seq / last_activity_at
  core::Message message;
  bool duplicate = false;  // the client id was seen before: `message` is the stored one
};

enum class StatusFilter { active, all };

struct ConversationQuery {
  core::Viewer viewer;
  StatusFilter filter = StatusFilter::all;
  // Keyset paging: rows strictly older than (before_activity, before_id) in
  // (last_activity_at DESC, id DESC) order. Both unset = first page.
  std::optional<Millis> before_activity;
  std::optional<Id> before_id;
  int limit = 50;
  // core::search_terms of the search box: only conversations whose visitor's name or email,
  // or one of whose text messages, contains every term (as a prefix). Empty: no search.
  std::vector<std::string> search;
};

struct ConversationSummary {
  core::Conversation conversation;
  std::string visitor_name;   // the person's name, or "Visitor #<visitor id>"
  std::optional<std::string> agent_name;
  std::optional<std::string> last_text;  // newest text message body
  std::optional<std::string> visitor_email;
  // The visitor's text messages the viewer has not read: filled by list_conversations for
  // the assigned agent's rows, 0 elsewhere.
  std::int64_t unread = 0;
};

enum class Reader { agent, visitor };

struct ReadOutcome {
  core::Conversation conversation;
  bool advanced = false;  // false: the mark was already at or past that seq
};

struct VisitorProfile {
  core::Visitor visitor;
  std::optional<core::Person> person;
};

// An agent's meeting calendar as stored, with where its busy times come from.
struct CalendarSettings {
  core::MeetingCalendar calendar;
  std::optional<std::string> ics_url;
  int busy_count = 0;                    // imported busy ranges
  std::optional<Millis> busy_updated_at; // the last import
};

struct BookableCalendar {
  Id agent_id = 0;
  std::string agent_name;
};

// What a booking decision needs, read inside the transaction that books.
struct CalendarState {
  core::MeetingCalendar calendar;
  std::vector<core::TimeRange> meetings;  // the agent's other meetings, cancelled ones left out
  std::vector<core::TimeRange> busy;      // imported busy times
};
// Returns the slot to book, or nullopt when the wanted time is not free. Supplied by app/
// (core::free_slot_at) so the rule stays in core/.
using SlotCheck = std::function<std::optional<core::TimeRange>(const CalendarState& state)>;

// The words a meeting writes into its conversation and the visitor's history; supplied by
// app/, which knows the agent's name and the wire format.
struct MeetingWords {
  std::string event_body;       // of the meeting.* conversation event
  std::string activity_detail;  // of the meeting_booked / meeting_cancelled activity
};
using DescribeMeeting = std::function<MeetingWords(const core::Meeting& meeting)>;

struct NewMeeting {
  Id agent_id = 0;
  std::optional<Id> visitor_id;
  std::optional<Id> conversation_id;
  std::string booker_email;     // already validated, lower-cased
  std::string manage_token_hash;
};

// A meeting after a change, and the conversation event that change appended (when the
// meeting belongs to a conversation).
struct MeetingChange {
  core::Meeting meeting;
  std::optional<core::Conversation> conversation;
  std::optional<core::Message> event;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- agents and sessions ---
  // conflict when the email is taken.
  virtual Result<core::Agent> create_agent(const NewAgent& agent) = 0;
  virtual std::optional<AgentLogin> find_agent_login(std::string_view email) = 0;
  virtual std::optional<core::Agent> find_agent(Id agent_id) = 0;
  virtual std::vector<core::Agent> list_agents() = 0;
  // The availability toggle, effective from `set_at`. not_found when no such agent.
  virtual Result<core::Agent> set_availability_override(Id agent_id, bool available,
                                                        Millis set_at) = 0;
  // Replaces the agent's settings (already validated). not_found when no such agent.
  virtual Result<core::Agent> update_agent_settings(Id agent_id,
                                                    const core::AgentSettings& settings) = 0;
  // When the agent's effective status next changes by itself (nullopt: never).
  virtual void schedule_status_check(Id agent_id, std::optional<Millis> at) = 0;
  // Claims every agent whose status check is due (at or before `now`) and, in the same
  // transaction, sets each one's next check to next_check(agent): in a cluster each due
  // check is claimed by exactly one node.
  using NextCheck = std::function<std::optional<Millis>(const core::Agent&)>;
  virtual std::vector<core::Agent> claim_status_checks(Millis now, const NextCheck& next_check) = 0;

  virtual void create_session(std::string_view token_hash, Id agent_id, Millis expires_at) = 0;
  // The agent of an unexpired session of an active agent, else nullopt.
  virtual std::optional<Id> find_session(std::string_view token_hash, Millis now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;

  // --- visitors and people ---
  virtual core::Visitor create_visitor(std::string_view token_hash, Millis now) = 0;
  virtual std::optional<core::Visitor> find_visitor_by_token(std::string_view token_hash) = 0;
  virtual std::optional<VisitorProfile> visitor_profile(Id visitor_id) = 0;
  // Stores the activity and returns it with its id.
  virtual core::Activity record_activity(const core::Activity& activity) = 0;
  // A page view reported by the widget: a page_visit activity, and the visitor's current
  // page (Visitor::page_url/page_title), in one transaction.
  virtual core::Activity record_page_visit(Id visitor_id, std::string_view url,
                                           std::string_view title, Millis at) = 0;
  // The history of the visitor's person: the activities of every visitor linked to the
  // same person (one email = one person, so two visitors' histories read as one), or of
  // this visitor alone when anonymous. Newest first, only those at or after `since`.
  virtual std::vector<core::Activity> activities(Id visitor_id, Millis since, int limit) = 0;

  // Upserts by email (already validated): set fields replace, unset ones are kept.
  virtual core::Person upsert_person(const core::PersonInput& person, Millis now) = 0;
  // Upserts every row in one transaction: all or nothing. Returns how many were written.
  virtual int import_people(const std::vector<core::PersonInput>& people, Millis now) = 0;
  virtual std::optional<core::Person> find_person_by_email(std::string_view email) = 0;
  // The newest visitor linked to the person (custom activities addressed by email land
  // on it); nullopt when no visitor ever gave that email.
  virtual std::optional<Id> newest_visitor_of_person(Id person_id) = 0;

  // --- meeting calendars and meetings ---
  // The agent's calendar; defaults (no blocks: not bookable) when never saved.
  virtual CalendarSettings load_calendar(Id agent_id) = 0;
  // Replaces the calendar (already validated) and its URL. not_found when no such agent.
  virtual Result<CalendarSettings> save_calendar(Id agent_id, const core::MeetingCalendar& calendar,
                                                 const std::optional<std::string>& ics_url) = 0;
  // Replaces the agent's imported busy times.
  virtual void replace_busy_times(Id agent_id, const std::vector<core::TimeRange>& busy,
                                  Millis now) = 0;
  // Agents whose calendar has a busy-times URL, in id order.
  virtual std::vector<Id> calendars_with_feeds() = 0;
  // Active agents with a bookable calendar (at least one block), in id order.
  virtual std::vector<BookableCalendar> bookable_calendars() = 0;
  // The next bookable calendar in round-robin order after the last one picked (for a
  // missed request's "book a meeting instead"), moving the pointer in the same transaction.
  virtual std::optional<BookableCalendar> next_bookable_calendar() = 0;
  // The agent's calendar, meetings ending after `from` (but `except`) and busy times.
  virtual CalendarState calendar_state(Id agent_id, Millis from,
                                       std::optional<Id> except_meeting = std::nullopt) = 0;

  // One transaction: reads the calendar state, asks check() for the slot at the wanted
  // time, inserts the meeting, appends meeting.booked to its conversation and writes a
  // meeting_booked activity for its visitor. conflict when check() says no or another
  // booking took that slot first (a unique index: exactly one of two racing bookings wins).
  virtual Result<MeetingChange> book_meeting(const NewMeeting& meeting, const SlotCheck& check,
                                             const DescribeMeeting& describe, Millis now) = 0;
  // The same for a move: status rescheduled, sequence + 1, meeting.rescheduled. The meeting
  // itself does not block its new time. not_found / conflict (cancelled, or taken).
  virtual Result<MeetingChange> reschedule_meeting(Id meeting_id, const SlotCheck& check,
                                                   const DescribeMeeting& describe,
                                                   Millis now) = 0;
  // Cancels (frees the slot), sequence + 1, meeting.cancelled and a meeting_cancelled
  // activity. not_found; conflict when already cancelled.
  virtual Result<MeetingChange> cancel_meeting(Id meeting_id, const DescribeMeeting& describe,
                                               Millis now) = 0;
  virtual std::optional<core::Meeting> find_meeting(Id meeting_id) = 0;
  virtual std::optional<core::Meeting> find_meeting_by_token(std::string_view token_hash) = 0;
  // Newest start first; only the agent's when `agent_id` is set.
  virtual std::vector<core::Meeting> list_meetings(std::optional<Id> agent_id, int limit) = 0;

  // --- conversations ---
  // One transaction: upsert the person by email (case-insensitive; given fields win,
  // absent ones keep their stored value), link the visitor, write a form_filled activity,
  // route (decide() over available agents with their open-chat counts and the stored
  // pointer), store the new pointer, create the conversation, append its events.
  // conflict when the visitor already has a pending or active conversation.
  virtual Result<ChatRequestOutcome> request_chat(const ChatRequest& request,
                                                  const RoutingDecision& decide, Millis now) = 0;

  // Pending requests whose offer lapsed at or before `now`, oldest first.
  virtual std::vector<core::Conversation> due_offers(Millis now, int limit) = 0;
  // One transaction, only if the conversation is still pending with expected_agent and
  // expected_expiry (otherwise conflict): remembers that agent as offered, and either offers
  // it to decide()'s pick for another accept window, or — no pick, or max_offers reached —
  // marks it missed ("no_answer") with a chat.missed event carrying the fallback message.
  virtual Result<ReofferOutcome> reoffer(const Reoffer& request, const RoutingDecision& decide,
                                         Millis now) = 0;

  // Active conversations without any event since `idle_since` (inclusive), oldest first.
  virtual std::vector<Id> idle_conversations(Millis idle_since, int limit) = 0;
  // Ends the conversation for inactivity, only if it is still active and idle since
  // `idle_since`; conflict otherwise (a message arrived, or it ended meanwhile).
  virtual Result<Transition> end_if_idle(Id conversation_id, Millis idle_since, Millis now) = 0;

  // Routing rules (accounts, custom rules, teams, default team), with team pointers.
  virtual core::RoutingRules load_routing_rules() = 0;
  // Replaces every rule at once (already validated). Teams are matched by name, so a team
  // keeps its id and pointer across saves; rules and members are replaced. Custom rules and
  // the default team name teams by id of the *given* teams list order: team_id = index + 1
  // in `rules.teams` (the store maps them to stored ids). bad_request for unknown agents.
  virtual Status save_routing_rules(const core::RoutingRules& rules) = 0;
  // Adds or replaces account rules (CSV import); returns how many were written.
  virtual Result<int> upsert_account_rules(const std::vector<core::AccountRule>& rules) = 0;

  // The admin settings of the chat life cycle; defaults until saved.
  virtual core::ChatPolicy load_chat_policy() = 0;
  virtual void save_chat_policy(const core::ChatPolicy& policy) = 0;

  // pending -> active, only for the agent it was offered to. not_found when absent;
  // conflict when it is no longer pending or was offered to someone else. Writes a
  // chat_started activity.
  virtual Result<Transition> accept_chat(Id conversation_id, Id agent_id, Millis now) = 0;

  // Appends a text message with the next seq. A client_id seen before in this conversation
  // returns the stored message with duplicate = true (even after the chat ended).
  // not_found when absent; conflict when the conversation is not active.
  virtual Result<AppendOutcome> append_message(const NewMessage& message, Millis now) = 0;

  // The same, answered through `done` once the message is durable (or failed), on a
  // thread of the store's choosing: the caller's thread is free meanwhile, which is what
  // lets many concurrent sends share one commit. `done` must not block.
  using AppendDone = std::function<void(Result<AppendOutcome>)>;
  virtual void append_message_async(const NewMessage& message, Millis now, AppendDone done) {
    done(append_message(message, now));
  }
  // Returns once every write submitted before the call is durable and its `done` has run,
  // and every message stored so far is searchable (otherwise search trails the messages by
  // a fraction of a second). Shutdown calls it while the objects those callbacks reach are
  // still alive.
  virtual void flush() {}

  // active -> ended, or pending -> missed, with the reason ("agent", "visitor",
  // "inactivity"). Appends chat.ended and writes a chat_ended activity whose detail is a
  // snippet of the conversation. conflict when already ended or missed.
  virtual Result<Transition> end_conversation(Id conversation_id, std::string_view reason,
                                              Millis now) = 0;

  // Moves the agent's or the visitor's read mark up to `seq` (capped at the conversation's
  // last seq; a lower seq leaves it). not_found when absent.
  virtual Result<ReadOutcome> mark_read(Id conversation_id, Reader reader, std::int64_t seq) = 0;

  // Appends a system event (a shared calendar card, say) whatever the conversation's
  // status; the caller checks who may. not_found when absent.
  virtual Result<Transition> append_system_event(Id conversation_id, std::string_view kind,
                                                 std::string_view body, Millis now) = 0;

  virtual std::optional<core::Conversation> find_conversation(Id conversation_id) = 0;
  // The visitor's newest conversation, whatever its status.
  virtual std::optional<core::Conversation> latest_conversation_of_visitor(Id visitor_id) = 0;
  // Events with seq > after_seq, ascending, at most `limit`.
  virtual std::vector<core::Message> events_after(Id conversation_id, std::int64_t after_seq,
                                                  int limit) = 0;
  // The `limit` events just before `before_seq` (seq < before_seq), ascending: the page a
  // reader scrolling back through a long chat asks for next.
  virtual std::vector<core::Message> events_before(Id conversation_id, std::int64_t before_seq,
                                                   int limit) = 0;
  // One conversation with its names and last text, whatever its status.
  virtual std::optional<ConversationSummary> find_summary(Id conversation_id) = 0;
  // Requests offered to the agent and not yet accepted (pending), oldest first.
  virtual std::vector<ConversationSummary> pending_offers(Id agent_id) = 0;
  // The rows of the viewer's Inbox list (core::listed_in_inbox), newest activity first,
  // narrowed by the search terms when there are any. Search sees a message shortly after it
  // is stored (within about a second), at once after flush().
  virtual std::vector<ConversationSummary> list_conversations(const ConversationQuery& q) = 0;
};

// Opens (creating if needed) the SQLite database at `path` and applies migrations.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

}  // namespace parley::store
