// Use cases of identity: agent login/logout and sessions, agent creation, visitor tokens.
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/result.hpp"

namespace parley::app {

struct LoginOutcome {
  core::Agent agent;
  std::string session_token;  // goes into the cookie; the store keeps only its hash
};

struct NewVisitorOutcome {
  core::Visitor visitor;
  std::string visitor_token;
};

class AuthService {
 public:
  AuthService(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  static constexpr core::Millis kSessionLifetime = 30LL * 24 * 3600 * 1000;  // 30 days

  // unauthorized for an unknown email, a wrong password or a deactivated agent, with
  // the same message for each so the answer does not reveal which emails exist.
  // too_many_requests, without checking the password, while the email is in its back-off
  // after repeated failures (core::login_backoff); a success clears the count.
  core::Result<LoginOutcome> login(std::string_view email, std::string_view password);
  void logout(std::string_view session_token);
  std::optional<core::Agent> agent_for_session(std::string_view session_token);

  // bad_request for an invalid name/email or a password under 8 characters;
  // conflict when the email is taken. takes_chats = false makes a Calendar Agent: bookable
  // for meetings, never offered a chat.
  core::Result<core::Agent> create_agent(std::string_view name, std::string_view email,
                                         std::string_view password, core::Role role,
                                         int max_chats = 10, bool takes_chats = true);

  NewVisitorOutcome new_visitor();
  std::optional<core::Visitor> visitor_for_token(std::string_view visitor_token);


 private:
  struct Failures {
    int count = 0;
    core::Millis last_at = 0;
  };
  // A retry-after for `email` when it is in back-off; counts a failure or a success.
  core::Millis backoff_left(const std::string& email, core::Millis now);
  void record_outcome(const std::string& email, bool ok, core::Millis now);

  store::Store& store_;
  Clock clock_;
  std::mutex failures_mutex_;
  std::unordered_map<std::string, Failures> failures_;  // by login email, this node only
};

}  // namespace parley::app
