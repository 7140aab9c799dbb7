#include <fstream>

#include "fixture.hpp"

namespace parley::testing {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto web = dir.path / "web";
    std::filesystem::create_directories(web / "inbox" / "assets");
    std::filesystem::create_directories(web / "demo");
    std::ofstream(web / "inbox" / "index.html") << "<!doctype html><title>Inbox</title>";
    std::ofstream(web / "inbox" / "assets" / "app-abc123.js") << "console.log(1)";
    std::ofstream(web / "widget.js") << "/* widget */";
    std::ofstream(web / "demo" / "index.html") << "<!doctype html><title>Demo</title>";
    std::ofstream(dir.path / "secret.txt") << "outside the web root";
    server = std::make_unique<ServerProcess>(dir.path / "data", web);
    server->start();
  }
  TempDir dir;
  std::unique_ptr<ServerProcess> server;
};

TEST_F(StaticFilesTest, ServesFrontEndsWithContentTypesAndCaching) {
  HttpClient http(server->port());
  auto inbox = http.get("/inbox/");
  EXPECT_EQ(200, inbox.status);
  EXPECT_EQ("text/html; charset=utf-8", inbox.headers["content-type"]);
  EXPECT_EQ("no-cache", inbox.headers["cache-control"]);
  auto asset = http.get("/inbox/assets/app-abc123.js");
  EXPECT_EQ("text/javascript; charset=utf-8", asset.headers["content-type"]);
  EXPECT_NE(std::string::npos, asset.headers["cache-control"].find("immutable"));
  EXPECT_EQ("/* widget */", http.get("/widget.js").body);
  EXPECT_NE(std::string::npos, http.get("/demo").body.find("Demo"));
  // The Inbox is a single-page app: deep links load it.
  EXPECT_NE(std::string::npos, http.get("/inbox/conversations/7").body.find("Inbox"));
  auto root = http.get("/");
  EXPECT_EQ(302, root.status);
  EXPECT_EQ("/inbox/", root.headers["location"]);
  EXPECT_EQ(200, http.get("/healthz").status);
}

TEST_F(StaticFilesTest, PathsCannotClimbOutOfTheWebRoot) {
  HttpClient http(server->port());
  EXPECT_EQ(404, http.get("/../secret.txt").status);
  EXPECT_EQ(404, http.get("/%2e%2e/secret.txt").status);
  EXPECT_EQ(404, http.get("/inbox/assets/missing.js").status);
}

}  // namespace
}  // namespace parley::testing
