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

}  // namespace

std::optional<Response> handle_webhook_api(Services& s, const Request& req, const core::Agent& caller,
                                           std::span<const std::string_view> parts) {
  if (parts.size() < 4 || parts[2] != "admin" || parts[3] != "webhooks") return std::nullopt;
  auto& hooks = s.webhooks;
  if (parts.size() == 4) {
    if (req.method() == verb::post) {
      auto in = read_input(req);
      if (!in) return error_response(req, in.error());
      return endpoint_answer(req, hooks.create(caller, *in), http::status::created);
    }
    return only(req, verb::get, [&] {
      auto list = hooks.list(caller);
      if (!list) return error_response(req, list.error());
      json::array endpoints;
      for (const auto& e : *list) endpoints.push_back(endpoint_json(e));
      json::array events;
      for (const auto& name : core::webhook_event_names()) events.emplace_back(name);
      return ok_json(req, {{"endpoints", std::move(endpoints)}, {"events", std::move(events)}});
    });
  }
  auto id = parse_id(parts[4]);
  if (!id) return error_response(req, core::not_found("no such webhook endpoint"));
  if (parts.size() == 5) {
    switch (req.method()) {
      case verb::get: {
        auto list = hooks.list(caller);
        if (!list) return error_response(req, list.error());
        for (const auto& e : *list) {
          if (e.id == *id) return ok_json(req, {{"endpoint", endpoint_json(e)}});
        }
        return error_response(req, core::not_found("no such webhook endpoint"));
      }
      case verb::put: {
        auto in = read_input(req);
        if (!in) return error_response(req, in.error());
        return endpoint_answer(req, hooks.update(caller, *id, *in));
      }
      case verb::delete_: {
        auto removed = hooks.remove(caller, *id);
        if (!removed) return error_response(req, removed.error());
        return empty_response(req, http::status::no_content);
      }
      default:
        return error_response(req, core::Error{core::ErrorCode::method_not_allowed, "use GET, PUT or DELETE"});
    }
  }
  if (parts.size() == 6 && parts[5] == "rotate-secret") {
    return only(req, verb::post, [&] { return endpoint_answer(req, hooks.rotate_secret(caller, *id)); });
  }
  if (parts.size() == 6 && parts[5] == "deliveries") {
    return only(req, verb::get, [&] {
      auto list = hooks.deliveries(caller, *id);
      if (!list) return error_response(req, list.error());
      json::array deliveries;
      for (const auto& d : *list) deliveries.push_back(delivery_json(d));
      return ok_json(req, {{"deliveries", std::move(deliveries)}});
    });
  }
  if (parts.size() == 8 && parts[5] == "deliveries" && parts[7] == "redeliver") {
    auto delivery = parse_id(parts[6]);
    if (!delivery) return error_response(req, core::not_found("no such delivery"));
    return only(req, verb::post, [&] {
      auto done = hooks.redeliver(caller, *id, *delivery);
      if (!done) return error_response(req, done.error());
      return ok_json(req, {{"redelivering", true}}, http::status::accepted);
    });
  }
  return error_response(req, core::not_found("no such route"));
}

}  // namespace parley::net
