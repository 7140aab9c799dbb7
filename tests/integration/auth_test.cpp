#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

TEST_F(ServerTest, LoginSetsHttpOnlySameSiteSessionCookie) {
  HttpClient http(port());
  auto r = http.post("/api/v1/auth/login",
                     json::object{{"email", "ALICE@example.com"}, {"password", kPassword}});
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ("alice@example.com", r.json().at("agent").at("email").as_string());
  const auto& cookie = r.headers.at("set-cookie");
  EXPECT_NE(std::string::npos, cookie.find("parley_session="));
  EXPECT_NE(std::string::npos, cookie.find("HttpOnly"));
  EXPECT_NE(std::string::npos, cookie.find("SameSite=Lax"));
  EXPECT_EQ(200, http.get("/api/v1/me").status);
}

TEST_F(ServerTest, WrongPasswordAndUnknownEmailGetTheSame401) {
  HttpClient http(port());
  auto wrong = http.post("/api/v1/auth/login",
                         json::object{{"email", "alice@example.com"}, {"password", "nope nope"}});
  auto unknown = http.post("/api/v1/auth/login",
                           json::object{{"email", "nobody@example.com"}, {"password", kPassword}});
  EXPECT_EQ(401, wrong.status);
  EXPECT_EQ(401, unknown.status);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ("unauthorized", wrong.json().at("error").at("code").as_string());
}

TEST_F(ServerTest, AgentEndpointsWithoutSessionAre401) {
  HttpClient http(port());
  for (auto target : {"/api/v1/me", "/api/v1/conversations", "/api/v1/conversations/1"}) {
    auto r = http.get(target);
    EXPECT_EQ(401, r.status) << target;
    EXPECT_EQ("unauthorized", r.json().at("error").at("code").as_string());
  }
  auto forged = http.request(verb::get, "/api/v1/me", "", {{"Cookie", "parley_session=forged"}});
  EXPECT_EQ(401, forged.status);
}

TEST_F(ServerTest, LogoutInvalidatesTheSession) {
  auto a = login("alice@example.com");
  std::string old_cookie = a.http.cookie();
  EXPECT_EQ(204, a.http.post("/api/v1/auth/logout").status);
  HttpClient replay(port());
  auto r = replay.request(verb::get, "/api/v1/me", "", {{"Cookie", old_cookie}});
  EXPECT_EQ(401, r.status);
}

TEST_F(ServerTest, CreateAgentRefusesDuplicateEmailAndShortPassword) {
  std::string out;
  server->stop();  // the CLI writes to the same database file
  EXPECT_NE(0, run_cli({"admin", "create-agent", "--data", dir.path.string(), "--name", "X",
                        "--email", "Alice@Example.com", "--password", kPassword}));
  EXPECT_NE(0, run_cli({"admin", "create-agent", "--data", dir.path.string(), "--name", "Y",
                        "--email", "y@example.com", "--password", "short"}));
}

TEST_F(ServerTest, AvailabilityToggleIsStoredAndReturned) {
  auto a = login("alice@example.com");
  EXPECT_FALSE(a.agent.at("available").as_bool());
  auto r = a.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})");
  ASSERT_EQ(200, r.status);
  EXPECT_TRUE(a.http.get("/api/v1/me").json().at("agent").at("available").as_bool());
  auto bad = a.http.request(verb::put, "/api/v1/me/availability", R"({"available":"yes"})");
  EXPECT_EQ(400, bad.status);
}

}  // namespace
}  // namespace parley::testing
