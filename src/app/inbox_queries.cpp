#include "app/inbox_queries.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "app/agent_status.hpp"
#include "core/search.hpp"
#include "core/transcript.hpp"
#include "store/store.hpp"

namespace parley::app {

ConversationPage InboxQueries::list(const core::Agent& agent, core::StatusFilter filter,
                                    std::optional<core::Millis> before_activity,
                                    std::optional<core::Id> before_id, int limit,
                                    std::string_view search) {
  limit = std::clamp(limit, 1, kMaxPage);
  // Ask for one more than needed to know whether another page exists.
  store::ConversationQuery q{core::viewer_of(agent), filter, before_activity, before_id,
                             limit + 1, core::search_terms(search)};
  ConversationPage page{store_.list_conversations(q), false};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.has_more = true;
  }
  return page;
}

std::vector<std::pair<core::ConversationSummary, core::VisitorProfile>>
InboxQueries::pending_offers(const core::Agent& agent) {
  std::vector<std::pair<core::ConversationSummary, core::VisitorProfile>> out;
  for (auto& summary : store_.pending_offers(agent.id)) {
    auto visitor = store_.visitor_profile(summary.conversation.visitor_id);
    out.emplace_back(std::move(summary), visitor.value_or(core::VisitorProfile{}));
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
  d.visitor = store_.visitor_profile(c->visitor_id).value_or(core::VisitorProfile{});
  d.activities = store_.activities(c->visitor_id, core::history_since(chats_.policy(), clock_()),
                                   kMaxActivities);
  // Each entry tied to a conversation shows what the reader may see of that conversation
  // (core::visible_part); one lookup per conversation, however many entries it has.
  auto viewer = core::viewer_of(agent);
  std::map<core::Id, std::optional<core::Conversation>> linked{{c->id, *c}};
  for (auto& a : d.activities) {
    if (!a.conversation_id) continue;
    auto it = linked.find(*a.conversation_id);
    if (it == linked.end()) {
      it = linked.emplace(*a.conversation_id, store_.find_conversation(*a.conversation_id)).first;
    }
    if (it->second) a = core::visible_part(viewer, std::move(a), *it->second);
  }
  return d;
}

core::Result<Transcript> InboxQueries::transcript(const core::Agent& agent,
                                                  core::Id conversation_id,
                                                  core::Language language) {
  auto summary = store_.find_summary(conversation_id);
  if (!summary || !core::can_view(core::viewer_of(agent), summary->conversation)) {
    return core::not_found("no such conversation");
  }
  const auto& c = summary->conversation;
  if (c.status == core::ConversationStatus::pending || c.status == core::ConversationStatus::active) {
    return core::conflict("the transcript is available once the chat has ended");
  }
  std::vector<core::Message> events;
  for (std::int64_t after = 0;;) {
    auto page = store_.events_after(conversation_id, after, kMaxEvents);
    if (page.empty()) break;
    after = page.back().seq;
    events.insert(events.end(), std::make_move_iterator(page.begin()),
                  std::make_move_iterator(page.end()));
  }
  std::map<core::Id, std::string> agent_names;
  for (auto& a : store_.list_agents()) agent_names.emplace(a.id, std::move(a.name));
  core::TranscriptHeader header{c.id, summary->visitor_name, summary->visitor_email,
                                summary->agent_name, c.created_at, c.ended_at};
  return Transcript{"parley-conversation-" + std::to_string(c.id) + ".txt",
                    core::format_transcript(header, events, agent_names,
                                            zone_of(agent.time_zone), language)};
}

namespace {

// Reads the page `q` asks for of conversation `c`.
EventsPage read_page(store::Store& store, const core::Conversation& c, const EventsQuery& q) {
  int limit = std::clamp(q.limit, 1, InboxQueries::kMaxEvents);
  EventsPage page;
  page.head_seq = c.last_seq;
  // One more than asked tells whether the page is the last one in its direction.
  if (q.after_seq) {
    page.events = store.events_after(c.id, std::max<std::int64_t>(*q.after_seq, 0), limit + 1);
    page.has_more = static_cast<int>(page.events.size()) > limit;
    if (page.has_more) page.events.pop_back();
  } else {
    auto before = q.before_seq.value_or(std::numeric_limits<std::int64_t>::max());
    page.events = store.events_before(c.id, before, limit + 1);
    page.has_more = static_cast<int>(page.events.size()) > limit;
    if (page.has_more) page.events.erase(page.events.begin());
  }
  return page;
}

}  // namespace

core::Result<std::int64_t> InboxQueries::head_seq(const Actor& actor, core::Id conversation_id) {
  auto c = store_.find_conversation(conversation_id);
  if (!c || !can_read(actor, *c)) return core::not_found("no such conversation");
  return c->last_seq;
}

core::Result<EventsPage> InboxQueries::events(const Actor& actor, core::Id conversation_id,
                                              const EventsQuery& query) {
  if (query.after_seq && query.before_seq) {
    return core::bad_request("give after_seq or before_seq, not both");
  }
  auto c = store_.find_conversation(conversation_id);
  if (!c || !can_read(actor, *c)) return core::not_found("no such conversation");
  return read_page(store_, *c, query);
}

core::Result<std::pair<core::ConversationSummary, EventsPage>>
InboxQueries::current_for_visitor(core::Id visitor_id, int limit) {
  auto c = store_.latest_conversation_of_visitor(visitor_id);
  if (!c) return core::not_found("no conversation yet");
  return std::pair{chats_.summarize(*c), read_page(store_, *c, EventsQuery{{}, {}, limit})};
}

}  // namespace parley::app
