#include "app/inbox_queries.hpp"

#include <algorithm>

namespace parley::app {

ConversationPage InboxQueries::list(const core::Agent& agent, store::StatusFilter filter,
                                    std::optional<core::Millis> before_activity,
                                    std::optional<core::Id> before_id, int limit) {
  limit = std::clamp(limit, 1, kMaxPage);
  // Ask for one more than needed to know whether another page exists.
  store::ConversationQuery q{core::viewer_of(agent), filter, before_activity, before_id,
                             limit + 1};
  ConversationPage page{store_.list_conversations(q), false};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.has_more = true;
  }
  return page;
}

std::vector<std::pair<store::ConversationSummary, store::VisitorProfile>>
InboxQueries::pending_offers(const core::Agent& agent) {
  std::vector<std::pair<store::ConversationSummary, store::VisitorProfile>> out;
  for (auto& summary : store_.pending_offers(agent.id)) {
    auto visitor = store_.visitor_profile(summary.conversation.visitor_id);
    out.emplace_back(std::move(summary), visitor.value_or(store::VisitorProfile{}));
  }
  return out;
}

core::Result<ConversationDetail> InboxQueries::open(const core::Agent& agent,
                                                    core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  if (!c || !core::can_view(core::viewer_of(agent), *c)) {
    return core::not_found("no such conversation");
  }
  ConversationDetail d{chats_.summarize(*c), {}, {}};
  d.visitor = store_.visitor_profile(c->visitor_id).value_or(store::VisitorProfile{});
  d.activities = store_.activities(c->visitor_id, clock_() - kActivityWindow, 200);
  return d;
}

core::Result<std::vector<core::Message>> InboxQueries::events(const Actor& actor,
                                                              core::Id conversation_id,
                                                              std::int64_t after_seq) {
  auto c = store_.find_conversation(conversation_id);
  if (!c || !can_read(actor, *c)) return core::not_found("no such conversation");
  return store_.events_after(conversation_id, std::max<std::int64_t>(after_seq, 0), kMaxEvents);
}

core::Result<std::pair<store::ConversationSummary, std::vector<core::Message>>>
InboxQueries::current_for_visitor(core::Id visitor_id) {
  auto c = store_.latest_conversation_of_visitor(visitor_id);
  if (!c) return core::not_found("no conversation yet");
  return std::pair{chats_.summarize(*c), store_.events_after(c->id, 0, kMaxEvents)};
}

}  // namespace parley::app
