// A node whose PostgreSQL or Redis goes away says so on /healthz (503 with the reason; /readyz
// too while PostgreSQL is away),
// answers a write with 503 "unavailable" promptly instead of hanging, and recovers by itself
// when the dependency is back. The node gets servers of its own (they are stopped here).
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;
using Clock = std::chrono::steady_clock;

const std::string& kPassword = kClusterPassword;

struct OwnServers {
  TempDir dir;
  std::string script = std::string(PARLEY_SOURCE_DIR) + "/scripts/local_servers.sh";
  std::string servers = (dir.path / "servers").string();
  OwnServers() { run("start"); }
  ~OwnServers() { run("stop"); }
  int run(const std::string& action) {
    return std::system(("bash " + script + " " + action + " " + servers).c_str());
  }
  std::string database_uri() { return "postgresql://parley@/postgres?host=" + servers + "&port=5432"; }
};

// Polls /healthz until it answers `status` (or 20 s pass); returns the last answer.
HttpResult wait_for_health(unsigned short port, int status) {
  HttpClient http(port);
  HttpResult r;
  for (auto deadline = Clock::now() + 20s; Clock::now() < deadline;) {
    r = http.get("/healthz");
    if (r.status == status) break;
    std::this_thread::sleep_for(200ms);
  }
  return r;
}

TEST(Outage, ANodeReportsAndSurvivesLosingPostgresAndRedis) {
  OwnServers own;
  auto uri = own.database_uri();
  create_agent(uri, "Alice Agent", "alice@example.com", kPassword);
  TempDir node_dir;
  ServerProcess node(node_dir.path, {},
                     {"--db", uri, "--bus", "unix://" + own.servers + "/redis.sock"});
  node.start();
  auto alice = login_agent(node.port(), "alice@example.com", kPassword);
  auto toggle = [&] {
    return alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})");
  };
  EXPECT_EQ(200, wait_for_health(node.port(), 200).status);
  ASSERT_EQ(200, toggle().status);

  // PostgreSQL stops.
  ASSERT_EQ(0, own.run("pg-stop"));
  auto down = wait_for_health(node.port(), 503);
  ASSERT_EQ(503, down.status) << down.body;
  EXPECT_EQ("unavailable", down.json().at("status").as_string());
  EXPECT_NE(std::string::npos, down.body.find("database")) << down.body;
  auto started = Clock::now();
  auto refused = toggle();
  EXPECT_EQ(503, refused.status) << refused.body;
  EXPECT_EQ("unavailable", refused.json().at("error").at("code").as_string()) << refused.body;
  EXPECT_LT(Clock::now() - started, 10s);  // the connect timeout, not a hang
  // Not ready either: the write probe fails.
  auto not_ready = HttpClient(node.port()).get("/readyz");
  EXPECT_EQ(503, not_ready.status) << not_ready.body;
  EXPECT_NE(std::string::npos, not_ready.body.find("database not writable")) << not_ready.body;

  // It comes back: the node recovers without a restart.
  ASSERT_EQ(0, own.run("pg-start"));
  EXPECT_EQ(200, wait_for_health(node.port(), 200).status);
  EXPECT_EQ(200, toggle().status);
  // Ready again once the last failed probe's answer (kept for a second) has lapsed.
  auto ready = Clock::now() + 5s;
  while (HttpClient(node.port()).get("/readyz").status != 200 && Clock::now() < ready) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(200, HttpClient(node.port()).get("/readyz").status);

  // Redis stops: the node still serves, but says that other nodes cannot hear it.
  ASSERT_EQ(0, std::system(("kill $(cat " + own.servers + "/redis.pid)").c_str()));
  auto no_bus = wait_for_health(node.port(), 503);
  ASSERT_EQ(503, no_bus.status);
  EXPECT_NE(std::string::npos, no_bus.body.find("event bus")) << no_bus.body;
  EXPECT_EQ(200, toggle().status);
  ASSERT_EQ(0, std::system(("redis-server --port 0 --unixsocket " + own.servers +
                            "/redis.sock --save '' --appendonly no --daemonize yes --pidfile " +
                            own.servers + "/redis.pid --logfile " + own.servers + "/redis.log")
                               .c_str()));
  EXPECT_EQ(200, wait_for_health(node.port(), 200).status);
}

}  // namespace
}  // namespace parley::testing
