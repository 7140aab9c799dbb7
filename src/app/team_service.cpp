#include "app/team_service.hpp"

#include "app/credentials.hpp"
#include "core/team.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace team = core::team;

namespace {
// Every active chat an agent can hold (max_chats is at most kMaxChatsLimit).
constexpr int kAllActiveChats = team::kMaxChatsLimit + 1;
}  // namespace

void TeamService::announce(const core::Agent& agent) {
  // A deactivated agent has no status worth scheduling; the event is what closes their
  // sockets (net/websocket_session.cpp) on every node.
  agents_.publish_status(agent, agent.active);
}

core::Result<PasswordLink> TeamService::new_link(core::Id agent_id) {
  PasswordLink link{random_token(), clock_() + team::kPasswordLinkLifetime};
  store_.create_password_link(token_hash(link.token), agent_id, link.expires_at);
  return link;
}

core::Result<AddedMember> TeamService::add(const core::Agent& admin, NewTeamMember member) {
  if (auto ok = team::require_admin(admin); !ok) return ok.error();
  auto name = team::clean_name(member.name);
  if (!name) return name.error();
  auto email = team::clean_email(member.email);
  if (!email) return email.error();
  if (auto ok = team::validate_max_chats(member.max_chats); !ok) return ok.error();
  std::string hash;
  if (member.password) {
    if (auto ok = team::validate_password(*member.password); !ok) return ok.error();
    hash = hash_password(*member.password);
  } else {
    // No password yet: a hash of a random secret nobody knows, so nothing signs in until
    // the invitation is used.
    hash = hash_password(random_token());
  }
  auto created = store_.create_agent(store::NewAgent{*name, *email, hash, member.role,
                                                     member.max_chats, member.takes_chats});
  if (!created) return created.error();
  AddedMember out{*created, std::nullopt};
  if (!member.password) {
    auto link = new_link(created->id);
    if (!link) return link.error();
    out.invitation = *link;
  }
  agents_.publish_status(*created);
  return out;
}

namespace {
// The name and initials of an account change, cleaned as core::team says (unset: kept).
core::Status take_name_and_initials(const std::optional<std::string>& name,
                                    const std::optional<std::string>& initials,
                                    store::AgentAccountChange& change) {
  if (name) {
    auto clean = team::clean_name(*name);
    if (!clean) return clean.error();
    change.name = *clean;
  }
  if (initials) {
    auto clean = team::clean_initials(*initials);
    if (!clean) return clean.error();
    change.initials = *clean;
  }
  return core::Ok{};
}
}  // namespace

core::Result<core::Agent> TeamService::edit(const core::Agent& admin, core::Id agent_id,
                                            MemberEdit edit) {
  if (auto ok = team::require_admin(admin); !ok) return ok.error();
  store::AgentAccountChange change;
  if (auto ok = take_name_and_initials(edit.name, edit.initials, change); !ok) return ok.error();
  if (edit.max_chats) {
    if (auto ok = team::validate_max_chats(*edit.max_chats); !ok) return ok.error();
  }
  change.role = edit.role;
  change.takes_chats = edit.takes_chats;
  change.max_chats = edit.max_chats;
  auto updated = store_.update_agent_account(agent_id, change);
  if (!updated) return updated.error();
  announce(*updated);
  return updated;
}

core::Result<PasswordLink> TeamService::password_link(const core::Agent& admin,
                                                      core::Id agent_id) {
  if (auto ok = team::require_admin(admin); !ok) return ok.error();
  auto agent = store_.find_agent(agent_id);
  if (!agent) return core::not_found("no such agent");
  if (!agent->active) return core::conflict("reactivate this agent before sending a link");
  return new_link(agent_id);
}

core::Result<core::Agent> TeamService::deactivate(const core::Agent& admin, core::Id agent_id) {
  if (auto ok = team::require_admin(admin); !ok) return ok.error();
  store::AgentAccountChange change;
  change.active = false;
  auto updated = store_.update_agent_account(agent_id, change);
  if (!updated) return updated.error();
  announce(*updated);
  // Requests waiting for their Accept go to the next agent now, not when the window ends.
  for (const auto& offer : store_.pending_offers(agent_id)) chats_.expire_offer(offer.conversation);
  store::ConversationQuery mine;
  mine.viewer = core::Viewer{agent_id, false};
  mine.filter = core::StatusFilter::active;
  mine.limit = kAllActiveChats;
  for (const auto& row : store_.list_conversations(mine)) {
    const auto& c = row.conversation;
    if (c.status == core::ConversationStatus::active && c.agent_id == agent_id) {
      chats_.end_for_deactivation(c.id);
    }
  }
  return updated;
}

core::Result<core::Agent> TeamService::reactivate(const core::Agent& admin, core::Id agent_id) {
  if (auto ok = team::require_admin(admin); !ok) return ok.error();
  store::AgentAccountChange change;
  change.active = true;
  auto updated = store_.update_agent_account(agent_id, change);
  if (!updated) return updated.error();
  announce(*updated);
  return updated;
}

core::Result<core::Agent> TeamService::update_profile(const core::Agent& me, ProfileEdit edit) {
  store::AgentAccountChange change;
  if (auto ok = take_name_and_initials(edit.name, edit.initials, change); !ok) return ok.error();
  // Only the fields above: role, limit and the rest stay the admins' to change.
  auto updated = store_.update_agent_account(me.id, change);
  if (!updated) return updated.error();
  announce(*updated);
  return updated;
}

core::Result<core::Agent> TeamService::change_password(const core::Agent& me,
                                                       std::string_view current,
                                                       std::string_view next,
                                                       std::string_view session_token) {
  auto login = store_.find_agent_login(me.email);
  if (!login || login->agent.id != me.id || !verify_password(current, login->password_hash)) {
    // Not 401: the session is valid, and a client takes 401 for "signed out".
    return core::forbidden("the current password is wrong");
  }
  if (auto ok = team::validate_password(next); !ok) return ok.error();
  return store_.set_agent_password(me.id, hash_password(next), /*end_sessions=*/true,
                                   token_hash(session_token));
}

core::Result<core::Agent> TeamService::link_owner(std::string_view token) {
  if (token.empty()) return core::not_found("this link is unknown, used or expired");
  auto agent = store_.find_password_link(token_hash(token), clock_());
  if (!agent) return core::not_found("this link is unknown, used or expired");
  return *agent;
}

core::Result<core::Agent> TeamService::set_password_with_link(std::string_view token,
                                                              std::string_view password) {
  if (auto ok = team::validate_password(password); !ok) return ok.error();
  if (token.empty()) return core::not_found("this link is unknown, used or expired");
  return store_.use_password_link(token_hash(token), clock_(), hash_password(password));
}

}  // namespace parley::app
