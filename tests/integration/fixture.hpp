// The fixture of most integration tests: a fresh data directory with two agents and an
// admin, and a running server.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "test_server.hpp"

namespace parley::testing {

inline const std::string kPassword = "correct horse 1";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto [name, email, role] :
         {std::tuple{"Alice Agent", "alice@example.com", "agent"},
          std::tuple{"Bob Agent", "bob@example.com", "agent"},
          std::tuple{"Ada Admin", "admin@example.com", "admin"}}) {
      ASSERT_EQ(0, run_cli({"admin", "create-agent", "--data", dir.path.string(), "--name", name,
                            "--email", email, "--password", kPassword, "--role", role}));
    }
    server = std::make_unique<ServerProcess>(dir.path, std::filesystem::path{}, serve_flags());
    server->start();
  }

  // Extra `parley serve` flags of a fixture (limits, timeouts).
  virtual std::vector<std::string> serve_flags() const { return {}; }

  unsigned short port() const { return server->port(); }
  AgentLogin login(const std::string& email) { return login_agent(port(), email, kPassword); }

  // Logs in, turns available and opens the Inbox (its socket), returns the login.
  AgentLogin available_agent(const std::string& email) {
    auto a = login(email);
    auto r = a.http.request(boost::beast::http::verb::put, "/api/v1/me/availability",
                            R"({"available":true})");
    EXPECT_EQ(200, r.status) << r.body;
    a.inbox = std::make_shared<WsClient>(port(), a.http.cookie());
    a.inbox->expect("hello");  // online from here on
    return a;
  }

  // A visitor asks for a chat; returns the conversation object.
  json::object request_chat(VisitorClient& v, const std::string& name = "Vera Visitor",
                            const std::string& email = "vera@example.com") {
    auto r = v.http.post("/api/v1/visitor/chats",
                         json::object{{"name", name}, {"email", email}, {"job_title", "CTO"},
                                      {"page_url", "https://acme.test/pricing"}});
    EXPECT_EQ(201, r.status) << r.body;
    return r.json().at("conversation").as_object();
  }

  std::string conv_path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/conversations/" + std::to_string(id) + rest;
  }
  std::string visitor_path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/visitor/chats/" + std::to_string(id) + rest;
  }

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
};

inline std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

}  // namespace parley::testing
