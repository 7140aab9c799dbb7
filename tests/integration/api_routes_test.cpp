// The REST API's route table seen from outside (net/route_table.hpp): the API document it is
// checked against is served to anyone, and a request is refused in the documented order —
// the path (404), the method (405 with Allow), then the caller (401/403).
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

std::string repository_file(const std::string& relative) {
  auto path = std::filesystem::path(__FILE__).parent_path() / "../.." / relative;
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(ServerTest, TheApiDocumentIsServedToAnyone) {
  auto on_disk = repository_file("docs/openapi.json");
  ASSERT_FALSE(on_disk.empty());
  HttpClient http(port());
  auto r = http.get("/api/v1/openapi.json");
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_TRUE(r.body == on_disk) << "the served document is not docs/openapi.json";
  EXPECT_NE(std::string::npos, r.headers["content-type"].find("application/json"));
  EXPECT_EQ("public, max-age=300", r.headers["cache-control"]);
  auto doc = r.json().as_object();
  EXPECT_TRUE(doc.at("openapi").as_string().starts_with("3.1"));
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/v1/openapi.json"));
  // No credential is needed, and a bad one does not stand in the way.
  HttpClient forged(port());
  forged.set_bearer("pt_not-a-token");
  EXPECT_EQ(200, forged.get("/api/v1/openapi.json").status);
  // It is read-only.
  auto post = http.post("/api/v1/openapi.json");
  EXPECT_EQ(405, post.status);
  EXPECT_EQ("GET", post.headers["allow"]);
}

TEST_F(ServerTest, APathIsCheckedBeforeItsMethodAndTheMethodBeforeTheCaller) {
  HttpClient nobody(port());
  // No route: 404 whoever asks.
  for (auto path : {"/api/v1/conversations/abc", "/api/v1/conversations/0", "/api/v1/no-such-area",
                    "/api/v1/me/nothing"}) {
    auto r = nobody.get(path);
    EXPECT_EQ(404, r.status) << path;
    EXPECT_EQ("not_found", r.json().at("error").at("code").as_string()) << path;
  }
  // The path is known, the method is not: 405 naming the path's methods.
  auto wrong = nobody.request(verb::delete_, "/api/v1/me/settings");
  EXPECT_EQ(405, wrong.status) << wrong.body;
  EXPECT_EQ("GET, PUT", wrong.headers["allow"]);
  EXPECT_EQ("use GET or PUT here", wrong.json().at("error").at("message").as_string());
  auto hooks = nobody.request(verb::patch, "/api/v1/admin/webhooks/3");
  EXPECT_EQ(405, hooks.status);
  EXPECT_EQ("GET, PUT, DELETE", hooks.headers["allow"]);
  // Then the caller: no session is 401, a signed-in agent on an admin route 403.
  EXPECT_EQ(401, nobody.get("/api/v1/me/settings").status);
  auto alice = login("alice@example.com");
  auto refused = alice.http.get("/api/v1/admin/settings");
  EXPECT_EQ(403, refused.status);
  EXPECT_EQ("forbidden", refused.json().at("error").at("code").as_string());
  EXPECT_EQ(200, login("admin@example.com").http.get("/api/v1/admin/settings").status);
}

// Any site's page may call the visitor routes (a bearer token, never a cookie): CORS on every
// answer of their paths, the preflight answered; meeting links answer any origin too.
TEST_F(ServerTest, VisitorAndMeetingLinkRoutesAnswerAnyOrigin) {
  HttpClient page(port());
  auto preflight = page.request(verb::options, "/api/v1/visitor/chats", "",
                                {{"Origin", "https://customer.example"},
                                 {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(204, preflight.status);
  EXPECT_EQ("*", preflight.headers["access-control-allow-origin"]);
  EXPECT_EQ("GET, POST", preflight.headers["access-control-allow-methods"]);
  EXPECT_EQ("Authorization, Content-Type", preflight.headers["access-control-allow-headers"]);
  auto unauthorized = page.get("/api/v1/visitor/chats/current");
  EXPECT_EQ(401, unauthorized.status);
  EXPECT_EQ("*", unauthorized.headers["access-control-allow-origin"]);
  EXPECT_EQ("*", page.get("/api/v1/visitor/status").headers["access-control-allow-origin"]);
  auto link = page.get("/api/v1/meeting-links/no-such-link");
  EXPECT_EQ(404, link.status);
  EXPECT_EQ("*", link.headers["access-control-allow-origin"]);
  // An agent's route is not for other sites.
  EXPECT_EQ(0u, page.get("/api/v1/me").headers.count("access-control-allow-origin"));
}

}  // namespace
}  // namespace parley::testing
