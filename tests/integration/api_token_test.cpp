// API tokens over HTTP (issue 14): admins create, list and revoke them; a server calls the
// REST API with one and reaches exactly the routes of its scopes. Each rule has a test that
// tries to break it.
#include <fstream>
#include <iterator>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class ApiTokenTest : public ServerTest {
 protected:
  // A new token with `scopes`, made by the admin; returns its secret.
  std::string make_token(const std::vector<std::string>& scopes, const std::string& name = "CRM") {
    auto admin = login("admin@example.com");
    json::array list;
    for (const auto& s : scopes) list.emplace_back(s);
    auto r = admin.http.post("/api/v1/admin/api-tokens",
                             json::object{{"name", name}, {"scopes", std::move(list)}});
    EXPECT_EQ(201, r.status) << r.body;
    return std::string(r.json().at("secret").as_string());
  }
  HttpClient client(const std::string& secret) {
    HttpClient c(port());
    c.set_bearer(secret);
    return c;
  }
  // An active chat of Alice's with one visitor message; returns its id.
  std::int64_t alice_chat() {
    auto alice = available_agent("alice@example.com");
    auto visitor = new_visitor(port());
    auto id = id_of(request_chat(visitor));
    EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
    auto r = visitor.http.post(visitor_path(id, "/messages"),
                               json::object{{"client_id", "v1"}, {"body", "Volume pricing?"}});
    EXPECT_EQ(201, r.status) << r.body;
    return id;
  }
  static std::string message_of(const HttpResult& r) {
    return std::string(r.json().at("error").at("message").as_string());
  }
};

TEST_F(ApiTokenTest, TheSecretIsShownOnceAndStoredOnlyAsAHash) {
  auto admin = login("admin@example.com");
  auto r = admin.http.post("/api/v1/admin/api-tokens",
                           json::object{{"name", "  CRM sync  "}, {"scopes", json::array{"people:read"}}});
  ASSERT_EQ(201, r.status) << r.body;
  std::string secret(r.json().at("secret").as_string());
  EXPECT_TRUE(secret.starts_with("pt_")) << secret;
  EXPECT_GE(secret.size(), 40u);
  auto token = r.json().at("token").as_object();
  EXPECT_EQ("CRM sync", token.at("name").as_string());
  EXPECT_EQ(secret.substr(0, 11), token.at("prefix").as_string());

  auto listed = admin.http.get("/api/v1/admin/api-tokens");
  ASSERT_EQ(200, listed.status) << listed.body;
  EXPECT_EQ(std::string::npos, listed.body.find(secret));
  EXPECT_EQ(std::string::npos, listed.body.find("secret"));
  ASSERT_EQ(1u, listed.json().at("tokens").as_array().size());
  EXPECT_EQ(5u, listed.json().at("scopes").as_array().size());  // webhooks:manage included

  // Neither the database nor its write-ahead log holds the secret.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(std::string::npos, bytes.find(secret.substr(3))) << entry.path();
  }
}

TEST_F(ApiTokenTest, OnlyAnAdminWithASessionManagesTokens) {
  auto alice = login("alice@example.com");
  EXPECT_EQ(403, alice.http.get("/api/v1/admin/api-tokens").status);
  EXPECT_EQ(403, alice.http
                     .post("/api/v1/admin/api-tokens",
                           json::object{{"name", "mine"}, {"scopes", json::array{"people:read"}}})
                     .status);
  HttpClient nobody(port());
  EXPECT_EQ(401, nobody.get("/api/v1/admin/api-tokens").status);

  // A token, whatever its scopes, never manages tokens (its own or others').
  auto all = make_token({"conversations:read", "people:read", "people:write", "agents:read"});
  auto with_token = client(all);
  EXPECT_EQ(403, with_token.get("/api/v1/admin/api-tokens").status);
  EXPECT_EQ(403, with_token
                     .post("/api/v1/admin/api-tokens",
                           json::object{{"name", "more"}, {"scopes", json::array{"people:read"}}})
                     .status);
  EXPECT_EQ(403, with_token.request(verb::delete_, "/api/v1/admin/api-tokens/1").status);
  EXPECT_EQ(1u, login("admin@example.com").http.get("/api/v1/admin/api-tokens").json().at("tokens").as_array().size());

  // Bad input gets a clear error.
  auto admin = login("admin@example.com");
  EXPECT_EQ(400, admin.http.post("/api/v1/admin/api-tokens",
                                 json::object{{"name", " "}, {"scopes", json::array{"people:read"}}}).status);
  EXPECT_EQ(400, admin.http.post("/api/v1/admin/api-tokens",
                                 json::object{{"name", "x"}, {"scopes", json::array{}}}).status);
  auto unknown = admin.http.post("/api/v1/admin/api-tokens",
                                 json::object{{"name", "x"}, {"scopes", json::array{"admin:all"}}});
  EXPECT_EQ(400, unknown.status);
  EXPECT_NE(std::string::npos, message_of(unknown).find("admin:all"));
  EXPECT_EQ(400, admin.http.post("/api/v1/admin/api-tokens",
                                 json::object{{"name", "x"}, {"scopes", "people:read"}}).status);
}

TEST_F(ApiTokenTest, PeopleScopesOpenThePeopleRoutesAndNothingElse) {
  auto reader = client(make_token({"people:read"}));
  auto writer = client(make_token({"people:write"}));
  json::object person{{"email", "lead@example.com"}, {"name", "Lena Lead"}, {"crm_status", "lead"}};

  auto denied = reader.request(verb::put, "/api/v1/admin/people", json::serialize(person));
  EXPECT_EQ(403, denied.status);
  EXPECT_NE(std::string::npos, message_of(denied).find("people:write")) << denied.body;
  EXPECT_EQ(404, reader.get("/api/v1/admin/people?email=lead@example.com").status);  // reached, none yet

  auto put = writer.request(verb::put, "/api/v1/admin/people", json::serialize(person));
  ASSERT_EQ(200, put.status) << put.body;
  auto import = writer.request(verb::post, "/api/v1/admin/people/import",
                               "email,name\nsam@example.com,Sam Sales\n", {{"Content-Type", "text/csv"}});
  EXPECT_EQ(200, import.status) << import.body;
  EXPECT_EQ(403, writer.get("/api/v1/admin/people?email=lead@example.com").status);  // write is not read

  auto found = reader.get("/api/v1/admin/people?email=lead@example.com");
  ASSERT_EQ(200, found.status) << found.body;
  EXPECT_EQ("Lena Lead", found.json().at("person").at("name").as_string());

  // Neither reaches conversations, the team, settings or an agent's own routes.
  for (auto* c : {&reader, &writer}) {
    EXPECT_EQ(403, c->get("/api/v1/conversations").status);
    EXPECT_EQ(403, c->get("/api/v1/agents").status);
    EXPECT_EQ(403, c->get("/api/v1/admin/settings").status);
    EXPECT_EQ(403, c->get("/api/v1/me").status);
  }
}

TEST_F(ApiTokenTest, ConversationsReadSeesEveryChatButCannotActInOne) {
  auto id = alice_chat();
  auto reader = client(make_token({"conversations:read"}));

  auto list = reader.get("/api/v1/conversations?filter=all");
  ASSERT_EQ(200, list.status) << list.body;
  EXPECT_EQ(1u, list.json().at("conversations").as_array().size());  // Alice's active chat
  EXPECT_EQ(200, reader.get(conv_path(id)).status);
  auto events = reader.get(conv_path(id, "/events"));
  ASSERT_EQ(200, events.status) << events.body;
  EXPECT_NE(std::string::npos, events.body.find("Volume pricing?"));

  // An agent's actions stay closed, whatever the chat.
  EXPECT_EQ(403, reader.post(conv_path(id, "/messages"),
                             json::object{{"client_id", "t1"}, {"body", "hi"}}).status);
  EXPECT_EQ(403, reader.post(conv_path(id, "/end")).status);
  EXPECT_EQ(403, reader.post(conv_path(id, "/accept")).status);
  EXPECT_EQ(403, reader.post(conv_path(id, "/read"), json::object{{"seq", 1}}).status);
  EXPECT_EQ(403, reader.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  EXPECT_EQ(403, reader.get("/api/v1/admin/people?email=vera@example.com").status);
  // Nothing the token tried changed the chat.
  auto alice = login("alice@example.com");
  auto open = alice.http.get(conv_path(id));
  ASSERT_EQ(200, open.status);
  EXPECT_EQ("active", open.json().at("conversation").at("status").as_string());
  // Once Alice ends it, the token reads its transcript.
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/end")).status);
  auto transcript = reader.get(conv_path(id, "/transcript"));
  ASSERT_EQ(200, transcript.status) << transcript.body;
  EXPECT_NE(std::string::npos, transcript.body.find("Volume pricing?"));

  auto agents = client(make_token({"agents:read"}));
  auto team = agents.get("/api/v1/agents");
  ASSERT_EQ(200, team.status) << team.body;
  EXPECT_EQ(3u, team.json().at("agents").as_array().size());
  EXPECT_EQ(403, agents.get(conv_path(id)).status);
}

TEST_F(ApiTokenTest, ARevokedUnknownOrMalformedTokenIsRefusedAndUseIsShown) {
  auto secret = make_token({"agents:read"});
  auto c = client(secret);
  EXPECT_EQ(200, c.get("/api/v1/agents").status);

  auto admin = login("admin@example.com");
  auto tokens = admin.http.get("/api/v1/admin/api-tokens").json();  // held: see team_test
  auto token = tokens.at("tokens").as_array().at(0).as_object();
  EXPECT_TRUE(token.at("last_used_at").is_int64()) << json::serialize(token);
  auto id = token.at("id").as_int64();

  EXPECT_EQ(204, admin.http.request(verb::delete_, "/api/v1/admin/api-tokens/" + std::to_string(id)).status);
  EXPECT_EQ(404, admin.http.request(verb::delete_, "/api/v1/admin/api-tokens/" + std::to_string(id)).status);
  EXPECT_EQ(401, c.get("/api/v1/agents").status);
  auto after = admin.http.get("/api/v1/admin/api-tokens").json();
  EXPECT_TRUE(after.at("tokens").as_array().at(0).at("revoked_at").is_int64());

  for (std::string wrong : {secret + "x", std::string("pt_"), std::string("not-a-token"),
                            secret.substr(0, secret.size() - 1)}) {
    EXPECT_EQ(401, client(wrong).get("/api/v1/agents").status) << wrong;
  }
  // A session cookie does not rescue a bad bearer token: the header decides.
  admin.http.set_bearer("pt_wrong");
  EXPECT_EQ(401, admin.http.get("/api/v1/agents").status);
}

}  // namespace
}  // namespace parley::testing
