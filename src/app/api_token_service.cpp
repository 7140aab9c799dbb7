#include "app/api_token_service.hpp"

#include "app/credentials.hpp"
#include "core/team.hpp"
#include "store/store.hpp"

namespace parley::app {

core::Result<CreatedApiToken> ApiTokenService::create(const core::Agent& admin,
                                                      const std::string& name,
                                                      const std::vector<std::string>& scopes) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  auto clean = core::team::clean_name(name);
  if (!clean) return clean.error();
  auto parsed = core::parse_api_scopes(scopes);
  if (!parsed) return parsed.error();
  std::string secret = std::string(core::kApiTokenPrefix) + random_token();
  core::ApiToken token;
  token.name = std::move(*clean);
  token.scopes = std::move(*parsed);
  token.prefix = secret.substr(0, core::kApiTokenPrefix.size() + core::kApiTokenShownChars);
  token.created_by = admin.id;
  token.created_at = clock_();
  return CreatedApiToken{store_.create_api_token(token, token_hash(secret)), std::move(secret)};
}

core::Result<std::vector<core::ApiToken>> ApiTokenService::list(const core::Agent& admin) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  return store_.list_api_tokens();
}

core::Status ApiTokenService::revoke(const core::Agent& admin, core::Id id) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  if (!store_.revoke_api_token(id, clock_())) return core::not_found("no such API token");
  return core::Ok{};
}

std::optional<core::ApiToken> ApiTokenService::authenticate(const std::string& secret) {
  if (!secret.starts_with(core::kApiTokenPrefix)) return std::nullopt;
  auto token = store_.find_api_token(token_hash(secret));
  if (!token) return std::nullopt;
  auto now = clock_();
  if (!token->last_used_at || *token->last_used_at <= now - core::kApiTokenUseResolution) {
    store_.touch_api_token(token->id, now);
  }
  return token;
}

}  // namespace parley::app
