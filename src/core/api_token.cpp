#include "core/api_token.hpp"

#include <algorithm>
#include <array>
#include <utility>


namespace parley::core {

namespace {
constexpr std::array<std::pair<ApiScope, const char*>, 5> kScopeNames{{
    {ApiScope::conversations_read, "conversations:read"},
    {ApiScope::people_read, "people:read"},
    {ApiScope::people_write, "people:write"},
    {ApiScope::agents_read, "agents:read"},
    {ApiScope::webhooks_manage, "webhooks:manage"},
}};
}  // namespace

const char* to_string(ApiScope scope) {
  for (const auto& entry : kScopeNames) {
    if (entry.first == scope) return entry.second;
  }
  return "unknown";
}

std::optional<ApiScope> api_scope_from_string(std::string_view s) {
  for (const auto& entry : kScopeNames) {
    if (s == entry.second) return entry.first;
  }
  return std::nullopt;
}

const std::vector<ApiScope>& all_api_scopes() {
  static const std::vector<ApiScope> all = [] {
    std::vector<ApiScope> out;
    for (const auto& entry : kScopeNames) out.push_back(entry.first);
    return out;
  }();
  return all;
}

bool ApiToken::has(ApiScope scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

Result<std::vector<ApiScope>> parse_api_scopes(const std::vector<std::string>& names) {
  if (names.empty()) return bad_request("choose at least one scope");
  std::vector<ApiScope> out;
  for (const auto& name : names) {
    auto scope = api_scope_from_string(name);
    if (!scope) return bad_request("unknown scope '" + name + "'");
    if (std::find(out.begin(), out.end(), *scope) != out.end()) {
      return bad_request("scope '" + name + "' is listed twice");
    }
    out.push_back(*scope);
  }
  return out;
}

Agent api_token_principal(const ApiToken& token) {
  Agent a;
  a.id = 0;
  a.name = "API token " + token.name;
  a.role = Role::admin;  // the admin's view: every conversation, every person
  a.max_chats = 0;
  a.takes_chats = false;
  return a;
}

}  // namespace parley::core
