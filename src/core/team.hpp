// Team management rules (issue 13): who may change an agent's account, what a valid
// account looks like, that a team always keeps an active admin, and who may edit a
// visitor's person fields. Pure: the store and app/team_service apply them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/types.hpp"
#include "core/visibility.hpp"

namespace parley::core::team {

// An invitation or password-reset link works once, for this long.
inline constexpr Millis kPasswordLinkLifetime = 72LL * 3600 * 1000;
inline constexpr std::size_t kMinPasswordBytes = 8;
// Argon2 takes any length; a cap keeps one request from hashing megabytes.
inline constexpr std::size_t kMaxPasswordBytes = 1024;
inline constexpr int kMaxChatsLimit = 1000;

// Every team action but an agent's own profile is the admins' (forbidden otherwise).
Status require_admin(const Agent& caller);

// Trimmed, 1..kMaxFieldBytes bytes of UTF-8; bad_request otherwise.
Result<std::string> clean_name(std::string_view name);
// Lower-cased, trimmed, an address's shape; bad_request otherwise.
Result<std::string> clean_email(std::string_view email);
Status validate_password(std::string_view password);
Status validate_max_chats(int max_chats);

// The avatar's letters. Empty means "from the name"; otherwise one or two letters or
// digits (any script), upper-cased where ASCII. bad_request for anything else.
Result<std::string> clean_initials(std::string_view initials);
// The first letters of the first two words of the name ("Ann Lee" -> "AL"), or the first
// two of a one-word name ("Bo" -> "BO"); "?" for a name without letters.
std::string default_initials(std::string_view name);
// What the Inbox shows: the agent's own choice, else the default.
std::string initials_of(const Agent& agent);

// The account as it is and as a change would leave it: a team must keep at least one
// active admin, so demoting or deactivating the last one is a conflict.
// `other_active_admins` counts the active admins other than this agent.
Status keeps_an_active_admin(const Agent& before, Role role_after, bool active_after,
                             int other_active_admins);

// Who may edit the person fields of the visitor of conversation `c`: admins (view_all)
// always; an agent for a chat they may read that is not a request waiting for an Accept
// (their own active chats and every ended chat), so the agent who talked to the visitor
// can put down who they are, and nobody edits the visitor behind a chat they cannot open.
bool may_edit_visitor_person(const Viewer& viewer, const Conversation& c);

}  // namespace parley::core::team
