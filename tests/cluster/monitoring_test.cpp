// /readyz and /metrics on a PostgreSQL node with a Redis bus: readiness follows Redis (503
// with the reason while it is away, 200 once it is back), and the metrics of a chat show the
// PostgreSQL writers' batches and the messages they stored.
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;
using Clock = std::chrono::steady_clock;

const std::string kToken = "cluster-metrics-token-0123456789";

// Polls `path` until it answers `status` (or 20 s pass); returns the last answer.
HttpResult wait_for(unsigned short port, const std::string& path, int status) {
  HttpClient http(port);
  HttpResult r;
  for (auto deadline = Clock::now() + 20s; Clock::now() < deadline;) {
    r = http.get(path);
    if (r.status == status) break;
    std::this_thread::sleep_for(200ms);
  }
  return r;
}

double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  auto start = at + 1 + series.size() + 1;
  return std::stod(text.substr(start, text.find('\n', start) - start));
}

struct PostgresNode : ::testing::Test {
  TempDir redis_dir, node_dir, secrets;
  RedisProcess redis{redis_dir.path.string()};
  std::string uri;
  std::unique_ptr<ServerProcess> node;

  void SetUp() override {
    uri = fresh_database_uri();
    ASSERT_FALSE(uri.empty());
    create_agent(uri, "Alice Agent", "alice@example.com", kClusterPassword);
    redis.start();
    auto token_file = (secrets.path / "metrics.token").string();
    std::ofstream(token_file) << kToken << "\n";
    node = std::make_unique<ServerProcess>(
        node_dir.path, std::filesystem::path{},
        std::vector<std::string>{"--db", uri, "--bus", redis.url(), "--metrics-token-file",
                                 token_file});
    node->start();
  }
};

TEST_F(PostgresNode, ReadyzFollowsTheBus) {
  auto ready = wait_for(node->port(), "/readyz", 200);
  ASSERT_EQ(200, ready.status) << ready.body;
  EXPECT_EQ("ready", ready.json().at("status").as_string());

  redis.stop();
  auto down = wait_for(node->port(), "/readyz", 503);
  ASSERT_EQ(503, down.status) << down.body;
  EXPECT_EQ("not_ready", down.json().at("status").as_string());
  auto problems = down.json().at("problems").as_array();
  ASSERT_EQ(1u, problems.size()) << down.body;  // the database still takes writes
  EXPECT_NE(std::string::npos, std::string(problems[0].as_string()).find("event bus")) << down.body;

  redis.start();
  auto back = wait_for(node->port(), "/readyz", 200);
  EXPECT_EQ(200, back.status) << back.body;
}

TEST_F(PostgresNode, MetricsShowThePostgresWritersAndTheChat) {
  auto alice = login_agent(node->port(), "alice@example.com", kClusterPassword);
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient inbox(node->port(), alice.http.cookie());
  inbox.expect("hello");
  auto v = new_visitor(node->port());
  auto requested = v.http.post("/api/v1/visitor/chats",
                               json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  ASSERT_EQ(201, requested.status) << requested.body;
  auto id = requested.json().at("conversation").at("id").as_int64();
  inbox.expect("chat.requested");

  HttpClient scraper(node->port());
  scraper.set_bearer(kToken);
  auto pending = scraper.get("/metrics");
  ASSERT_EQ(200, pending.status) << pending.body;
  EXPECT_EQ(1, sample(pending.body, "parley_pending_offers")) << pending.body;

  auto path = "/api/v1/conversations/" + std::to_string(id);
  ASSERT_EQ(200, alice.http.post(path + "/accept").status);
  for (int i = 0; i < 5; ++i) {
    auto r = v.http.post("/api/v1/visitor/chats/" + std::to_string(id) + "/messages",
                         json::object{{"body", "m" + std::to_string(i)}, {"client_id", "c" + std::to_string(i)}});
    ASSERT_TRUE(r.status == 200 || r.status == 201) << r.body;
  }
  // A request is counted once its answer has gone out, and a batch once its senders were
  // answered: read again until the last of them shows (bounded).
  const std::string messages_route = "route=\"/api/v1/visitor/chats/{id}/messages\"";
  auto answered = [&](const std::string& text) {
    return sample(text, "parley_http_requests_total{method=\"POST\"," + messages_route + ",status=\"201\"}") +
           std::max(0.0, sample(text, "parley_http_requests_total{method=\"POST\"," + messages_route + ",status=\"200\"}"));
  };
  auto batched = [&](const std::string& text) {
    return std::max(sample(text, "parley_group_commit_batch_size_sum{writer=\"postgresql-0\"}"),
                    sample(text, "parley_group_commit_batch_size_sum{writer=\"postgresql-1\"}"));
  };
  auto t = scraper.get("/metrics").body;
  for (int i = 0; i < 100 && (answered(t) < 5 || batched(t) < 5); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    t = scraper.get("/metrics").body;
  }
  EXPECT_EQ(5, sample(t, "parley_messages_persisted_total")) << t;
  EXPECT_EQ(0, sample(t, "parley_pending_offers")) << t;
  EXPECT_EQ(1, sample(t, "parley_open_sockets{kind=\"agent\"}")) << t;
  // The messages went through the PostgreSQL group-commit writers (two per node, by
  // conversation id): one of them wrote all five.
  EXPECT_GE(batched(t), 5) << t;
  EXPECT_EQ(std::string::npos, t.find("writer=\"sqlite\"")) << t;
  EXPECT_EQ(0, sample(t, "parley_write_queue_depth")) << t;
  EXPECT_GE(answered(t), 5) << t;
  // Without the token, nothing.
  EXPECT_EQ(401, HttpClient(node->port()).get("/metrics").status);
}

}  // namespace
}  // namespace parley::testing
