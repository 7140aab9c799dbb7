#include "app/auth_service.hpp"

#include "app/credentials.hpp"
#include "core/rate_limit.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace parley::app {

core::Millis AuthService::backoff_left(const std::string& email, core::Millis now) {
  std::lock_guard lock(failures_mutex_);
  auto it = failures_.find(email);
  if (it == failures_.end()) return 0;
  auto until = it->second.last_at + core::login_backoff(it->second.count);
  return until > now ? until - now : 0;
}

void AuthService::record_outcome(const std::string& email, bool ok, core::Millis now) {
  std::lock_guard lock(failures_mutex_);
  if (ok) {
    failures_.erase(email);
    return;
  }
  // Forget accounts whose back-off ran out long ago, so guessing at many emails cannot
  // grow the table without bound.
  if (failures_.size() > 10'000) {
    std::erase_if(failures_, [&](const auto& kv) {
      return now - kv.second.last_at > core::kMaxLoginBackoff;
    });
  }
  auto& f = failures_[email];
  ++f.count;
  f.last_at = now;
}

core::Result<LoginOutcome> AuthService::login(std::string_view email, std::string_view password) {
  std::string key = core::lowercase_ascii(core::trim(email));
  auto now = clock_();
  if (auto wait = backoff_left(key, now)) {
    return core::too_many_requests("too many failed logins for this account; try again later",
                                   wait);
  }
  auto login = store_.find_agent_login(key);
  if (!login || !login->agent.active) {
    // Spend the same time as a real check so response times do not reveal the email.
    static const std::string dummy = hash_password("not a real password");
    verify_password(password, dummy);
    record_outcome(key, false, now);
    return core::unauthorized("wrong email or password");
  }
  if (!verify_password(password, login->password_hash)) {
    record_outcome(key, false, now);
    return core::unauthorized("wrong email or password");
  }
  record_outcome(key, true, now);
  std::string token = random_token();
  store_.create_session(token_hash(token), login->agent.id, clock_() + kSessionLifetime);
  return LoginOutcome{login->agent, std::move(token)};
}

void AuthService::logout(std::string_view session_token) {
  store_.delete_session(token_hash(session_token));
}

std::optional<core::Agent> AuthService::agent_for_session(std::string_view session_token) {
  if (session_token.empty()) return std::nullopt;
  auto agent_id = store_.find_session(token_hash(session_token), clock_());
  if (!agent_id) return std::nullopt;
  auto agent = store_.find_agent(*agent_id);
  if (!agent || !agent->active) return std::nullopt;
  return agent;
}

core::Result<core::Agent> AuthService::create_agent(std::string_view name, std::string_view email,
                                                    std::string_view password, core::Role role,
                                                    int max_chats, bool takes_chats) {
  std::string clean_name = core::trim(name);
  std::string clean_email = core::lowercase_ascii(core::trim(email));
  if (clean_name.empty() || clean_name.size() > core::kMaxFieldBytes) {
    return core::bad_request("name is required (at most 200 bytes)");
  }
  if (!core::looks_like_email(clean_email)) return core::bad_request("email is not a valid address");
  if (password.size() < 8) return core::bad_request("password must have at least 8 characters");
  if (max_chats < 1) return core::bad_request("max_chats must be at least 1");
  return store_.create_agent(
      store::NewAgent{clean_name, clean_email, hash_password(password), role, max_chats, takes_chats});
}

NewVisitorOutcome AuthService::new_visitor() {
  std::string token = random_token();
  auto visitor = store_.create_visitor(token_hash(token), clock_());
  return {visitor, std::move(token)};
}

std::optional<core::Visitor> AuthService::visitor_for_token(std::string_view visitor_token) {
  if (visitor_token.empty()) return std::nullopt;
  return store_.find_visitor_by_token(token_hash(visitor_token));
}

}  // namespace parley::app
