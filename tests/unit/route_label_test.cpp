// The labels HTTP metrics are counted under stay a bounded set: ids and tokens never reach
// a label, and anything else is "other". (That every route of the API has its pattern is
// tests/net/route_table_test.cpp: the patterns are the route table's.)
#include "observability/route_label.hpp"

#include <gtest/gtest.h>

#include <set>

namespace parley::observability {
namespace {

// Patterns as net's route table hands them in (net::api_route_labels()).
const RouteLabels kLabels({"/api/v1/conversations/{id}/messages", "/api/v1/conversations/{id}/read",
                           "/api/v1/visitor/chats/{id}/events", "/api/v1/visitor/chats/current",
                           "/api/v1/meeting-links/{token}/cancel", "/api/v1/me"});

std::string route_label(std::string_view path, int status) { return kLabels.label(path, status); }

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

TEST(RouteLabel, TheServersOwnRoutesAreLabelledWithoutAnApiPattern) {
  RouteLabels none({});
  for (auto route : {"/healthz", "/readyz", "/metrics", "/ws"}) EXPECT_EQ(route, none.label(route, 200));
  EXPECT_EQ("other", none.label("/api/v1/me", 200));
}

}  // namespace
}  // namespace parley::observability
