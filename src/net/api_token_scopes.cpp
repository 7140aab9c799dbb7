#include "net/api_token_scopes.hpp"

#include "net/api_support.hpp"

namespace parley::net {

using core::ApiScope;

std::optional<ApiScope> scope_for(http::verb method, std::span<const std::string_view> parts) {
  if (parts.size() < 3) return std::nullopt;
  auto area = parts[2];
  auto n = parts.size();
  if (area == "conversations" && method == http::verb::get) {
    // The list, one conversation, its events, its transcript: reading only.
    if (n == 3) return ApiScope::conversations_read;
    if (!parse_id(parts[3])) return std::nullopt;
    if (n == 4) return ApiScope::conversations_read;
    if (n == 5 && (parts[4] == "events" || parts[4] == "transcript")) return ApiScope::conversations_read;
    return std::nullopt;
  }
  if (area == "agents" && n == 3 && method == http::verb::get) return ApiScope::agents_read;
  if (area == "admin" && n >= 4) {
    auto what = parts[3];
    if (what == "people" && n == 4) {
      if (method == http::verb::get) return ApiScope::people_read;
      if (method == http::verb::put) return ApiScope::people_write;
    }
    if (what == "people" && n == 5 && parts[4] == "import" && method == http::verb::post) {
      return ApiScope::people_write;
    }
    if (what == "activities" && n == 4 && method == http::verb::post) return ApiScope::people_write;
    // Every webhook route (net/webhook_routes.hpp), whatever the method.
    if (what == "webhooks") return ApiScope::webhooks_manage;
  }
  return std::nullopt;
}

}  // namespace parley::net
