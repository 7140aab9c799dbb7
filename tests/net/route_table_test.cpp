// The REST route table (net/route_table.hpp) is the one list of routes: these tests hold it
// against the API's contract, docs/openapi.json as the server embeds it (a route missing
// from either side fails here, with the list of what is missing), against docs/api.md (each
// documented path has its /metrics label), and check how it matches paths.
#include "net/route_table.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "net/api_router.hpp"
#include "net/openapi_document.hpp"
#include "observability/route_label.hpp"

namespace parley::net {
namespace {

namespace json = boost::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "/api/v1/calendars/{agent_id}/slots" -> "/api/v1/calendars/{}/slots": a parameter's name
// is the document's business.
std::string normalised(std::string_view pattern) {
  static const std::regex parameter(R"(\{[^}/]+\})");
  return std::regex_replace(std::string(pattern), parameter, "{}");
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// What the document says of one operation.
struct Documented {
  std::string access;                 // x-parley-access, if given
  std::set<std::string> schemes;      // the security schemes that open it
  std::set<std::string> token_scopes; // the apiToken requirement's scopes
};

// "GET /api/v1/conversations/{}" -> what the document says of it.
std::map<std::string, Documented> documented_operations() {
  auto doc = json::parse(openapi_document()).as_object();
  std::string prefix;
  if (auto* servers = doc.if_contains("servers"); servers && !servers->as_array().empty()) {
    prefix = std::string(servers->as_array()[0].at("url").as_string());
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  }
  std::map<std::string, Documented> out;
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "options", "head"};
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (!kMethods.contains(std::string(method))) continue;
      Documented d;
      const auto& operation = op.as_object();
      if (auto* access = operation.if_contains("x-parley-access")) d.access = access->as_string();
      if (auto* security = operation.if_contains("security")) {
        for (const auto& requirement : security->as_array()) {
          for (const auto& [scheme, scopes] : requirement.as_object()) {
            d.schemes.insert(std::string(scheme));
            if (scheme == "apiToken") {
              for (const auto& s : scopes.as_array()) d.token_scopes.insert(std::string(s.as_string()));
            }
          }
        }
      }
      out[upper(std::string(method)) + " " + normalised(prefix + std::string(path))] = d;
    }
  }
  return out;
}

std::string key_of(const Route& row) {
  return std::string(http::to_string(row.method)) + " " + normalised(row.pattern);
}

TEST(RouteTable, EveryRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  auto documented = documented_operations();
  std::set<std::string> table;
  for (const auto& row : api_routes().routes()) table.insert(key_of(row));
  std::string not_documented, not_routed;
  for (const auto& key : table) {
    if (!documented.contains(key)) not_documented += "\n  " + key;
  }
  for (const auto& [key, _] : documented) {
    if (!table.contains(key)) not_routed += "\n  " + key;
  }
  EXPECT_EQ("", not_documented) << "routes of the table (src/net/*_routes.cpp) that docs/openapi.json "
                                   "does not document:";
  EXPECT_EQ("", not_routed) << "operations of docs/openapi.json that no row of the route table "
                               "serves:";
  EXPECT_GT(table.size(), 80u);
}

// The document's security says who may call each operation as the table does: the
// session cookie for agent and admin rows, the visitor token for visitor rows, nothing for
// public and meeting-link rows; an API token exactly where the row has a scope, with it.
TEST(RouteTable, WhoMayCallEachRouteIsWhatTheDocumentSays) {
  auto documented = documented_operations();
  for (const auto& row : api_routes().routes()) {
    auto it = documented.find(key_of(row));
    if (it == documented.end()) continue;  // reported by the test above
    const auto& d = it->second;
    std::set<std::string> schemes;
    std::string access;
    switch (row.access) {
      case Access::anyone:
      case Access::widget: access = "public"; break;
      case Access::meeting_link: access = "link"; break;
      case Access::visitor: access = "visitor"; schemes = {"visitorToken"}; break;
      case Access::agent: access = "agent"; schemes = {"session"}; break;
      case Access::admin: access = "admin"; schemes = {"session"}; break;
    }
    std::set<std::string> scopes;
    if (row.scope) {
      schemes.insert("apiToken");
      scopes.insert(core::to_string(*row.scope));
    }
    EXPECT_EQ(schemes, d.schemes) << key_of(row) << " (" << to_string(row.access) << ")";
    EXPECT_EQ(scopes, d.token_scopes) << key_of(row);
    if (!d.access.empty()) {
      EXPECT_EQ(access, d.access) << key_of(row);
    }
  }
}

TEST(RouteTable, TheServedDocumentIsDocsOpenapiJsonAsBuilt) {
  auto on_disk = read_file(std::string(PARLEY_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_FALSE(on_disk.empty());
  EXPECT_TRUE(openapi_document() == on_disk)
      << "the embedded document differs from docs/openapi.json: rebuild";
  auto doc = json::parse(openapi_document()).as_object();
  EXPECT_TRUE(doc.at("openapi").as_string().starts_with("3.1"));
}

// The API-token scopes are the rows' (docs/api.md, "API tokens"): a change here is a change
// of what a token reaches, and must be meant.
TEST(RouteTable, ApiTokensReachExactlyTheRowsWithTheirScope) {
  std::set<std::string> scoped;
  for (const auto& row : api_routes().routes()) {
    if (row.scope) scoped.insert(key_of(row) + " " + core::to_string(*row.scope));
  }
  std::set<std::string> expected = {
      "GET /api/v1/conversations conversations:read",
      "GET /api/v1/conversations/{} conversations:read",
      "GET /api/v1/conversations/{}/events conversations:read",
      "GET /api/v1/conversations/{}/transcript conversations:read",
      "GET /api/v1/agents agents:read",
      "GET /api/v1/admin/people people:read",
      "PUT /api/v1/admin/people people:write",
      "POST /api/v1/admin/people/import people:write",
      "POST /api/v1/admin/activities people:write",
      "GET /api/v1/admin/webhooks webhooks:manage",
      "POST /api/v1/admin/webhooks webhooks:manage",
      "GET /api/v1/admin/webhooks/{} webhooks:manage",
      "PUT /api/v1/admin/webhooks/{} webhooks:manage",
      "DELETE /api/v1/admin/webhooks/{} webhooks:manage",
      "POST /api/v1/admin/webhooks/{}/rotate-secret webhooks:manage",
      "GET /api/v1/admin/webhooks/{}/deliveries webhooks:manage",
      "POST /api/v1/admin/webhooks/{}/deliveries/{}/redeliver webhooks:manage",
  };
  EXPECT_EQ(expected, scoped);
}

// A route added to docs/api.md without its row would be counted as "other" in /metrics.
TEST(RouteTable, EveryRouteOfDocsApiMdHasItsMetricsLabel) {
  observability::RouteLabels labels(api_route_labels());
  std::string doc = read_file(std::string(PARLEY_SOURCE_DIR) + "/docs/api.md");
  ASSERT_FALSE(doc.empty());
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
    EXPECT_EQ(expected, labels.label(concrete, 200)) << "documented: " << documented;
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

TEST(RouteTable, PathParametersAreParsedOnce) {
  const auto& table = api_routes();
  auto m = table.match(http::verb::post, "/api/v1/admin/webhooks/12/deliveries/345/redeliver");
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ((std::vector<core::Id>{12, 345}), m.ids);
  m = table.match(http::verb::post, "/api/v1/meeting-links/Zx9-secret_token/cancel");
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ("Zx9-secret_token", m.token);
  EXPECT_EQ(Access::meeting_link, m.route->access);
  // {id} is a positive decimal, as parse_id: anything else names no route (404).
  for (auto path : {"/api/v1/conversations/abc", "/api/v1/conversations/0", "/api/v1/conversations/-3",
                    "/api/v1/conversations/+3", "/api/v1/conversations/99999999999999999999",
                    "/api/v1/conversations/1/messages/extra", "/api/v1/nope", "/api/v2/me",
                    "/api/v1/meeting-links"}) {
    m = table.match(http::verb::get, path);
    EXPECT_TRUE(m.same_path.empty()) << path;
    EXPECT_EQ(nullptr, m.route) << path;
  }
  // The literal "current" is not an id; the path's other methods are known (405).
  m = table.match(http::verb::get, "/api/v1/visitor/chats/current");
  ASSERT_NE(nullptr, m.route);
  EXPECT_TRUE(m.ids.empty());
  m = table.match(http::verb::delete_, "/api/v1/me/settings");
  EXPECT_EQ(nullptr, m.route);
  EXPECT_EQ(2u, m.same_path.size());  // GET and PUT
  // Empty segments are ignored, as before the table.
  EXPECT_NE(nullptr, table.match(http::verb::get, "/api/v1/conversations/").route);
}

TEST(RouteTable, ARowThatCannotBeRightIsRefusedWhenAdded) {
  auto handler = [](const RouteCall& c) { return empty_response(c.req, http::status::no_content); };
  RouteTable t;
  t.add(http::verb::get, "/api/v1/things/{id}", Access::agent, handler);
  // The same method and pattern twice, whatever the parameter is called.
  EXPECT_THROW(t.add(http::verb::get, "/api/v1/things/{thing_id}", Access::agent, handler), std::logic_error);
  EXPECT_NO_THROW(t.add(http::verb::put, "/api/v1/things/{id}", Access::agent, handler));
  // A scope opens agent and admin rows to tokens; nothing else takes one.
  EXPECT_THROW(t.add(http::verb::get, "/api/v1/visitor/things", Access::visitor,
                     core::ApiScope::people_read, handler),
               std::logic_error);
  // {token} is a meeting link's credential, and a meeting-link row has one.
  EXPECT_THROW(t.add(http::verb::get, "/api/v1/things/{token}", Access::agent, handler), std::logic_error);
  EXPECT_THROW(t.add(http::verb::get, "/api/v1/links/{id}", Access::meeting_link, handler), std::logic_error);
  EXPECT_THROW(t.add(http::verb::get, "/elsewhere", Access::anyone, handler), std::logic_error);
}

}  // namespace
}  // namespace parley::net
