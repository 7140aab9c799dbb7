// The Store port, agents and sessions: accounts, the availability toggle and settings,
// login sessions. Contract tests: tests/store/agents_test.cpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_common.hpp"

namespace parley::store {

struct NewAgent {
  std::string name;
  std::string email;          // any case; stored lower-cased, unique
  std::string password_hash;  // an encoded Argon2id hash, never the password
  core::Role role = core::Role::agent;
  int max_chats = 10;
  bool takes_chats = true;  // false: a Calendar Agent
};

// What an admin changes about an agent's account (issue 13); an unset field is kept.
// Values are already validated (core/team.hpp).
struct AgentAccountChange {
  std::optional<std::string> name;
  std::optional<core::Role> role;
  std::optional<bool> takes_chats;
  std::optional<int> max_chats;
  std::optional<bool> active;
  std::optional<std::string> initials;  // "" = back to the letters of the name
};

struct AgentLogin {
  core::Agent agent;
  std::string password_hash;
};

class AgentStore {
 public:
  virtual ~AgentStore() = default;

  // --- agents and sessions ---
  // conflict when the email is taken.
  virtual Result<core::Agent> create_agent(const NewAgent& agent) = 0;
  virtual std::optional<AgentLogin> find_agent_login(std::string_view email) = 0;
  virtual std::optional<core::Agent> find_agent(Id agent_id) = 0;
  virtual std::vector<core::Agent> list_agents() = 0;
  // The availability toggle, effective from `set_at`. not_found when no such agent.
  virtual Result<core::Agent> set_availability_override(Id agent_id, bool available,
                                                        Millis set_at) = 0;
  // Replaces the agent's settings (already validated). not_found when no such agent.
  virtual Result<core::Agent> update_agent_settings(Id agent_id,
                                                    const core::AgentSettings& settings) = 0;
  // Applies the change in one transaction. not_found when no such agent; conflict, and
  // nothing changed, when it would leave the team without an active admin
  // (core::team::keeps_an_active_admin; concurrent changes of two admins cannot both pass).
  // Deactivating also deletes the agent's sessions and presence reports in the same
  // transaction: their cookies stop working at once and routing no longer offers them
  // chats (their pending offers are due at once, as an offline agent's are).
  virtual Result<core::Agent> update_agent_account(Id agent_id,
                                                   const AgentAccountChange& change) = 0;
  // Replaces the password hash. `end_sessions`: every session of the agent is deleted (a
  // reset by an admin), except the one whose hash is `keep_session` (the agent changing
  // their own password stays signed in on this browser only). not_found when no such agent.
  virtual Result<core::Agent> set_agent_password(Id agent_id, std::string_view password_hash,
                                                 bool end_sessions,
                                                 std::string_view keep_session = {}) = 0;
  // An invitation or reset link: the agent's earlier links stop working, this one works
  // until `expires_at`. Only the token's hash is stored.
  virtual void create_password_link(std::string_view token_hash, Id agent_id,
                                    Millis expires_at) = 0;
  // Uses a link once: the agent gets `password_hash`, the link is deleted and every session
  // of the agent ends, in one transaction. not_found for an unknown, used or expired link,
  // or one of a deactivated agent.
  virtual Result<core::Agent> use_password_link(std::string_view token_hash, Millis now,
                                                std::string_view password_hash) = 0;
  // The agent of an unused, unexpired link of an active agent (the set-password page shows
  // whose account it is), else nullopt.
  virtual std::optional<core::Agent> find_password_link(std::string_view token_hash,
                                                        Millis now) = 0;
  virtual void create_session(std::string_view token_hash, Id agent_id, Millis expires_at) = 0;
  // The agent of an unexpired session of an active agent, else nullopt.
  virtual std::optional<Id> find_session(std::string_view token_hash, Millis now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;

  // --- presence (app/presence.hpp) ---
  // `node_id` holds live sockets of `agents` until `expires_at`: each one's report from this
  // node is created or renewed. Reports of agents not listed are left alone to expire. An
  // agent is online while any node's report for them is unexpired; routing (AgentLoad) and
  // due_offers() read it.
  virtual void report_presence(std::string_view node_id, std::span<const Id> agents,
                               Millis expires_at) = 0;
};

// Reports that expired this long before a new report's expiry are deleted with it (nodes
// that are gone leave no rows behind for ever).
inline constexpr Millis kPresenceKeptAfterExpiry = 24 * 3600 * 1000;

}  // namespace parley::store
