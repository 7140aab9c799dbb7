#include "net/conversation_routes.hpp"

#include <algorithm>

#include "net/api_support.hpp"
#include "net/document_language.hpp"
#include "net/json_codec.hpp"
#include "net/rate_limiter.hpp"

namespace parley::net {

namespace {

using core::ApiScope;
using http::status;
using http::verb;

Response fail(const RouteCall& c, const core::Error& e) { return error_response(c.req, e); }

json::object read_json(const core::Conversation& c) {
  return {{"agent_seq", c.agent_read_seq}, {"visitor_seq", c.visitor_read_seq}};
}

json::object page_json(const app::EventsPage& page) {
  json::array events;
  events.reserve(page.events.size());
  for (const auto& e : page.events) events.push_back(to_json(e));
  return {{"events", std::move(events)}, {"has_more", page.has_more}, {"head_seq", page.head_seq}};
}

// after_seq / before_seq / limit: the names the WebSocket's subscribe uses too.
core::Result<app::EventsQuery> events_query(const Request& req) {
  auto q = query_of(req.target());
  if (q.contains("after")) return core::bad_request("after is now after_seq");
  app::EventsQuery query;
  for (auto [name, field] : {std::pair{"after_seq", &query.after_seq}, {"before_seq", &query.before_seq}}) {
    auto it = q.find(name);
    if (it == q.end()) continue;
    auto v = parse_int(it->second);
    if (!v || *v < 0) return core::bad_request(std::string(name) + " must be a non-negative integer");
    *field = *v;
  }
  if (auto it = q.find("limit"); it != q.end()) {
    auto v = parse_int(it->second);
    if (!v || *v < 1) return core::bad_request("limit must be a positive integer");
    query.limit = static_cast<int>(std::min<std::int64_t>(*v, app::InboxQueries::kMaxEvents));
  }
  return query;
}

// The agent's side, or the visitor's: the routes below serve both.
app::Actor actor_of(const RouteCall& c) {
  return c.agent ? app::Actor::of_agent(*c.agent) : app::Actor::of_visitor(c.visitor_id);
}

Response events(const RouteCall& c) {
  auto query = events_query(c.req);
  if (!query) return fail(c, query.error());
  auto page = c.services.inbox.events(actor_of(c), c.id(), *query);
  if (!page) return fail(c, page.error());
  return ok_json(c.req, page_json(*page));
}

Response post_message(const RouteCall& c) {
  auto actor = actor_of(c);
  if (!actor.is_agent()) {
    // One budget per visitor, shared with their sockets (websocket_session).
    if (auto refused = take_visitor_message(c.context.limiters.messages_per_visitor, actor.id,
                                            limiter_now())) {
      return fail(c, *refused);
    }
  }
  auto b = parse_object(c.req.body());
  if (!b) return fail(c, b.error());
  auto client_id = required_string(*b, "client_id");
  if (!client_id) return fail(c, client_id.error());
  auto text = required_string(*b, "body");
  if (!text) return fail(c, text.error());
  auto outcome = c.services.chats.post_message(actor, c.id(), *client_id, *text);
  if (!outcome) return fail(c, outcome.error());
  return ok_json(c.req, {{"event", to_json(outcome->message)}, {"duplicate", outcome->duplicate}},
                 outcome->duplicate ? status::ok : status::created);
}

Response mark_read(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return fail(c, b.error());
  auto seq = required_int(*b, "seq");
  if (!seq) return fail(c, seq.error());
  if (auto ok = c.services.chats.mark_read(actor_of(c), c.id(), *seq); !ok) return fail(c, ok.error());
  return empty_response(c.req, status::no_content);
}

Response end(const RouteCall& c) {
  auto ended = c.services.chats.end(actor_of(c), c.id());
  if (!ended) return fail(c, ended.error());
  return ok_json(c.req, {{"conversation", to_json(c.services.chats.summarize(*ended))}});
}

// --- the agent's side ---

Response list_conversations(const RouteCall& c) {
  auto q = query_of(c.req.target());
  core::StatusFilter filter = core::StatusFilter::all;
  if (auto it = q.find("status"); it != q.end()) {
    if (it->second == "active") filter = core::StatusFilter::active;
    else if (it->second == "missed") filter = core::StatusFilter::missed;
    else if (it->second != "all") return fail(c, core::bad_request("status must be active, all or missed"));
  }
  int limit = 50;
  if (auto it = q.find("limit"); it != q.end()) {
    auto v = parse_int(it->second);
    if (!v || *v < 1) return fail(c, core::bad_request("limit must be a positive integer"));
    limit = static_cast<int>(std::min<std::int64_t>(*v, app::InboxQueries::kMaxPage));
  }
  std::optional<core::Millis> before_activity;
  std::optional<core::Id> before_id;
  if (auto it = q.find("before"); it != q.end() && !it->second.empty()) {
    auto colon = it->second.find(':');
    auto at = parse_int(it->second.substr(0, colon));
    auto id = colon == std::string::npos ? std::nullopt : parse_int(it->second.substr(colon + 1));
    if (!at || !id) return fail(c, core::bad_request("before must be <time>:<id>"));
    before_activity = *at;
    before_id = *id;
  }
  std::string search;
  if (auto it = q.find("q"); it != q.end()) search = it->second;
  auto page = c.services.inbox.list(c.caller(), filter, before_activity, before_id, limit, search);
  json::array items;
  for (const auto& s : page.items) items.push_back(to_json(s));
  json::value next = nullptr;
  if (page.has_more && !page.items.empty()) {
    const auto& last = page.items.back().conversation;
    next = std::to_string(last.last_activity_at) + ":" + std::to_string(last.id);
  }
  return ok_json(c.req, {{"conversations", std::move(items)},
                         {"next", next},
                         {"missed_count", c.services.chats.missed_count()}});
}

Response open(const RouteCall& c) {
  auto d = c.services.inbox.open(c.caller(), c.id());
  if (!d) return fail(c, d.error());
  json::array activities;
  for (const auto& act : d->activities) activities.push_back(to_json(act));
  return ok_json(c.req, {{"conversation", to_json(d->summary)},
                         {"visitor", to_json(d->visitor)},
                         {"activities", std::move(activities)},
                         {"read", read_json(d->summary.conversation)}});
}

Response transcript(const RouteCall& c) {
  auto lang = document_language(c.req.target(), c.caller().language);
  auto t = c.services.inbox.transcript(c.caller(), c.id(), lang);
  if (!t) return fail(c, t.error());
  return attachment_response(c.req, "text/plain; charset=utf-8", t->filename, std::move(t->text));
}

Response accept(const RouteCall& c) {
  auto accepted = c.services.chats.accept(c.caller(), c.id());
  if (!accepted) return fail(c, accepted.error());
  return ok_json(c.req, {{"conversation", to_json(c.services.chats.summarize(*accepted))}});
}

// --- the visitor's side ---

Response request_chat(const RouteCall& c) {
  auto b = parse_object(c.req.body());
  if (!b) return fail(c, b.error());
  core::PreChatForm form;
  auto name = required_string(*b, "name");
  if (!name) return fail(c, name.error());
  auto email = required_string(*b, "email");
  if (!email) return fail(c, email.error());
  form.name = *name;
  form.email = *email;
  for (auto [key, field] : {std::pair{"job_title", &form.job_title}, {"phone", &form.phone},
                            {"company", &form.company}}) {
    auto v = optional_string(*b, key);
    if (!v) return fail(c, v.error());
    *field = *v;
  }
  auto page = optional_string(*b, "page_url");
  if (!page) return fail(c, page.error());
  form.page_url = page->value_or("");
  auto question = optional_string(*b, "question");
  if (!question) return fail(c, question.error());
  form.question = *question;
  auto requested = c.services.chats.request_chat(c.visitor_id, std::move(form));
  if (!requested) return fail(c, requested.error());
  return ok_json(c.req, {{"conversation", to_json(*requested)}}, status::created);
}

Response current_chat(const RouteCall& c) {
  auto query = events_query(c.req);
  if (!query) return fail(c, query.error());
  if (query->after_seq || query->before_seq) {
    return fail(c, core::bad_request("the current chat opens at its newest page: page with .../events"));
  }
  auto cur = c.services.inbox.current_for_visitor(c.visitor_id, query->limit);
  if (!cur) return fail(c, cur.error());
  auto body = page_json(cur->second);
  body["conversation"] = to_json(cur->first);
  body["read"] = read_json(cur->first.conversation);
  return ok_json(c.req, std::move(body));
}

}  // namespace

void add_conversation_routes(RouteTable& t) {
  // An API token with conversations:read reads every conversation (as an admin sees them);
  // acting in one is an agent's own and closed to tokens.
  t.add(verb::get, "/api/v1/conversations", Access::agent, ApiScope::conversations_read, list_conversations);
  t.add(verb::get, "/api/v1/conversations/{id}", Access::agent, ApiScope::conversations_read, open);
  t.add(verb::get, "/api/v1/conversations/{id}/events", Access::agent, ApiScope::conversations_read,
        events);
  t.add(verb::get, "/api/v1/conversations/{id}/transcript", Access::agent,
        ApiScope::conversations_read, transcript);
  t.add(verb::post, "/api/v1/conversations/{id}/accept", Access::agent, accept);
  t.add(verb::post, "/api/v1/conversations/{id}/messages", Access::agent, post_message);
  t.add(verb::post, "/api/v1/conversations/{id}/read", Access::agent, mark_read);
  t.add(verb::post, "/api/v1/conversations/{id}/end", Access::agent, end);

  t.add(verb::post, "/api/v1/visitor/chats", Access::visitor, request_chat);
  t.add(verb::get, "/api/v1/visitor/chats/current", Access::visitor, current_chat);
  t.add(verb::get, "/api/v1/visitor/chats/{id}/events", Access::visitor, events);
  t.add(verb::post, "/api/v1/visitor/chats/{id}/messages", Access::visitor, post_message);
  t.add(verb::post, "/api/v1/visitor/chats/{id}/read", Access::visitor, mark_read);
  t.add(verb::post, "/api/v1/visitor/chats/{id}/end", Access::visitor, end);
}

}  // namespace parley::net
