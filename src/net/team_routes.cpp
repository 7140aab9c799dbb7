#include "net/team_routes.hpp"

#include <type_traits>

#include "net/api_support.hpp"
#include "net/auth_routes.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

// Where the Inbox's set-password page reads the link's secret: after '#', so it is never
// sent to a server or written to an access log.
constexpr const char* kSetPasswordPage = "/inbox/set-password#token=";

json::object agent_json(Services& s, const core::Agent& a) { return to_json(a, s.agents.status(a)); }

json::object link_json(const app::PasswordLink& link) {
  return {{"path", std::string(kSetPasswordPage) + link.token}, {"expires_at", link.expires_at}};
}

core::Result<std::optional<bool>> optional_bool(const json::object& o, std::string_view key) {
  if (!o.contains(key) || o.at(key).is_null()) return std::optional<bool>();
  auto v = required_bool(o, key);
  if (!v) return v.error();
  return std::optional<bool>(*v);
}

core::Result<std::optional<int>> optional_int(const json::object& o, std::string_view key) {
  if (!o.contains(key) || o.at(key).is_null()) return std::optional<int>();
  auto v = required_int(o, key);
  if (!v) return v.error();
  if (*v < -1'000'000 || *v > 1'000'000) return core::bad_request(std::string(key) + " is out of range");
  return std::optional<int>(static_cast<int>(*v));
}

core::Result<std::optional<core::Role>> optional_role(const json::object& o) {
  auto v = optional_string(o, "role");
  if (!v) return v.error();
  if (!*v) return std::optional<core::Role>();
  auto role = core::role_from_string(**v);
  if (!role) return core::bad_request("role must be \"agent\" or \"admin\"");
  return std::optional<core::Role>(*role);
}

// Reads the fields both the add and the edit forms have.
template <class T>
core::Status read_account_fields(const json::object& o, T& out) {
  auto role = optional_role(o);
  if (!role) return role.error();
  auto takes_chats = optional_bool(o, "takes_chats");
  if (!takes_chats) return takes_chats.error();
  auto max_chats = optional_int(o, "max_chats");
  if (!max_chats) return max_chats.error();
  if constexpr (std::is_same_v<T, app::NewTeamMember>) {
    if (*role) out.role = **role;
    if (*takes_chats) out.takes_chats = **takes_chats;
    if (*max_chats) out.max_chats = **max_chats;
  } else {
    out.role = *role;
    out.takes_chats = *takes_chats;
    out.max_chats = *max_chats;
  }
  return core::Ok{};
}

Response add_agent(Services& s, const Request& req, const core::Agent& caller) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  app::NewTeamMember member;
  auto name = required_string(*body, "name");
  if (!name) return error_response(req, name.error());
  auto email = required_string(*body, "email");
  if (!email) return error_response(req, email.error());
  auto password = optional_string(*body, "password");
  if (!password) return error_response(req, password.error());
  member.name = *name;
  member.email = *email;
  if (*password && !(*password)->empty()) member.password = **password;
  if (auto ok = read_account_fields(*body, member); !ok) return error_response(req, ok.error());
  auto added = s.team.add(caller, std::move(member));
  if (!added) return error_response(req, added.error());
  json::object out{{"agent", agent_json(s, added->agent)}, {"invitation", nullptr}};
  if (added->invitation) out["invitation"] = link_json(*added->invitation);
  return ok_json(req, std::move(out), http::status::created);
}

// "name" and "initials" of a member or profile edit; initials null or "" = from the name.
template <class Edit>
core::Status read_name_and_initials(const json::object& body, Edit& edit) {
  auto name = optional_string(body, "name");
  if (!name) return name.error();
  auto initials = optional_string(body, "initials");
  if (!initials) return initials.error();
  edit.name = *name;
  if (body.contains("initials")) edit.initials = initials->value_or("");
  return core::Ok{};
}

Response edit_agent(Services& s, const Request& req, const core::Agent& caller, core::Id id) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  app::MemberEdit edit;
  if (auto ok = read_name_and_initials(*body, edit); !ok) return error_response(req, ok.error());
  if (auto ok = read_account_fields(*body, edit); !ok) return error_response(req, ok.error());
  auto updated = s.team.edit(caller, id, std::move(edit));
  if (!updated) return error_response(req, updated.error());
  return ok_json(req, {{"agent", agent_json(s, *updated)}});
}

Response update_profile(Services& s, const Request& req, const core::Agent& caller) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  app::ProfileEdit edit;
  if (auto ok = read_name_and_initials(*body, edit); !ok) return error_response(req, ok.error());
  auto updated = s.team.update_profile(caller, std::move(edit));
  if (!updated) return error_response(req, updated.error());
  return ok_json(req, {{"agent", agent_json(s, *updated)}});
}

Response change_password(Services& s, const Request& req, const core::Agent& caller,
                         std::string_view session_token) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  auto current = required_string(*body, "current_password");
  if (!current) return error_response(req, current.error());
  auto next = required_string(*body, "new_password");
  if (!next) return error_response(req, next.error());
  auto changed = s.team.change_password(caller, *current, *next, session_token);
  if (!changed) return error_response(req, changed.error());
  return empty_response(req, http::status::no_content);
}

Response edit_person(Services& s, const Request& req, const core::Agent& caller,
                     core::Id conversation_id) {
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  core::PersonInput fields;
  auto email = required_string(*body, "email");
  if (!email) return error_response(req, email.error());
  fields.email = *email;
  for (auto [key, field] : {std::pair{"name", &fields.name},
                            {"job_title", &fields.job_title},
                            {"phone", &fields.phone},
                            {"company", &fields.company},
                            {"crm_status", &fields.crm_status}}) {
    auto v = optional_string(*body, key);
    if (!v) return error_response(req, v.error());
    *field = *v;
  }
  auto person = s.people.edit_visitor_person(caller, conversation_id, std::move(fields));
  if (!person) return error_response(req, person.error());
  return ok_json(req, {{"person", to_json(*person)}});
}

Response add_agent_row(const RouteCall& c) { return add_agent(c.services, c.req, c.caller()); }

Response edit_agent_row(const RouteCall& c) { return edit_agent(c.services, c.req, c.caller(), c.id()); }

Response new_password_link(const RouteCall& c) {
  auto link = c.services.team.password_link(c.caller(), c.id());
  if (!link) return error_response(c.req, link.error());
  return ok_json(c.req, {{"link", link_json(*link)}}, http::status::created);
}

Response agent_reply(const RouteCall& c, const core::Result<core::Agent>& updated) {
  if (!updated) return error_response(c.req, updated.error());
  return ok_json(c.req, {{"agent", agent_json(c.services, *updated)}});
}

Response deactivate(const RouteCall& c) {
  return agent_reply(c, c.services.team.deactivate(c.caller(), c.id()));
}

Response reactivate(const RouteCall& c) {
  return agent_reply(c, c.services.team.reactivate(c.caller(), c.id()));
}

Response update_profile_row(const RouteCall& c) { return update_profile(c.services, c.req, c.caller()); }

Response change_password_row(const RouteCall& c) {
  return change_password(c.services, c.req, c.caller(), c.session_token);
}

Response edit_person_row(const RouteCall& c) { return edit_person(c.services, c.req, c.caller(), c.id()); }

// POST /api/v1/auth/password-link/check {token} -> {agent: {name, email}}
// POST /api/v1/auth/password-link {token, password} -> {agent}, signed in.
Response use_password_link(const RouteCall& c, bool check) {
  const auto& req = c.req;
  auto& s = c.services;
  // Like the login: a page on another site must not use a link in this browser.
  if (is_cross_origin(req)) return error_response(req, core::forbidden("cross-origin request refused"));
  auto body = parse_object(req.body());
  if (!body) return error_response(req, body.error());
  auto token = required_string(*body, "token");
  if (!token) return error_response(req, token.error());
  if (check) {
    auto agent = s.team.link_owner(*token);
    if (!agent) return error_response(req, agent.error());
    return ok_json(req, {{"agent", json::object{{"name", agent->name}, {"email", agent->email}}}});
  }
  auto password = required_string(*body, "password");
  if (!password) return error_response(req, password.error());
  auto agent = s.team.set_password_with_link(*token, *password);
  if (!agent) return error_response(req, agent.error());
  // Signed in at once with the new password: the link was the proof of identity.
  auto login = s.auth.login(agent->email, *password);
  if (!login) return error_response(req, login.error());
  auto res = ok_json(req, {{"agent", agent_json(s, login->agent)}});
  set_session_cookie(res, login->session_token, c);
  return res;
}

}  // namespace

void add_team_routes(RouteTable& t) {
  t.add(verb::post, "/api/v1/admin/agents", Access::admin, add_agent_row);
  t.add(verb::patch, "/api/v1/admin/agents/{id}", Access::admin, edit_agent_row);
  t.add(verb::post, "/api/v1/admin/agents/{id}/password-link", Access::admin, new_password_link);
  t.add(verb::post, "/api/v1/admin/agents/{id}/deactivate", Access::admin, deactivate);
  t.add(verb::post, "/api/v1/admin/agents/{id}/reactivate", Access::admin, reactivate);
  t.add(verb::patch, "/api/v1/me/profile", Access::agent, update_profile_row);
  t.add(verb::put, "/api/v1/me/password", Access::agent, change_password_row);
  t.add(verb::put, "/api/v1/conversations/{id}/person", Access::agent, edit_person_row);
  t.add(verb::post, "/api/v1/auth/password-link", Access::anyone,
        [](const RouteCall& c) { return use_password_link(c, false); });
  t.add(verb::post, "/api/v1/auth/password-link/check", Access::anyone,
        [](const RouteCall& c) { return use_password_link(c, true); });
}

}  // namespace parley::net
