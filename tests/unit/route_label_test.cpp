// The labels HTTP metrics are counted under stay a bounded set: every documented route has
// its pattern, ids and tokens never reach a label, and anything else is "other".
#include "observability/route_label.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace parley::observability {
namespace {

TEST(RouteLabel, IdsAndTokensBecomePlaceholders) {
  EXPECT_EQ("/api/v1/conversations/{id}/messages",
            route_label("/api/v1/conversations/12345/messages", 200));
  EXPECT_EQ("/api/v1/visitor/chats/{id}/events", route_label("/api/v1/visitor/chats/7/events", 404));
  EXPECT_EQ("/api/v1/meeting-links/{token}/cancel",
            route_label("/api/v1/meeting-links/Zx9-secret_token/cancel", 404));
  EXPECT_EQ("/api/v1/visitor/chats/current", route_label("/api/v1/visitor/chats/current", 200));
  EXPECT_EQ("/healthz", route_label("/healthz", 503));
  EXPECT_EQ("/metrics", route_label("/metrics", 401));
}

TEST(RouteLabel, UnknownPathsAreOtherAndServedFilesStatic) {
  EXPECT_EQ("other", route_label("/api/v1/conversations/abc/messages", 404));
  EXPECT_EQ("other", route_label("/api/v1/conversations/1/messages/extra", 404));
  EXPECT_EQ("other", route_label("/api/v1/nope", 404));
  EXPECT_EQ("other", route_label("/api/v2/me", 404));
  EXPECT_EQ("other", route_label("/wp-login.php", 404));
  EXPECT_EQ("other", route_label("", 400));
  EXPECT_EQ("other", route_label("*", 400));
  // A file of the front ends that was served is one label whatever its name...
  EXPECT_EQ("static", route_label("/inbox/assets/index-3f9a.js", 200));
  EXPECT_EQ("static", route_label("/widget.js", 304));
  // ...but an API path never is, even when answered.
  EXPECT_EQ("other", route_label("/api/v1/made-up", 200));
}

TEST(RouteLabel, AScanOfRandomPathsAddsOneLabel) {
  std::set<std::string> labels;
  for (int i = 0; i < 1000; ++i) {
    labels.insert(route_label("/scan/" + std::to_string(i) + ".php", 404));
    labels.insert(route_label("/api/v1/x" + std::to_string(i), 404));
    labels.insert(route_label("/api/v1/conversations/" + std::to_string(i) + "/read", 200));
  }
  EXPECT_EQ((std::set<std::string>{"other", "/api/v1/conversations/{id}/read"}), labels);
}

TEST(RouteLabel, MethodsOutsideTheKnownSetAreOther) {
  EXPECT_EQ("GET", method_label("GET"));
  EXPECT_EQ("DELETE", method_label("DELETE"));
  EXPECT_EQ("other", method_label("BREW"));
  EXPECT_EQ("other", method_label("get"));
}

// A route added to docs/api.md without its pattern here would be counted as "other".
TEST(RouteLabel, EveryDocumentedRouteHasItsPattern) {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/docs/api.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  std::regex path_re(R"((/api/v1/[A-Za-z0-9_{}.\-/]*[A-Za-z0-9_}]|/healthz|/readyz|/metrics))");
  int checked = 0;
  for (std::sregex_iterator it(doc.begin(), doc.end(), path_re), end; it != end; ++it) {
    std::string documented = it->str();
    // "/api/v1/admin/" in prose names a prefix, not a route.
    auto after = static_cast<std::size_t>(it->position() + it->length());
    if (after < doc.size() && doc[after] == '/') continue;
    // A concrete path: {agent_id}, {id} -> 7; {token} -> a token.
    std::string concrete = std::regex_replace(documented, std::regex(R"(\{token\})"), "tok3n");
    concrete = std::regex_replace(concrete, std::regex(R"(\{[a-z_]+\})"), "7");
    std::string expected = std::regex_replace(documented, std::regex(R"(\{(?!token\})[a-z_]+\})"), "{id}");
    EXPECT_EQ(expected, route_label(concrete, 200)) << "documented: " << documented;
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace parley::observability
