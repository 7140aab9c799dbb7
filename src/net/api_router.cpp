#include "net/api_router.hpp"

#include <functional>
#include <vector>

#include "net/api_support.hpp"
#include "net/api_token_routes.hpp"
#include "net/api_token_scopes.hpp"
#include "net/calendar_routes.hpp"
#include "net/document_language.hpp"
#include "net/email_routes.hpp"
#include "net/followup_routes.hpp"
#include "net/json_codec.hpp"
#include "net/json_settings.hpp"
#include "net/people_routes.hpp"
#include "net/team_routes.hpp"
#include "net/webhook_routes.hpp"

namespace parley::net {

namespace {

using http::status;
using http::verb;

// Secure when Parley is reached over HTTPS, so the browser never sends it in clear text.
std::string session_cookie(const std::string& token, long max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

json::array events_json(const std::vector<core::Message>& events) {
  json::array a;
  a.reserve(events.size());
  for (const auto& e : events) a.push_back(to_json(e));
  return a;
}

// Visitor endpoints are called from other sites' pages; they use a bearer token, never
// cookies, so any origin may call them.
void allow_any_origin(Response& res) {
  res.set(http::field::access_control_allow_origin, "*");
}

class Api {
 public:
  Api(Services& s, const Request& req, const RequestContext& context)
      : s_(s), req_(req), context_(context), path_(path_of(req.target())), parts_(segments(path_)) {}

  Response route() {
    // parts_: ["api", "v1", ...]
    if (parts_.size() < 3 || parts_[1] != "v1") return not_found_route();
    std::string_view area = parts_[2];
    if (area == "visitor") {
      auto res = visitor_routes();
      allow_any_origin(res);
      return res;
    }
    if (auto res = handle_password_link_api(s_, req_, parts_, [&](Response& r, const std::string& t) {
          r.set(http::field::set_cookie,
                session_cookie(t, app::AuthService::kSessionLifetime / 1000, context_.https));
        })) {
      return std::move(*res);
    }
    if (area == "auth" && parts_.size() == 4) {
      if (parts_[3] == "login") return only(verb::post, [&] { return login(); });
      if (parts_[3] == "logout") return only(verb::post, [&] { return logout(); });
    }
    if (area == "me" || area == "conversations" || area == "agents" || area == "admin" ||
        area == "calendars" || area == "meetings" || area == "email") {
      return agent_routes();
    }
    if (area == "meeting-links") {
      // The manage link's token is its only credential (no cookie): any origin may call.
      auto res = handle_meeting_link_api(s_, req_, parts_);
      allow_any_origin(res);
      return res;
    }
    return not_found_route();
  }

 private:
  Response not_found_route() {
    return error_response(req_, core::not_found("no route for " + std::string(path_)));
  }

  Response only(verb method, const std::function<Response()>& handler) {
    return net::only(req_, method, handler);
  }

  template <class T>
  Response fail(const core::Result<T>& r) {
    return error_response(req_, r.error());
  }

  core::Result<json::object> body() { return parse_object(req_.body()); }

  // --- agents ---
  Response login() {
    // A page on another site must not log a browser in (login CSRF), nor probe passwords
    // with the visitor's own browser.
    if (is_cross_origin(req_)) return error_response(req_, core::forbidden("cross-origin login refused"));
    auto b = body();
    if (!b) return fail(b);
    auto email = required_string(*b, "email");
    if (!email) return fail(email);
    auto password = required_string(*b, "password");
    if (!password) return fail(password);
    auto outcome = s_.auth.login(*email, *password);
    if (!outcome) return fail(outcome);
    auto res = ok_json(req_, {{"agent", agent_json(outcome->agent)}});
    res.set(http::field::set_cookie,
            session_cookie(outcome->session_token, app::AuthService::kSessionLifetime / 1000,
                           context_.https));
    return res;
  }

  Response logout() {
    if (auto token = cookie_value(req_, kSessionCookie)) s_.auth.logout(*token);
    auto res = empty_response(req_, status::no_content);
    res.set(http::field::set_cookie, session_cookie("", 0, context_.https));
    return res;
  }

  Response agent_routes() {
    if (auto secret = bearer_token(req_)) return api_token_routes(*secret);
    auto token = cookie_value(req_, kSessionCookie);
    auto agent = token ? s_.auth.agent_for_session(*token) : std::nullopt;
    if (!agent) return error_response(req_, core::unauthorized("log in first"));
    // SameSite=Lax already keeps the cookie off cross-site POSTs; refusing foreign
    // origins here closes the door for older browsers too.
    if (req_.method() != verb::get && is_cross_origin(req_)) {
      return error_response(req_, core::forbidden("cross-origin request refused"));
    }
    if (auto res = handle_api_token_api(s_, req_, *agent, parts_)) return std::move(*res);
    return agent_dispatch(*agent, *token);
  }

  // A server calling with an API token: only the routes of the token's scopes, run as the
  // token's principal. (A bearer header is never sent by a browser on its own, so no
  // cross-origin check is needed.)
  Response api_token_routes(const std::string& secret) {
    auto token = s_.api_tokens.authenticate(secret);
    if (!token) return error_response(req_, core::unauthorized("the API token is unknown or revoked"));
    auto needed = scope_for(req_.method(), parts_);
    if (!needed) return error_response(req_, core::forbidden("API tokens cannot call this route"));
    if (!token->has(*needed)) {
      return error_response(req_, core::forbidden(std::string("this API token lacks the scope ") +
                                                  core::to_string(*needed)));
    }
    return agent_dispatch(core::api_token_principal(*token), {});
  }

  // The agent routes, for a signed-in agent (or an API token's principal: then only the
  // routes net/api_token_scopes.cpp opened reach this).
  Response agent_dispatch(const core::Agent& a, std::string_view session_token) {
    if (auto res = handle_agent_calendar_api(s_, req_, a, parts_)) return std::move(*res);
    if (auto res = handle_team_api(s_, req_, a, parts_, session_token)) return std::move(*res);
    if (auto res = handle_followup_api(s_, req_, a, parts_)) return std::move(*res);
    if (auto res = handle_email_api(s_, req_, a, parts_)) return std::move(*res);
    if (auto res = handle_webhook_api(s_, req_, a, parts_)) return std::move(*res);
    if (parts_[2] == "me") {
      if (parts_.size() == 3) return only(verb::get, [&] { return ok_json(req_, {{"agent", agent_json(a)}}); });
      if (parts_.size() == 4 && parts_[3] == "availability") {
        return only(verb::put, [&] { return set_availability(a); });
      }
      if (parts_.size() == 4 && parts_[3] == "settings") return settings(a);
      return not_found_route();
    }
    if (parts_[2] == "agents" && parts_.size() == 3) return only(verb::get, [&] { return agents(a); });
    if (parts_[2] == "admin") {
      auto rest = std::span(parts_).subspan(3);
      if (auto res = handle_people_api(s_, req_, a, rest)) return std::move(*res);
      if (parts_.size() == 4 && parts_[3] == "settings") return admin_settings(a);
      if (parts_.size() == 4 && parts_[3] == "routing") return routing(a);
      if (parts_.size() == 5 && parts_[3] == "routing" && parts_[4] == "accounts.csv") {
        return only(verb::post, [&] {
          auto n = s_.routing.import_accounts(a, req_.body());
          if (!n) return fail(n);
          return ok_json(req_, {{"imported", *n}});
        });
      }
      return not_found_route();
    }
    if (parts_.size() == 3) return only(verb::get, [&] { return list(a); });
    auto id = parse_id(parts_[3]);
    if (!id) return error_response(req_, core::not_found("no such conversation"));
    if (parts_.size() == 4) return only(verb::get, [&] { return open(a, *id); });
    if (parts_.size() != 5) return not_found_route();
    auto action = parts_[4];
    auto actor = app::Actor::of_agent(a);
    if (action == "events") return only(verb::get, [&] { return events(actor, *id); });
    if (action == "messages") return only(verb::post, [&] { return post_message(actor, *id); });
    if (action == "end") return only(verb::post, [&] { return end(actor, *id); });
    if (action == "read") return only(verb::post, [&] { return mark_read(actor, *id); });
    if (action == "transcript") return only(verb::get, [&] { return transcript(a, *id); });
    if (action == "accept") {
      return only(verb::post, [&] {
        auto c = s_.chats.accept(a, *id);
        if (!c) return fail(c);
        return ok_json(req_, {{"conversation", to_json(s_.chats.summarize(*c))}});
      });
    }
    return not_found_route();
  }

  json::object agent_json(const core::Agent& a) { return to_json(a, s_.agents.status(a)); }

  static json::object read_json(const core::Conversation& c) {
    return {{"agent_seq", c.agent_read_seq}, {"visitor_seq", c.visitor_read_seq}};
  }

  Response set_availability(const core::Agent& a) {
    auto b = body();
    if (!b) return fail(b);
    auto available = required_bool(*b, "available");
    if (!available) return fail(available);
    auto updated = s_.agents.set_availability(a, *available);
    if (!updated) return fail(updated);
    return ok_json(req_, {{"agent", agent_json(*updated)}});
  }

  static core::AgentSettings settings_of(const core::Agent& a) {
    return {a.time_zone, a.schedule, a.max_chats, a.sound, a.language};
  }

  Response settings(const core::Agent& a) {
    if (req_.method() == verb::get) return ok_json(req_, {{"settings", to_json(settings_of(a))}});
    return only(verb::put, [&] {
      auto b = body();
      if (!b) return fail(b);
      auto settings = agent_settings_from_json(*b, settings_of(a));
      if (!settings) return fail(settings);
      auto updated = s_.agents.update_settings(a, *settings);
      if (!updated) return fail(updated);
      return ok_json(req_, {{"settings", to_json(settings_of(*updated))},
                            {"agent", agent_json(*updated)}});
    });
  }

  Response agents(const core::Agent& a) {
    auto all = s_.agents.list_agents(a);
    if (!all) return fail(all);
    json::array items;
    for (const auto& agent : *all) items.push_back(agent_json(agent));
    return ok_json(req_, {{"agents", std::move(items)}});
  }

  Response routing(const core::Agent& a) {
    if (req_.method() == verb::get) {
      auto rules = s_.routing.rules(a);
      if (!rules) return fail(rules);
      return ok_json(req_, {{"routing", to_json(*rules)}});
    }
    return only(verb::put, [&] {
      auto b = body();
      if (!b) return fail(b);
      auto rules = routing_rules_from_json(*b);
      if (!rules) return fail(rules);
      if (auto ok = s_.routing.replace(a, *rules); !ok) return fail(ok);
      return ok_json(req_, {{"routing", to_json(*s_.routing.rules(a))}});
    });
  }

  Response admin_settings(const core::Agent& a) {
    if (a.role != core::Role::admin) {
      return error_response(req_, core::forbidden("only admins see these settings"));
    }
    if (req_.method() == verb::get) return ok_json(req_, {{"settings", to_json(s_.chats.policy())}});
    return only(verb::put, [&] {
      auto b = body();
      if (!b) return fail(b);
      auto policy = chat_policy_from_json(*b, s_.chats.policy());
      if (!policy) return fail(policy);
      auto saved = s_.chats.update_policy(a, *policy);
      if (!saved) return fail(saved);
      return ok_json(req_, {{"settings", to_json(*saved)}});
    });
  }

  Response list(const core::Agent& a) {
    auto q = query_of(req_.target());
    core::StatusFilter filter = core::StatusFilter::all;
    if (auto it = q.find("status"); it != q.end()) {
      if (it->second == "active") filter = core::StatusFilter::active;
      else if (it->second == "missed") filter = core::StatusFilter::missed;
      else if (it->second != "all") {
        return error_response(req_, core::bad_request("status must be active, all or missed"));
      }
    }
    int limit = 50;
    if (auto it = q.find("limit"); it != q.end()) {
      auto v = parse_int(it->second);
      if (!v || *v < 1) return error_response(req_, core::bad_request("limit must be a positive integer"));
      limit = static_cast<int>(std::min<std::int64_t>(*v, app::InboxQueries::kMaxPage));
    }
    std::optional<core::Millis> before_activity;
    std::optional<core::Id> before_id;
    if (auto it = q.find("before"); it != q.end() && !it->second.empty()) {
      auto colon = it->second.find(':');
      auto at = parse_int(it->second.substr(0, colon));
      auto id = colon == std::string::npos ? std::nullopt : parse_int(it->second.substr(colon + 1));
      if (!at || !id) return error_response(req_, core::bad_request("before must be <time>:<id>"));
      before_activity = *at;
      before_id = *id;
    }
    std::string search;
    if (auto it = q.find("q"); it != q.end()) search = it->second;
    auto page = s_.inbox.list(a, filter, before_activity, before_id, limit, search);
    json::array items;
    for (const auto& s : page.items) items.push_back(to_json(s));
    json::value next = nullptr;
    if (page.has_more && !page.items.empty()) {
      const auto& last = page.items.back().conversation;
      next = std::to_string(last.last_activity_at) + ":" + std::to_string(last.id);
    }
    return ok_json(req_, {{"conversations", std::move(items)},
                          {"next", next},
                          {"missed_count", s_.chats.missed_count()}});
  }

  Response open(const core::Agent& a, core::Id id) {
    auto d = s_.inbox.open(a, id);
    if (!d) return fail(d);
    json::array activities;
    for (const auto& act : d->activities) activities.push_back(to_json(act));
    const auto& c = d->summary.conversation;
    return ok_json(req_, {{"conversation", to_json(d->summary)},
                          {"visitor", to_json(d->visitor)},
                          {"activities", std::move(activities)},
                          {"read", read_json(c)}});
  }

  Response transcript(const core::Agent& a, core::Id id) {
    auto t = s_.inbox.transcript(a, id, document_language(req_.target(), a.language));
    if (!t) return fail(t);
    return attachment_response(req_, "text/plain; charset=utf-8", t->filename, std::move(t->text));
  }

  // --- shared by agents and visitors ---
  // after_seq / before_seq / limit: the names the WebSocket's subscribe uses too.
  core::Result<app::EventsQuery> events_query() {
    auto q = query_of(req_.target());
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

  static json::object page_json(app::EventsPage& page) {
    return {{"events", events_json(page.events)},
            {"has_more", page.has_more},
            {"head_seq", page.head_seq}};
  }

  Response events(const app::Actor& actor, core::Id id) {
    auto query = events_query();
    if (!query) return fail(query);
    auto page = s_.inbox.events(actor, id, *query);
    if (!page) return fail(page);
    return ok_json(req_, page_json(*page));
  }

  Response post_message(const app::Actor& actor, core::Id id) {
    if (!actor.is_agent()) {
      // One budget per visitor, shared with their sockets (websocket_session).
      if (auto refused = take_visitor_message(context_.limiters.messages_per_visitor, actor.id,
                                              limiter_now())) {
        return error_response(req_, *refused);
      }
    }
    auto b = body();
    if (!b) return fail(b);
    auto client_id = required_string(*b, "client_id");
    if (!client_id) return fail(client_id);
    auto text = required_string(*b, "body");
    if (!text) return fail(text);
    auto outcome = s_.chats.post_message(actor, id, *client_id, *text);
    if (!outcome) return fail(outcome);
    return ok_json(req_, {{"event", to_json(outcome->message)}, {"duplicate", outcome->duplicate}},
                   outcome->duplicate ? status::ok : status::created);
  }

  Response mark_read(const app::Actor& actor, core::Id id) {
    auto b = body();
    if (!b) return fail(b);
    auto seq = required_int(*b, "seq");
    if (!seq) return fail(seq);
    if (auto ok = s_.chats.mark_read(actor, id, *seq); !ok) return fail(ok);
    return empty_response(req_, status::no_content);
  }

  Response end(const app::Actor& actor, core::Id id) {
    auto c = s_.chats.end(actor, id);
    if (!c) return fail(c);
    return ok_json(req_, {{"conversation", to_json(s_.chats.summarize(*c))}});
  }

  // --- visitors ---
  Response visitor_routes() {
    if (req_.method() == verb::options) {
      auto res = empty_response(req_, status::no_content);
      res.set(http::field::access_control_allow_methods, "GET, POST");
      res.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
      res.set(http::field::access_control_max_age, "600");
      return res;
    }
    if (parts_.size() == 4 && parts_[3] == "status") {
      // Public and cheap (no token, a cached read): the widget asks on every page view
      // whether anyone could take a chat now, before it shows a form.
      return only(verb::get, [&] {
        return ok_json(req_, {{"agents_available", s_.chats.agents_available()}});
      });
    }
    if (parts_.size() == 4 && parts_[3] == "session") {
      return only(verb::post, [&] {
        auto v = s_.auth.new_visitor();
        return ok_json(req_, {{"visitor_token", v.visitor_token}, {"visitor_id", v.visitor.id}},
                       status::created);
      });
    }
    auto token = bearer_token(req_);
    auto visitor = token ? s_.auth.visitor_for_token(*token) : std::nullopt;
    if (!visitor) return error_response(req_, core::unauthorized("a valid visitor token is required"));
    auto actor = app::Actor::of_visitor(visitor->id);
    if (auto res = handle_visitor_calendar_api(s_, req_, visitor->id, parts_)) {
      return std::move(*res);
    }
    if (parts_.size() == 4 && parts_[3] == "activities") {
      return only(verb::post, [&] { return report_activity(visitor->id); });
    }
    if (parts_.size() < 4 || parts_[3] != "chats") return not_found_route();
    if (parts_.size() == 4) return only(verb::post, [&] { return request_chat(visitor->id); });
    if (parts_.size() == 5 && parts_[4] == "current") {
      return only(verb::get, [&] {
        auto query = events_query();
        if (!query) return fail(query);
        if (query->after_seq || query->before_seq) {
          return error_response(req_, core::bad_request("the current chat opens at its newest page: "
                                                        "page with .../events"));
        }
        auto cur = s_.inbox.current_for_visitor(visitor->id, query->limit);
        if (!cur) return fail(cur);
        auto body = page_json(cur->second);
        body["conversation"] = to_json(cur->first);
        body["read"] = read_json(cur->first.conversation);
        return ok_json(req_, std::move(body));
      });
    }
    auto id = parse_id(parts_[4]);
    if (!id) return error_response(req_, core::not_found("no such conversation"));
    if (parts_.size() != 6) return not_found_route();
    if (parts_[5] == "events") return only(verb::get, [&] { return events(actor, *id); });
    if (parts_[5] == "messages") return only(verb::post, [&] { return post_message(actor, *id); });
    if (parts_[5] == "end") return only(verb::post, [&] { return end(actor, *id); });
    if (parts_[5] == "read") return only(verb::post, [&] { return mark_read(actor, *id); });
    return not_found_route();
  }

  Response report_activity(core::Id visitor_id) {
    auto b = body();
    if (!b) return fail(b);
    core::activity::VisitorReport report;
    auto type = required_string(*b, "type");
    if (!type) return fail(type);
    auto url = required_string(*b, "url");
    if (!url) return fail(url);
    auto title = optional_string(*b, "title");
    if (!title) return fail(title);
    report.type = *type;
    report.url = *url;
    report.title = title->value_or("");
    auto activity = s_.chats.record_visitor_activity(visitor_id, std::move(report));
    if (!activity) return fail(activity);
    return ok_json(req_, {{"activity", to_json(*activity)}}, status::created);
  }

  Response request_chat(core::Id visitor_id) {
    auto b = body();
    if (!b) return fail(b);
    core::PreChatForm form;
    auto name = required_string(*b, "name");
    if (!name) return fail(name);
    auto email = required_string(*b, "email");
    if (!email) return fail(email);
    form.name = *name;
    form.email = *email;
    for (auto [key, field] : {std::pair{"job_title", &form.job_title}, {"phone", &form.phone},
                              {"company", &form.company}}) {
      auto v = optional_string(*b, key);
      if (!v) return fail(v);
      *field = *v;
    }
    auto page = optional_string(*b, "page_url");
    if (!page) return fail(page);
    form.page_url = page->value_or("");
    auto question = optional_string(*b, "question");
    if (!question) return fail(question);
    form.question = *question;
    auto c = s_.chats.request_chat(visitor_id, std::move(form));
    if (!c) return fail(c);
    return ok_json(req_, {{"conversation", to_json(*c)}}, status::created);
  }

  Services& s_;
  const Request& req_;
  const RequestContext& context_;
  std::string_view path_;
  std::vector<std::string_view> parts_;
};

}  // namespace

Response handle_api(Services& services, const Request& req, const RequestContext& context) {
  return Api(services, req, context).route();
}

}  // namespace parley::net
