// API tokens (core/api_token.hpp): admins create, list and revoke them; every request that
// carries one is authenticated here. Which routes a token reaches is the scope of each row
// of the transport's route table (net/route_table.hpp); the use cases then run as
// core::api_token_principal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/api_token.hpp"
#include "core/result.hpp"

namespace parley::app {

// A new token with its secret, which exists only in this answer.
struct CreatedApiToken {
  core::ApiToken token;
  std::string secret;
};

class ApiTokenService {
 public:
  ApiTokenService(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // Admins only. bad_request for a blank or long name, no scope or an unknown one.
  core::Result<CreatedApiToken> create(const core::Agent& admin, const std::string& name,
                                       const std::vector<std::string>& scopes);
  core::Result<std::vector<core::ApiToken>> list(const core::Agent& admin);
  // not_found when there is no such token or it was already revoked.
  core::Status revoke(const core::Agent& admin, core::Id id);

  // The live token a bearer secret belongs to (not revoked), noting its use; nullopt
  // otherwise. Never says why: an unknown and a revoked secret look the same.
  std::optional<core::ApiToken> authenticate(const std::string& secret);

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace parley::app
