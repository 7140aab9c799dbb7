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

}  // namespace

std::optional<Response> handle_api_token_api(Services& s, const Request& req,
                                             const core::Agent& caller,
                                             std::span<const std::string_view> parts) {
  if (parts.size() < 4 || parts[2] != "admin" || parts[3] != "api-tokens") return std::nullopt;
  if (parts.size() == 4) {
    if (req.method() == verb::post) return create(s, req, caller);
    return only(req, verb::get, [&] {
      auto tokens = s.api_tokens.list(caller);
      if (!tokens) return error_response(req, tokens.error());
      json::array list;
      for (const auto& t : *tokens) list.push_back(token_json(t));
      json::array scopes;
      for (auto scope : core::all_api_scopes()) scopes.emplace_back(core::to_string(scope));
      return ok_json(req, {{"tokens", std::move(list)}, {"scopes", std::move(scopes)}});
    });
  }
  if (parts.size() != 5) return std::nullopt;
  auto id = parse_id(parts[4]);
  if (!id) return error_response(req, core::not_found("no such API token"));
  return only(req, verb::delete_, [&] {
    auto revoked = s.api_tokens.revoke(caller, *id);
    if (!revoked) return error_response(req, revoked.error());
    return empty_response(req, http::status::no_content);
  });
}

}  // namespace parley::net
