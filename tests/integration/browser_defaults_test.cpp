// Browser-facing defaults: security headers on pages and API answers, the session
// cookie's Secure flag over HTTPS only, and no login from a foreign Origin.
#include <fstream>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class BrowserDefaultsTest : public ServerTest {
 protected:
  void start_with(std::vector<std::string> flags) {
    auto web = dir.path / "web";
    for (auto page : {"inbox", "meeting", "demo"}) {
      std::filesystem::create_directories(web / page);
      std::ofstream(web / page / "index.html") << "<!doctype html><title>" << page << "</title>";
    }
    std::ofstream(web / "widget.js") << "/* widget */";
    server->stop();
    server = std::make_unique<ServerProcess>(dir.path, web, std::move(flags));
    server->start();
  }

  HttpResult login(const std::map<std::string, std::string>& headers = {}) {
    HttpClient http(port());
    return http.request(verb::post, "/api/v1/auth/login",
                        R"({"email":"alice@example.com","password":")" + kPassword + "\"}", headers);
  }
};

TEST_F(BrowserDefaultsTest, PagesAndAnswersCarrySecurityHeaders) {
  start_with({});
  HttpClient http(port());
  for (const char* page : {"/inbox/", "/inbox/conversations/7", "/meeting/"}) {
    auto r = http.get(page);
    ASSERT_EQ(200, r.status) << page;
    const auto& csp = r.headers["content-security-policy"];
    // Only Parley's own script files: no inline script, no eval, no other host.
    EXPECT_NE(std::string::npos, csp.find("; script-src 'self';")) << page;
    EXPECT_NE(std::string::npos, csp.find("frame-ancestors 'none'")) << page;
    EXPECT_EQ("DENY", r.headers["x-frame-options"]) << page;
    EXPECT_EQ("nosniff", r.headers["x-content-type-options"]) << page;
    EXPECT_EQ("strict-origin-when-cross-origin", r.headers["referrer-policy"]) << page;
  }
  // The widget runs on any host page: a script with its type and nosniff, no page policy.
  auto widget = http.get("/widget.js");
  EXPECT_EQ("nosniff", widget.headers["x-content-type-options"]);
  EXPECT_EQ("text/javascript; charset=utf-8", widget.headers["content-type"]);
  EXPECT_FALSE(widget.headers.contains("content-security-policy"));
  EXPECT_FALSE(http.get("/demo").headers.contains("content-security-policy"));  // a host page
  // API answers, errors and refusals included.
  for (const char* path : {"/api/v1/me", "/api/v1/nope", "/healthz"}) {
    auto r = http.get(path);
    EXPECT_EQ("nosniff", r.headers["x-content-type-options"]) << path;
    EXPECT_EQ("strict-origin-when-cross-origin", r.headers["referrer-policy"]) << path;
  }
}

TEST_F(BrowserDefaultsTest, TheSessionCookieIsSecureOnlyOverHttps) {
  start_with({});
  auto plain = login();
  ASSERT_EQ(200, plain.status) << plain.body;
  EXPECT_EQ(std::string::npos, plain.headers["set-cookie"].find("Secure"));
  EXPECT_NE(std::string::npos, plain.headers["set-cookie"].find("HttpOnly"));
  // X-Forwarded-Proto from a peer that is not a trusted proxy is ignored.
  EXPECT_EQ(std::string::npos, login({{"X-Forwarded-Proto", "https"}}).headers["set-cookie"].find("Secure"));

  start_with({"--trusted-proxy", "127.0.0.1"});
  EXPECT_NE(std::string::npos, login({{"X-Forwarded-Proto", "https"}}).headers["set-cookie"].find("; Secure"));
  EXPECT_EQ(std::string::npos, login({{"X-Forwarded-Proto", "http"}}).headers["set-cookie"].find("Secure"));

  start_with({"--public-url", "https://chat.example.com"});
  auto https = login();
  EXPECT_NE(std::string::npos, https.headers["set-cookie"].find("; Secure"));
  HttpClient agent(port());
  agent.request(verb::post, "/api/v1/auth/login",
                R"({"email":"alice@example.com","password":")" + kPassword + "\"}");
  EXPECT_NE(std::string::npos, agent.request(verb::post, "/api/v1/auth/logout").headers["set-cookie"].find("; Secure"));
}

TEST_F(BrowserDefaultsTest, LoginFromAForeignOriginIsRefused) {
  start_with({});
  auto r = login({{"Origin", "https://evil.example"}});
  EXPECT_EQ(403, r.status);
  EXPECT_FALSE(r.headers.contains("set-cookie"));
  EXPECT_EQ(200, login({{"Origin", "http://127.0.0.1:" + std::to_string(port())}}).status);
  EXPECT_EQ(200, login().status);  // no Origin: a script or the CLI
}

}  // namespace
}  // namespace parley::testing
