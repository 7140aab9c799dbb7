// Read-side use cases of the Agent Inbox and the widget. Every read goes through the
// visibility rule; what a caller may not see answers not_found.
#pragma once

#include <vector>

#include "app/actor.hpp"
#include "app/chat_service.hpp"
#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/language.hpp"
#include "core/records.hpp"
#include "core/result.hpp"

namespace parley::app {

struct ConversationDetail {
  core::ConversationSummary summary;
  core::VisitorProfile visitor;
  std::vector<core::Activity> activities;  // the last history_days, newest first
};

struct Transcript {
  std::string filename;  // "parley-conversation-<id>.txt"
  std::string text;      // core::format_transcript, in the reader's time zone
};

struct ConversationPage {
  std::vector<core::ConversationSummary> items;
  bool has_more = false;
};

// Which page of a conversation's events a reader asks for. With neither bound it is the
// newest page: a chat opens at its latest messages and pages back with before_seq, a
// reconnecting client resumes with after_seq.
struct EventsQuery {
  std::optional<std::int64_t> after_seq;   // events with seq > after_seq, oldest first
  std::optional<std::int64_t> before_seq;  // the `limit` events with seq < before_seq
  int limit = 100;                         // capped at InboxQueries::kMaxEvents
};

struct EventsPage {
  std::vector<core::Message> events;  // ascending seq
  // after_seq: newer events exist beyond this page; otherwise: older ones do.
  bool has_more = false;
  std::int64_t head_seq = 0;  // the conversation's newest seq when the page was read
};

class InboxQueries {
 public:
  InboxQueries(store::Store& store, ChatService& chats, Clock clock)
      : store_(store), chats_(chats), clock_(std::move(clock)) {}

  static constexpr int kMaxPage = 100;
  static constexpr int kMaxEvents = 1000;
  static constexpr int kMaxActivities = 200;

  // A page of the agent's Inbox list; `search` (what the search box holds) narrows it to
  // the conversations matching every word (core::search_terms).
  ConversationPage list(const core::Agent& agent, core::StatusFilter filter,
                        std::optional<core::Millis> before_activity,
                        std::optional<core::Id> before_id, int limit,
                        std::string_view search = {});
  // Requests waiting for this agent's Accept, with who is asking: a reconnecting Inbox
  // shows their banners again.
  std::vector<std::pair<core::ConversationSummary, core::VisitorProfile>> pending_offers(
      const core::Agent& agent);
  core::Result<ConversationDetail> open(const core::Agent& agent, core::Id conversation_id);
  // The transcript of a conversation the agent may view, once it is over (ended or missed):
  // conflict while it is still pending or active.
  // Written in `language` (the Inbox sends the one it shows; else the agent's setting).
  core::Result<Transcript> transcript(const core::Agent& agent, core::Id conversation_id,
                                      core::Language language);
  // The newest seq of a conversation the actor may read; not_found otherwise.
  core::Result<std::int64_t> head_seq(const Actor& actor, core::Id conversation_id);
  // A page of a conversation the actor may read (not_found otherwise); bad_request when
  // both bounds are given.
  core::Result<EventsPage> events(const Actor& actor, core::Id conversation_id,
                                  const EventsQuery& query);
  // The visitor's newest conversation and its newest page of events; not_found when there
  // is none.
  core::Result<std::pair<core::ConversationSummary, EventsPage>> current_for_visitor(
      core::Id visitor_id, int limit);

 private:
  store::Store& store_;
  ChatService& chats_;
  Clock clock_;
};

}  // namespace parley::app
