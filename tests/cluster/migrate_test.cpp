// `parley migrate --data DIR --to-db URI`: a populated SQLite installation (the demo, the
// bench seeder's inbox, a chat and a meeting made through the API) is copied into an empty
// PostgreSQL database, and a server on PostgreSQL answers every read as the SQLite server
// did. The target must be empty; new rows get ids after the copied ones.
#include <boost/json.hpp>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

// What the Inbox and the admin read, as JSON text: the list (all pages' first one), each
// listed conversation's events, the agents, the routing rules and the chat policy.
std::vector<std::string> reads_of(unsigned short port, const DemoLogin& admin) {
  auto a = login_agent(port, admin.email, admin.password);
  std::vector<std::string> out;
  auto list = a.http.get("/api/v1/conversations?status=all&limit=100");
  EXPECT_EQ(200, list.status) << list.body;
  out.push_back(list.body);
  int n = 0;
  auto listed = list.json();  // kept: the loop below walks into it
  for (const auto& c : listed.at("conversations").as_array()) {
    if (++n > 20) break;
    auto id = std::to_string(c.at("id").as_int64());
    out.push_back(a.http.get("/api/v1/conversations/" + id + "/events?limit=1000").body);
    out.push_back(a.http.get("/api/v1/conversations/" + id).body);
  }
  out.push_back(a.http.get("/api/v1/agents").body);
  out.push_back(a.http.get("/api/v1/admin/routing").body);
  out.push_back(a.http.get("/api/v1/admin/settings").body);
  out.push_back(a.http.get("/api/v1/conversations?status=all&q=the").body);
  return out;
}

TEST(MigrateTest, CopiesAPopulatedSqliteInstallationIntoPostgres) {
  TempDir sqlite_dir;
  // The demo's accounts and calendars, then a chat and a meeting through the API.
  {
    ServerProcess server(sqlite_dir.path, {}, {"--demo"});
    server.start();
    auto logins = demo_logins(sqlite_dir.path.string());
    ASSERT_EQ(3u, logins.size());
    auto alice = login_agent(server.port(), logins[1].email, logins[1].password);
    ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
    WsClient inbox(server.port(), alice.http.cookie());  // online: the request can be hers
    inbox.expect("hello");
    auto v = new_visitor(server.port());
    auto chat = v.http.post("/api/v1/visitor/chats",
                            json::object{{"name", "Vera Visitor"}, {"email", "vera@example.com"}});
    ASSERT_EQ(201, chat.status) << chat.body;
    auto id = std::to_string(chat.json().at("conversation").at("id").as_int64());
    ASSERT_EQ(200, alice.http.post("/api/v1/conversations/" + id + "/accept").status);
    ASSERT_EQ(201, v.http.post("/api/v1/visitor/chats/" + id + "/messages",
                               json::object{{"body", "Hello, what does the pro plan cost?"},
                                            {"client_id", "v1"}})
                       .status);
    ASSERT_EQ(201, alice.http.post("/api/v1/conversations/" + id + "/messages",
                                   json::object{{"body", "Hi Vera, 20 euro a month."},
                                                {"client_id", "m1"}})
                       .status);
    // An invitation not used yet: its link (password_links) moves along with the rest.
    auto ada = login_agent(server.port(), logins[0].email, logins[0].password);
    ASSERT_EQ(201, ada.http.post("/api/v1/admin/agents",
                                 json::object{{"name", "Nora New"}, {"email", "nora@example.com"}})
                       .status);
    ASSERT_EQ(0, server.stop());
  }
#ifdef PARLEY_SEED_BINARY  // the bench tools are not built in sanitizer builds
  // The bench seeder's inbox on top: thousands of rows in every big table.
  ASSERT_EQ(0, std::system((std::string(PARLEY_SEED_BINARY) + " --db " +
                            (sqlite_dir.path / "parley.db").string() +
                            " --conversations 400 --messages 4000 --active-agents 2 "
                            "--active-per-agent 3 --out /dev/null >/dev/null")
                               .c_str()));
#endif
  auto admin = demo_logins(sqlite_dir.path.string()).at(0);

  std::vector<std::string> before;
  {
    ServerProcess server(sqlite_dir.path);
    server.start();
    before = reads_of(server.port(), admin);
    ASSERT_EQ(0, server.stop());
  }
  // Something to compare: a full first page of the list (the seeder's rows) and its chats.
  ASSERT_FALSE(before.empty());
#ifdef PARLEY_SEED_BINARY
  EXPECT_EQ(100u, json::parse(before[0]).at("conversations").as_array().size());
#endif

  auto uri = fresh_database_uri();
  ASSERT_FALSE(uri.empty());
  std::string output, errors;
  ASSERT_EQ(0, run_cli({"migrate", "--data", sqlite_dir.path.string(), "--to-db", uri}, &output,
                       nullptr, &errors))
      << errors;
  EXPECT_NE(std::string::npos, output.find("messages: ")) << output;
  EXPECT_NE(std::string::npos, output.find("(verified)")) << output;

  // Copying again is refused: the target is no longer empty.
  EXPECT_NE(0, run_cli({"migrate", "--data", sqlite_dir.path.string(), "--to-db", uri}, nullptr,
                       nullptr, &errors));
  EXPECT_NE(std::string::npos, errors.find("not empty")) << errors;

  TempDir pg_dir;  // the PostgreSQL node's own directory (nothing of the database in it)
  ServerProcess server(pg_dir.path, {}, {"--db", uri});
  server.start();
  auto after = reads_of(server.port(), admin);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(before[i], after[i]) << "read " << i;

  // New rows continue after the copied ids (a clash would be a 500).
  auto v = new_visitor(server.port());
  auto chat = v.http.post("/api/v1/visitor/chats",
                          json::object{{"name", "New Visitor"}, {"email", "new@example.com"}});
  EXPECT_EQ(201, chat.status) << chat.body;
}

}  // namespace
}  // namespace parley::testing
