// API tokens (issue 14): named bearer credentials an admin creates for a server that calls
// the REST API — a CRM pushing people, a reporting job reading conversations. A token
// carries scopes, and a request made with it reaches only the routes of those scopes,
// never an agent's own actions (accepting, sending, ending, settings) nor the admin's.
//
// The secret is shown once when the token is made; the store keeps only its hash (as for
// sessions), so a leaked database holds no usable token.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

// What a token may do. Each scope opens the routes whose row in net/ names it (net/route_table.hpp).
enum class ApiScope {
  conversations_read,  // list, open, events and transcript of every conversation
  people_read,         // look a person up by email
  people_write,        // create or update people, import them, post custom activities
  agents_read,         // the team list with each agent's status
  webhooks_manage,     // the webhook endpoints: list, add, change, delete, their deliveries
};

// "conversations:read", ...
const char* to_string(ApiScope scope);
std::optional<ApiScope> api_scope_from_string(std::string_view s);
// Every scope, in a stable order (for the admin UI and the docs).
const std::vector<ApiScope>& all_api_scopes();

struct ApiToken {
  Id id = 0;
  std::string name;
  std::vector<ApiScope> scopes;
  std::string prefix;  // the secret's first characters, to tell tokens apart in the list
  Id created_by = 0;
  Millis created_at = 0;
  std::optional<Millis> last_used_at;
  std::optional<Millis> revoked_at;

  bool has(ApiScope scope) const;
};

// The secret's visible prefix says what it is (a leaked "pt_…" string in a log or a
// repository is recognisably a Parley token) and the next characters tell tokens apart.
inline constexpr std::string_view kApiTokenPrefix = "pt_";
inline constexpr std::size_t kApiTokenShownChars = 8;  // of the secret, kept in the list
// last_used_at is written at most this often per token: a busy integration must not turn
// every read into a write.
inline constexpr Millis kApiTokenUseResolution = 60'000;

// A new token's scopes as an admin chose them: at least one, each known, none twice.
// bad_request says what is wrong. (The name is cleaned as a person's: core::team::clean_name.)
Result<std::vector<ApiScope>> parse_api_scopes(const std::vector<std::string>& names);

// Who a request made with `token` acts as inside the use cases: an account that is not a
// person (id 0, no chats, no schedule) with the admin's view of every conversation, which
// the token's scopes — checked before any use case runs — narrow to what it may call.
Agent api_token_principal(const ApiToken& token);

}  // namespace parley::core
