#include "net/api_token_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

json::value optional_millis(const std::optional<core::Millis>& at) {
  return at ? json::value(*at) : json::value(nullptr);
}

json::object token_json(const core::ApiToken& t) {
  json::array scopes;
  for (auto scope : t.scopes) scopes.emplace_back(core::to_string(scope));
  return {{"id", t.id},
          {"name", t.name},
          {"scopes", std::move(scopes)},
          {"prefix", t.prefix},
          {"created_by", t.created_by},
          {"created_at", t.created_at},
          {"last_used_at", optional_millis(t.last_used_at)},
          {"revoked_at", optional_millis(t.revoked_at)}};
}

core::Result<std::vector<std::string>> string_array(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array()) {
    return core::bad_request(std::string(key) + " must be an array of strings");
  }
  std::vector<std::string> out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string()) return core::bad_request(std::string(key) + " must be an array of strings");
    out.emplace_back(v.as_string());
  }
  return out;
}

Response create(Services& s, const Request& req, const core::Agent& caller) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  auto name = required_string(*body, "name");
  if (!name) return error_response(req, name.error());
  auto scopes = string_array(*body, "scopes");
  if (!scopes) return error_response(req, scopes.error());
  auto created = s.api_tokens.create(caller, *name, *scopes);
  if (!created) return error_response(req, created.error());
  return ok_json(req, {{"token", token_json(created->token)}, {"secret", created->secret}},
                 http::status::created);
}

Response create_row(const RouteCall& c) { return create(c.services, c.req, c.caller()); }

Response list_tokens(const RouteCall& c) {
  auto tokens = c.services.api_tokens.list(c.caller());
  if (!tokens) return error_response(c.req, tokens.error());
  json::array list;
  for (const auto& t : *tokens) list.push_back(token_json(t));
  json::array scopes;
  for (auto scope : core::all_api_scopes()) scopes.emplace_back(core::to_string(scope));
  return ok_json(c.req, {{"tokens", std::move(list)}, {"scopes", std::move(scopes)}});
}

Response revoke(const RouteCall& c) {
  auto revoked = c.services.api_tokens.revoke(c.caller(), c.id());
  if (!revoked) return error_response(c.req, revoked.error());
  return empty_response(c.req, http::status::no_content);
}

}  // namespace

void add_api_token_routes(RouteTable& t) {
  // No scope: a token never manages tokens, its own or others'.
  t.add(verb::get, "/api/v1/admin/api-tokens", Access::admin, list_tokens);
  t.add(verb::post, "/api/v1/admin/api-tokens", Access::admin, create_row);
  t.add(verb::delete_, "/api/v1/admin/api-tokens/{id}", Access::admin, revoke);
}

}  // namespace parley::net
