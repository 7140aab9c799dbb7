// The PostgreSQL adapter of the Store port, for clusters: any number of `parley serve`
// nodes share one database. Every conflict is settled inside PostgreSQL, by conditional
// updates, unique constraints and row locks that every node sees (the accept of a chat, a
// booking, the round-robin pointers, deadlines), never by a lock in this process.
//
// Writes run in their own transaction on a pooled connection (retried when PostgreSQL
// reports a serialization failure or a deadlock); messages go through a group-commit writer
// (many messages, one transaction, one commit) and are acknowledged once committed. Reads
// use pooled connections in autocommit.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/pg_group_commit.hpp"
#include "store/postgres/pg_pool.hpp"
#include "store/store.hpp"

namespace parley::store::postgres {

class PgStore final : public Store {
 public:
  // Connects with a libpq connection string or URI and applies the schema.
  explicit PgStore(const std::string& conninfo);
  ~PgStore() override;

  // --- agents and sessions (pg_agents.cpp) ---
  Result<core::Agent> create_agent(const NewAgent& agent) override;
  std::optional<AgentLogin> find_agent_login(std::string_view email) override;
  std::optional<core::Agent> find_agent(Id agent_id) override;
  std::vector<core::Agent> list_agents() override;
  Result<core::Agent> set_availability_override(Id agent_id, bool available,
                                                Millis set_at) override;
  Result<core::Agent> update_agent_settings(Id agent_id,
                                            const core::AgentSettings& settings) override;
  Result<core::Agent> update_agent_account(Id agent_id, const AgentAccountChange& change) override;
  Result<core::Agent> set_agent_password(Id agent_id, std::string_view password_hash,
                                         bool end_sessions,
                                         std::string_view keep_session = {}) override;
  void create_password_link(std::string_view token_hash, Id agent_id, Millis expires_at) override;
  Result<core::Agent> use_password_link(std::string_view token_hash, Millis now,
                                        std::string_view password_hash) override;
  std::optional<core::Agent> find_password_link(std::string_view token_hash, Millis now) override;
  void create_session(std::string_view token_hash, Id agent_id, Millis expires_at) override;
  std::optional<Id> find_session(std::string_view token_hash, Millis now) override;
  void delete_session(std::string_view token_hash) override;
  void report_presence(std::string_view node_id, std::span<const Id> agents,
                       Millis expires_at) override;

  // --- visitors and people (pg_people.cpp) ---
  core::Visitor create_visitor(std::string_view token_hash, Millis now) override;
  std::optional<core::Visitor> find_visitor_by_token(std::string_view token_hash) override;
  std::optional<VisitorProfile> visitor_profile(Id visitor_id) override;
  core::Activity record_activity(const core::Activity& activity) override;
  core::Activity record_page_visit(Id visitor_id, std::string_view url, std::string_view title,
                                   Millis at) override;
  std::vector<core::Activity> activities(Id visitor_id, Millis since, int limit) override;
  core::Person upsert_person(const core::PersonInput& person, Millis now) override;
  int import_people(const std::vector<core::PersonInput>& people, Millis now) override;
  std::optional<core::Person> find_person_by_email(std::string_view email) override;
  Result<core::Person> edit_visitor_person(Id visitor_id, const core::PersonInput& fields,
                                           Millis now) override;
  std::optional<Id> newest_visitor_of_person(Id person_id) override;

  // --- meeting calendars and meetings (pg_meetings.cpp) ---
  CalendarSettings load_calendar(Id agent_id) override;
  Result<CalendarSettings> save_calendar(Id agent_id, const core::MeetingCalendar& calendar,
                                         const std::optional<std::string>& ics_url) override;
  void replace_busy_times(Id agent_id, const std::vector<core::TimeRange>& busy,
                          Millis now) override;
  std::vector<Id> calendars_with_feeds() override;
  std::vector<BookableCalendar> bookable_calendars() override;
  std::optional<BookableCalendar> next_bookable_calendar() override;
  CalendarState calendar_state(Id agent_id, Millis from,
                               std::optional<Id> except_meeting) override;
  Result<MeetingChange> book_meeting(const NewMeeting& meeting, const SlotCheck& check,
                                     const DescribeMeeting& describe, Millis now) override;
  Result<MeetingChange> reschedule_meeting(Id meeting_id, const SlotCheck& check,
                                           const DescribeMeeting& describe, Millis now) override;
  Result<MeetingChange> cancel_meeting(Id meeting_id, const DescribeMeeting& describe,
                                       Millis now) override;
  std::optional<core::Meeting> find_meeting(Id meeting_id) override;
  std::optional<core::Meeting> find_meeting_by_token(std::string_view token_hash) override;
  std::vector<core::Meeting> list_meetings(std::optional<Id> agent_id, int limit) override;

  // --- routing (pg_routing.cpp) ---
  Result<ChatRequestOutcome> request_chat(const ChatRequest& request, const RoutingDecision& decide,
                                          Millis now) override;
  Result<ReofferOutcome> reoffer(const Reoffer& request, const RoutingDecision& decide,
                                 Millis now) override;
  core::RoutingRules load_routing_rules() override;
  Status save_routing_rules(const core::RoutingRules& rules) override;
  Result<int> upsert_account_rules(const std::vector<core::AccountRule>& rules) override;

  // --- deadlines (pg_deadlines.cpp) ---
  void schedule_status_check(Id agent_id, std::optional<Millis> at) override;
  std::vector<core::Agent> claim_status_checks(Millis now, const NextCheck& next_check) override;
  std::vector<core::Conversation> due_offers(Millis now, int limit) override;
  std::vector<Id> idle_conversations(Millis idle_since, int limit) override;
  Result<Transition> end_if_idle(Id conversation_id, Millis idle_since, Millis now) override;

  // --- conversations and messages (pg_conversations.cpp) ---
  Result<Transition> accept_chat(Id conversation_id, Id agent_id, Millis now) override;
  Result<AppendOutcome> append_message(const NewMessage& message, Millis now) override;
  void append_message_async(NewMessage message, Millis now, AppendDone done) override;
  void flush() override;
  Result<Transition> end_conversation(Id conversation_id, std::string_view reason,
                                      Millis now) override;
  Result<ReadOutcome> mark_read(Id conversation_id, Reader reader, std::int64_t seq) override;
  Result<Transition> append_system_event(Id conversation_id, std::string_view kind,
                                         std::string_view body, Millis now) override;
  std::optional<core::Conversation> find_conversation(Id conversation_id) override;
  std::optional<core::Conversation> latest_conversation_of_visitor(Id visitor_id) override;
  std::vector<core::Message> events_after(Id conversation_id, std::int64_t after_seq,
                                          int limit) override;
  std::vector<core::Message> events_before(Id conversation_id, std::int64_t before_seq,
                                           int limit) override;
  std::optional<ConversationSummary> find_summary(Id conversation_id) override;
  std::vector<ConversationSummary> pending_offers(Id agent_id) override;
  std::vector<ConversationSummary> list_conversations(const ConversationQuery& q) override;

  // --- follow-up of missed chats (pg_followups.cpp) ---
  Result<Transition> claim_followup(Id conversation_id, Id agent_id, Millis now) override;
  Result<Transition> release_followup(Id conversation_id, Id claimer, Id by, Millis now) override;
  Result<Transition> finish_followup(Id conversation_id, Id claimer, Id by, Millis now) override;
  Result<Transition> record_followup_email(Id conversation_id, std::string_view event_body,
                                           std::string_view activity_detail, Millis now) override;
  std::optional<core::FollowUp> find_followup(Id conversation_id) override;
  int count_awaiting_followup() override;

  // --- API tokens (pg_api_tokens.cpp) ---
  core::ApiToken create_api_token(const core::ApiToken& token, std::string_view secret_hash) override;
  std::vector<core::ApiToken> list_api_tokens() override;
  std::optional<core::ApiToken> find_api_token(std::string_view secret_hash) override;
  bool revoke_api_token(Id id, Millis now) override;
  void touch_api_token(Id id, Millis now) override;

  // --- webhooks (pg_webhooks.cpp) ---
  core::WebhookEndpoint create_webhook(const core::WebhookEndpoint& endpoint) override;
  std::vector<core::WebhookEndpoint> list_webhooks() override;
  std::optional<core::WebhookEndpoint> find_webhook(Id id) override;
  std::optional<core::WebhookEndpoint> update_webhook(const core::WebhookEndpoint& endpoint) override;
  bool set_webhook_secret(Id id, std::string_view secret) override;
  bool delete_webhook(Id id) override;
  std::vector<core::WebhookDelivery> webhook_deliveries(Id endpoint_id, int limit) override;
  bool redeliver_webhook(Id endpoint_id, Id delivery_id, Millis now) override;
  std::vector<ClaimedDelivery> claim_webhook_deliveries(std::string_view node, Millis now,
                                                        Millis lease, int limit) override;
  bool finish_webhook_attempt(const WebhookAttemptResult& result) override;
  std::optional<core::Person> find_person(Id person_id) override;
  int count_pending_webhook_deliveries() override;

  std::vector<AgentLoad> agent_loads_at(Millis now) override;

  // --- monitoring (pg_monitoring.cpp) ---
  void observe_writes(WriteObserver* observer) override;
  std::size_t write_queue_depth() override;
  int count_pending_offers() override;
  std::optional<std::string> probe_write(Millis now) override;

  // A round trip to the server on a pooled connection.
  std::optional<std::string> unavailable() override;

  // --- settings (pg_store.cpp) ---
  core::ChatPolicy load_chat_policy() override;
  void save_chat_policy(const core::ChatPolicy& policy) override;
  core::SmtpSettings load_smtp_settings() override;
  std::string cluster_id() override;
  void save_smtp_settings(const core::SmtpSettings& settings) override;

 private:
  // Upserts settings rows (key, value) in one transaction: the chat policy's, the SMTP setting's.
  void save_setting_rows(const std::vector<std::pair<std::string, std::string>>& rows);

  // Runs fn(conn) in a transaction on a pooled connection and commits, unless fn returns a
  // core::Result holding an error (then it rolls back). A serialization failure or deadlock
  // runs it again (a few times); any other PgError propagates.
  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F&, PgConnection&>;
  // Runs fn(conn) on a pooled connection in autocommit (each statement sees the newest
  // committed state).
  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F&, PgConnection&> {
    auto conn = pool_.acquire();
    try {
      return fn(*conn);
    } catch (const PgUnavailable&) {
      // A pooled connection learns that the server restarted only when it is used: the
      // read is run once more on a fresh connection (which throws if the server is away).
      conn->reset();
      return fn(*conn);
    }
  }

  // The message writer of a conversation: messages go to one of kWriters group-commit
  // writers by conversation id, so a conversation's messages keep their order (one writer,
  // one queue) while two batches over disjoint conversations are in flight at once: one
  // writer's batch is parsed and written while the other's commit waits on the WAL flush.
  PgGroupCommit& writer_for(Id conversation_id) {
    return *writers_[static_cast<std::size_t>(conversation_id) % writers_.size()];
  }

  static constexpr std::size_t kWriters = 2;
  PgPool pool_;
  std::vector<std::unique_ptr<PgGroupCommit>> writers_;
};

}  // namespace parley::store::postgres

namespace parley::store::postgres {

template <class F>
auto PgStore::write(F&& fn) -> std::invoke_result_t<F&, PgConnection&> {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto conn = pool_.acquire();
    try {
      begin_on_live_connection(*conn);
      PgTransaction tx(*conn, nullptr);
      auto result = fn(*conn);
      if constexpr (requires { result.ok(); }) {
        if (!result.ok()) return result;  // the guard rolls back
      }
      tx.commit();
      return result;
    } catch (const PgError& e) {
      if (!e.is_retryable() || attempt == kAttempts) throw;
    }
  }
}

}  // namespace parley::store::postgres
