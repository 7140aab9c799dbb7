// The login storm of the login-storm scenario: N HTTP clients that log in over and over
// (POST /api/v1/auth/login, each on its own keep-alive connection) during a time window,
// on a thread of their own, so a chat measured beside them shows what logins cost it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "net.hpp"

namespace parley::bench {

struct StormOptions {
  int clients = 50;  // concurrent login clients
  // Accounts bench-login-1..K must exist; client i logs in as account (i % K) + 1, so a
  // per-account login limit sees a K-th of the storm.
  int accounts = 10;
  std::string email = "bench-login-%d@bench.local";  // %d: 1..accounts
  std::string password = "bench-password";
  bool wrong_password = false;  // log in with a wrong password (401s) instead
};

class LoginStorm {
 public:
  // Clients bind round robin to the same loopback source addresses as the chat's sockets,
  // so a per-IP login limit sees the storm spread over `source_addresses` addresses.
  LoginStorm(const StormOptions& options, const Target& target, int source_addresses);
  ~LoginStorm();
  LoginStorm(const LoginStorm&) = delete;
  LoginStorm& operator=(const LoginStorm&) = delete;

  // Starts the thread; the clients begin at start_ns and send no login after end_ns.
  void start(std::int64_t start_ns, std::int64_t end_ns);
  // Waits for the clients' last replies (each bounded by a 30 s timeout), stops the thread.
  void join();
  // {clients, accounts, wrong_password, window_s (its start to the last answer), attempts,
  //  ok, unauthorized, throttled, other_status, transport_errors, logins_per_s,
  //  password_checks_per_s, latency, errors, last_retry_after (when a 429 came)}; after join().
  boost::json::object figures() const;

  struct State;  // defined in login_storm.cpp

 private:
  std::unique_ptr<State> s_;
};

}  // namespace parley::bench
