#include "net/webhook_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

json::object endpoint_json(const core::WebhookEndpoint& e) {
  json::array events;
  for (const auto& name : e.events) events.emplace_back(name);
  return {{"id", e.id},         {"url", e.url},       {"events", std::move(events)},
          {"secret", e.secret}, {"active", e.active}, {"created_at", e.created_at}};
}

json::object delivery_json(const core::WebhookDelivery& d) {
  json::array log;
  for (const auto& a : d.log) {
    log.push_back(json::object{{"attempt", a.attempt},
                               {"at", a.at},
                               {"http_status", a.http_status ? json::value(*a.http_status) : json::value(nullptr)},
                               {"error", a.error},
                               {"snippet", a.snippet}});
  }
  return {{"id", d.id},
          {"event_id", std::to_string(d.outbox_id)},
          {"type", d.event},
          {"conversation_id", d.conversation_id ? json::value(*d.conversation_id) : json::value(nullptr)},
          {"status", core::to_string(d.status)},
          {"attempts", d.attempts},
          {"created_at", d.created_at},
          {"next_attempt_at", d.status == core::DeliveryStatus::pending ? json::value(d.next_attempt_at)
                                                                         : json::value(nullptr)},
          {"log", std::move(log)}};
}

// {url, events, active}: url and events required; active true unless given.
core::Result<app::WebhookInput> read_input(const Request& req) {
  auto body = parse_object(req.body());
  if (!body) return body.error();
  auto url = required_string(*body, "url");
  if (!url) return url.error();
  app::WebhookInput in;
  in.url = std::move(*url);
  auto it = body->find("events");
  if (it == body->end() || !it->value().is_array()) {
    return core::bad_request("events must be an array of event names");
  }
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string()) return core::bad_request("events must be an array of event names");
    in.events.emplace_back(v.as_string());
  }
  if (body->contains("active")) {
    auto active = required_bool(*body, "active");
    if (!active) return active.error();
    in.active = *active;
  }
  return in;
}

Response endpoint_answer(const Request& req, const core::Result<core::WebhookEndpoint>& e,
                         http::status st = http::status::ok) {
  if (!e) return error_response(req, e.error());
  return ok_json(req, {{"endpoint", endpoint_json(*e)}}, st);
}

Response list_endpoints(const RouteCall& c) {
  auto list = c.services.webhooks.list(c.caller());
  if (!list) return error_response(c.req, list.error());
  json::array endpoints;
  for (const auto& e : *list) endpoints.push_back(endpoint_json(e));
  json::array events;
  for (const auto& name : core::webhook_event_names()) events.emplace_back(name);
  return ok_json(c.req, {{"endpoints", std::move(endpoints)}, {"events", std::move(events)}});
}

Response create(const RouteCall& c) {
  auto in = read_input(c.req);
  if (!in) return error_response(c.req, in.error());
  return endpoint_answer(c.req, c.services.webhooks.create(c.caller(), *in), http::status::created);
}

Response one(const RouteCall& c) {
  auto list = c.services.webhooks.list(c.caller());
  if (!list) return error_response(c.req, list.error());
  for (const auto& e : *list) {
    if (e.id == c.id()) return ok_json(c.req, {{"endpoint", endpoint_json(e)}});
  }
  return error_response(c.req, core::not_found("no such webhook endpoint"));
}

Response update(const RouteCall& c) {
  auto in = read_input(c.req);
  if (!in) return error_response(c.req, in.error());
  return endpoint_answer(c.req, c.services.webhooks.update(c.caller(), c.id(), *in));
}

Response remove(const RouteCall& c) {
  auto removed = c.services.webhooks.remove(c.caller(), c.id());
  if (!removed) return error_response(c.req, removed.error());
  return empty_response(c.req, http::status::no_content);
}

Response rotate_secret(const RouteCall& c) {
  return endpoint_answer(c.req, c.services.webhooks.rotate_secret(c.caller(), c.id()));
}

Response deliveries(const RouteCall& c) {
  auto list = c.services.webhooks.deliveries(c.caller(), c.id());
  if (!list) return error_response(c.req, list.error());
  json::array out;
  for (const auto& d : *list) out.push_back(delivery_json(d));
  return ok_json(c.req, {{"deliveries", std::move(out)}});
}

Response redeliver(const RouteCall& c) {
  auto done = c.services.webhooks.redeliver(c.caller(), c.id(0), c.id(1));
  if (!done) return error_response(c.req, done.error());
  return ok_json(c.req, {{"redelivering", true}}, http::status::accepted);
}

}  // namespace

void add_webhook_routes(RouteTable& t) {
  // Admins, and API tokens with webhooks:manage: every webhook route, whatever the method.
  constexpr auto admin = Access::admin;
  constexpr auto scope = core::ApiScope::webhooks_manage;
  t.add(verb::get, "/api/v1/admin/webhooks", admin, scope, list_endpoints);
  t.add(verb::post, "/api/v1/admin/webhooks", admin, scope, create);
  t.add(verb::get, "/api/v1/admin/webhooks/{id}", admin, scope, one);
  t.add(verb::put, "/api/v1/admin/webhooks/{id}", admin, scope, update);
  t.add(verb::delete_, "/api/v1/admin/webhooks/{id}", admin, scope, remove);
  t.add(verb::post, "/api/v1/admin/webhooks/{id}/rotate-secret", admin, scope, rotate_secret);
  t.add(verb::get, "/api/v1/admin/webhooks/{id}/deliveries", admin, scope, deliveries);
  t.add(verb::post, "/api/v1/admin/webhooks/{id}/deliveries/{delivery_id}/redeliver", admin, scope,
        redeliver);
}

}  // namespace parley::net
