// The Store port, API tokens (core/api_token.hpp): created by an admin, found by the hash of
// their secret, revoked for good. The secret itself is never stored.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/api_token.hpp"
#include "store/store_common.hpp"

namespace parley::store {

class ApiTokenStore {
 public:
  virtual ~ApiTokenStore() = default;

  // Stores a new token (`token.id` is ignored) under `secret_hash`; returns it with its id.
  virtual core::ApiToken create_api_token(const core::ApiToken& token,
                                          std::string_view secret_hash) = 0;
  // Every token, revoked ones too (the list shows them as revoked), newest first.
  virtual std::vector<core::ApiToken> list_api_tokens() = 0;
  // The token whose secret hashes to `secret_hash`, unless revoked.
  virtual std::optional<core::ApiToken> find_api_token(std::string_view secret_hash) = 0;
  // Marks the token revoked at `now`; false when there is no such token or it already was.
  virtual bool revoke_api_token(Id id, Millis now) = 0;
  // Sets last_used_at to `now` unless it was set less than core::kApiTokenUseResolution ago
  // (one write a minute per token, however busy it is).
  virtual void touch_api_token(Id id, Millis now) = 0;
};

}  // namespace parley::store
