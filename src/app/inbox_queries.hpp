// Read-side use cases of the Agent Inbox and the widget. Every read goes through the
// visibility rule; what a caller may not see answers not_found.
#pragma once

#include <vector>

#include "app/actor.hpp"
#include "app/chat_service.hpp"
#include "app/clock.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace parley::app {

struct ConversationDetail {
  store::ConversationSummary summary;
  store::VisitorProfile visitor;
  std::vector<core::Activity> activities;  // the last history_days, newest first
};

struct Transcript {
  std::string filename;  // "parley-conversation-<id>.txt"
  std::string text;      // core::format_transcript, in the reader's time zone
};

struct ConversationPage {
  std::vector<store::ConversationSummary> items;
  bool has_more = false;
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
  ConversationPage list(const core::Agent& agent, store::StatusFilter filter,
                        std::optional<core::Millis> before_activity,
                        std::optional<core::Id> before_id, int limit,
                        std::string_view search = {});
  // Requests waiting for this agent's Accept, with who is asking: a reconnecting Inbox
  // shows their banners again.
  std::vector<std::pair<store::ConversationSummary, store::VisitorProfile>> pending_offers(
      const core::Agent& agent);
  core::Result<ConversationDetail> open(const core::Agent& agent, core::Id conversation_id);
  // The transcript of a conversation the agent may view, once it is over (ended or missed):
  // conflict while it is still pending or active.
  core::Result<Transcript> transcript(const core::Agent& agent, core::Id conversation_id);
  core::Result<std::vector<core::Message>> events(const Actor& actor, core::Id conversation_id,
                                                  std::int64_t after_seq);
  // The visitor's newest conversation and its whole log; not_found when there is none.
  core::Result<std::pair<store::ConversationSummary, std::vector<core::Message>>>
  current_for_visitor(core::Id visitor_id);

 private:
  store::Store& store_;
  ChatService& chats_;
  Clock clock_;
};

}  // namespace parley::app
