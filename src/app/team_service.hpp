// Team management (issue 13): admins add agents, change their role, Calendar Agent flag and
// chat limit, send password links, deactivate and reactivate them; every agent edits their
// own name, initials and password. The rules are core/team.hpp's; the last-admin guard is
// applied by the store inside the change's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/agent_service.hpp"
#include "app/chat_service.hpp"
#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/result.hpp"

namespace parley::app {

// An invitation or reset link's secret: shown once to the admin, stored only hashed.
struct PasswordLink {
  std::string token;
  core::Millis expires_at = 0;
};

struct NewTeamMember {
  std::string name;
  std::string email;
  core::Role role = core::Role::agent;
  bool takes_chats = true;  // false: a Calendar Agent
  int max_chats = 10;
  // Set: the agent signs in with it. Unset: the answer carries an invitation link.
  std::optional<std::string> password;
};

struct AddedMember {
  core::Agent agent;
  std::optional<PasswordLink> invitation;
};

// An admin's edit of one agent; unset fields are kept.
struct MemberEdit {
  std::optional<std::string> name;
  std::optional<core::Role> role;
  std::optional<bool> takes_chats;
  std::optional<int> max_chats;
  std::optional<std::string> initials;
};

// What an agent changes about themselves; unset fields are kept.
struct ProfileEdit {
  std::optional<std::string> name;
  std::optional<std::string> initials;  // "" = back to the letters of the name
};

class TeamService {
 public:
  TeamService(store::Store& store, ChatService& chats, AgentService& agents, Clock clock)
      : store_(store), chats_(chats), agents_(agents), clock_(std::move(clock)) {}

  // --- admins (forbidden for anyone else) ---
  // bad_request for an invalid field; conflict when the email is taken.
  core::Result<AddedMember> add(const core::Agent& admin, NewTeamMember member);
  // not_found for no such agent; conflict when it would leave no active admin.
  core::Result<core::Agent> edit(const core::Agent& admin, core::Id agent_id, MemberEdit edit);
  // A new password link for the agent (earlier ones stop working); their sessions go on
  // until the link is used. not_found for no such or a deactivated agent.
  core::Result<PasswordLink> password_link(const core::Agent& admin, core::Id agent_id);
  // Deactivation keeps the agent's conversations, messages and history. At once: their
  // sessions end (cookies stop working, open sockets are closed), routing stops offering
  // them chats, requests offered to them move on, and their active chats end with
  // end_reason "agent_deactivated" (the visitor sees the chat end and can ask again; it
  // is then routed to an agent who is here). conflict for the last active admin.
  core::Result<core::Agent> deactivate(const core::Agent& admin, core::Id agent_id);
  // The agent can sign in again with their old password (or a new link).
  core::Result<core::Agent> reactivate(const core::Agent& admin, core::Id agent_id);

  // --- the agent themselves ---
  core::Result<core::Agent> update_profile(const core::Agent& me, ProfileEdit edit);
  // forbidden when `current` is wrong. Every other session of the agent ends;
  // `session_token` (this browser's) stays signed in.
  core::Result<core::Agent> change_password(const core::Agent& me, std::string_view current,
                                            std::string_view next, std::string_view session_token);

  // --- the set-password page (no session) ---
  // Whose link this is; not_found for an unknown, used or expired link.
  core::Result<core::Agent> link_owner(std::string_view token);
  // Uses the link once; the agent then signs in with `password`.
  core::Result<core::Agent> set_password_with_link(std::string_view token,
                                                   std::string_view password);

 private:
  core::Result<PasswordLink> new_link(core::Id agent_id);
  // Tells every node: the agent's sockets close (or are told their settings changed) and
  // admins' team views update.
  void announce(const core::Agent& agent);

  store::Store& store_;
  ChatService& chats_;
  AgentService& agents_;
  Clock clock_;
};

}  // namespace parley::app
