// /metrics and /readyz (docs/operations.md "Monitoring", docs/api.md): the metrics move with
// real traffic (a chat with messages, a 404, a rate-limited request), the text passes
// `promtool check metrics`, and nobody reads them without the token or off the metrics
// listener — which serves nothing else.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

const std::string kToken = "metrics-token-0123456789abcdef";

unsigned short free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// The value of the sample `series` (name and labels as printed), or -1 when absent.
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  auto start = at + 1 + series.size() + 1;
  return std::stod(text.substr(start, text.find('\n', start) - start));
}

class MetricsTest : public ServerTest {
 protected:
  MetricsTest() {
    token_file = (secrets.path / "metrics.token").string();
    std::ofstream(token_file) << kToken << "\n";
  }
  std::vector<std::string> serve_flags() const override {
    return {"--metrics-token-file", token_file, "--metrics-listen",
            "127.0.0.1:" + std::to_string(metrics_port), "--rate-limit",
            "chat-requests-per-ip=1/60"};
  }
  HttpResult scrape() {
    HttpClient http(port());
    http.set_bearer(kToken);
    return http.get("/metrics");
  }

  TempDir secrets;
  std::string token_file;
  unsigned short metrics_port = free_port();
};

TEST_F(MetricsTest, TheMetricsMoveWithRealTrafficAndPassPromtool) {
  auto before = scrape();
  ASSERT_EQ(200, before.status) << before.body;
  EXPECT_EQ("text/plain; version=0.0.4; charset=utf-8", before.headers["content-type"]);
  EXPECT_EQ(0, sample(before.body, "parley_messages_persisted_total"));
  EXPECT_EQ(0, sample(before.body, "parley_webhook_deliveries_total"));

  // A chat: the agent accepts, both write.
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  WsClient visitor_socket(port());
  visitor_socket.send(json::object{{"type", "auth"}, {"visitor_token", v.token}});
  visitor_socket.expect("hello");
  for (int i = 0; i < 3; ++i) {
    auto r = v.http.post(visitor_path(id, "/messages"),
                         json::object{{"body", "hello " + std::to_string(i)},
                                      {"client_id", "v" + std::to_string(i)}});
    ASSERT_TRUE(r.status == 200 || r.status == 201) << r.body;
  }
  auto reply = alice.http.post(conv_path(id, "/messages"),
                               json::object{{"body", "hi there"}, {"client_id", "a1"}});
  ASSERT_TRUE(reply.status == 200 || reply.status == 201) << reply.body;
  // A retried message is stored once and counted once.
  v.http.post(visitor_path(id, "/messages"), json::object{{"body", "hello 0"}, {"client_id", "v0"}});
  // A 404, and a request refused by the chat-request limit (1 a minute per address).
  EXPECT_EQ(404, v.http.get("/api/v1/no-such-route/12345").status);
  auto second = new_visitor(port());
  EXPECT_EQ(429, second.http.post("/api/v1/visitor/chats", json::object{{"name", "X"}}).status);

  // A request is counted once its answer has gone out, so the last answer can reach this
  // client a moment before its count does: read again until it shows (bounded).
  auto after = scrape();
  for (int i = 0; i < 100 && after.status == 200 &&
                  sample(after.body, "parley_http_requests_total{method=\"POST\",route=\"/api/v1/visitor/chats\",status=\"429\"}") < 1;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = scrape();
  }
  ASSERT_EQ(200, after.status);
  const auto& t = after.body;
  EXPECT_EQ(4, sample(t, "parley_messages_persisted_total")) << t;
  EXPECT_EQ(1, sample(t, "parley_open_sockets{kind=\"agent\"}")) << t;
  EXPECT_EQ(1, sample(t, "parley_open_sockets{kind=\"visitor\"}")) << t;
  EXPECT_EQ(1, sample(t, "parley_rate_limited_total{limit=\"chat_requests_per_ip\"}")) << t;
  EXPECT_EQ(0, sample(t, "parley_rate_limited_total{limit=\"login_per_ip\"}")) << t;
  EXPECT_EQ(1, sample(t, "parley_http_requests_total{method=\"GET\",route=\"other\",status=\"404\"}")) << t;
  EXPECT_EQ(1, sample(t, "parley_http_requests_total{method=\"POST\",route=\"/api/v1/visitor/chats\",status=\"429\"}")) << t;
  EXPECT_EQ(1, sample(t, "parley_http_requests_total{method=\"POST\",route=\"/api/v1/conversations/{id}/accept\",status=\"200\"}")) << t;
  EXPECT_GE(sample(t, "parley_http_request_duration_seconds_count{route=\"/api/v1/visitor/chats/{id}/messages\"}"), 4) << t;
  EXPECT_GE(sample(t, "parley_group_commit_batch_size_sum{writer=\"sqlite\"}"), 5) << t;
  EXPECT_GE(sample(t, "parley_group_commit_duration_seconds_count{writer=\"sqlite\"}"), 1) << t;
  EXPECT_EQ(0, sample(t, "parley_pending_offers")) << t;  // accepted
  EXPECT_GE(sample(t, "parley_write_queue_depth"), 0) << t;
  EXPECT_EQ(0, sample(t, "parley_webhook_delivery_failures_total")) << t;
  // No raw path and no id ever becomes a label.
  EXPECT_EQ(std::string::npos, t.find("no-such-route")) << t;
  EXPECT_FALSE(std::regex_search(t, std::regex(R"(route="[^"]*/[0-9]+)"))) << t;

  // The text passes Prometheus's own linter (the prometheus package's promtool; the CTest
  // fixture metrics_tools installs it; in CI a missing promtool fails this test).
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    if (std::getenv("CI")) FAIL() << "promtool is missing (Debian package prometheus)";
    GTEST_SKIP() << "promtool is missing: install Debian's prometheus package to lint /metrics";
  }
  auto text_file = secrets.path / "scrape.txt";
  std::ofstream(text_file) << t;
  std::string command = "promtool check metrics < " + text_file.string() + " > " +
                        (secrets.path / "promtool.out").string() + " 2>&1";
  int rc = std::system(command.c_str());
  std::ifstream out(secrets.path / "promtool.out");
  std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_EQ(0, rc) << report;
  EXPECT_EQ("", report);
}

TEST_F(MetricsTest, WithoutTheRightTokenTheMainListenerRefuses) {
  HttpClient none(port());
  auto r = none.get("/metrics");
  EXPECT_EQ(401, r.status);
  EXPECT_EQ("unauthorized", r.json().at("error").at("code").as_string());
  EXPECT_EQ(std::string::npos, r.body.find("parley_"));
  for (std::string wrong : {kToken + "x", kToken.substr(0, kToken.size() - 1), std::string("x"),
                            std::string(kToken.size(), 'a'), std::string("Bearer ") + kToken}) {
    HttpClient http(port());
    http.set_bearer(wrong);
    auto w = http.get("/metrics");
    EXPECT_EQ(401, w.status) << wrong;
    EXPECT_EQ(std::string::npos, w.body.find("parley_")) << wrong;
  }
  // The session cookie of an admin is no way in either.
  auto admin = login("admin@example.com");
  EXPECT_EQ(401, admin.http.get("/metrics").status);
  // Basic instead of Bearer.
  HttpClient basic(port());
  EXPECT_EQ(401, basic.request(verb::get, "/metrics", "", {{"Authorization", "Basic " + kToken}}).status);
  EXPECT_EQ(200, scrape().status);
}

TEST_F(MetricsTest, TheMetricsListenerServesMetricsAndNothingElse) {
  HttpClient m(metrics_port);
  auto r = m.get("/metrics");
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("# TYPE parley_messages_persisted_total counter"));
  for (std::string path : {"/", "/healthz", "/readyz", "/api/v1/me", "/api/v1/visitor/status",
                           "/inbox/", "/widget.js", "/metrics/", "/metricsx", "/ws"}) {
    auto other = m.get(path);
    EXPECT_EQ(404, other.status) << path << " " << other.body;
  }
  EXPECT_EQ(404, m.post("/api/v1/visitor/session").status);
  EXPECT_EQ(405, m.post("/metrics").status);
  // A WebSocket upgrade is refused there too.
  EXPECT_ANY_THROW(WsClient ws(metrics_port));
  // The API still works on the main listener.
  EXPECT_EQ(200, HttpClient(port()).get("/readyz").status);
}

TEST_F(MetricsTest, ReadyzSaysReadyWhenTheDatabaseTakesAWrite) {
  HttpClient http(port());
  for (int i = 0; i < 3; ++i) {
    auto r = http.get("/readyz");
    ASSERT_EQ(200, r.status) << r.body;
    EXPECT_EQ("ready", r.json().at("status").as_string());
  }
  EXPECT_EQ(200, http.get("/healthz").status);
}

// A server started without either protection has no /metrics at all.
TEST_F(ServerTest, MetricsAre404UnlessConfigured) {
  HttpClient http(port());
  EXPECT_EQ(404, http.get("/metrics").status);
  http.set_bearer(kToken);
  EXPECT_EQ(404, http.get("/metrics").status);
}

TEST_F(ServerTest, OnlyAMetricsListenerLeavesTheMainOne404) {
  server->stop();
  auto mport = free_port();
  server = std::make_unique<ServerProcess>(
      dir.path, std::filesystem::path{},
      std::vector<std::string>{"--metrics-listen", "127.0.0.1:" + std::to_string(mport)});
  server->start();
  HttpClient main_listener(port());
  main_listener.set_bearer(kToken);
  EXPECT_EQ(404, main_listener.get("/metrics").status);
  EXPECT_EQ(200, HttpClient(mport).get("/metrics").status);
}

TEST(MetricsFlags, UnusableSettingsStopTheServerWithAReason) {
  TempDir dir;
  auto short_token = (dir.path / "short.token").string();
  std::ofstream(short_token) << "short\n";
  std::string errors;
  EXPECT_EQ(2, run_cli({"serve", "--data", dir.path.string(), "--listen", "127.0.0.1:0",
                        "--metrics-token-file", short_token},
                       nullptr, nullptr, &errors));
  EXPECT_NE(std::string::npos, errors.find("at least 16 characters")) << errors;
  errors.clear();
  EXPECT_EQ(2, run_cli({"serve", "--data", dir.path.string(), "--listen", "127.0.0.1:0",
                        "--metrics-token-file", (dir.path / "missing").string()},
                       nullptr, nullptr, &errors));
  EXPECT_NE(std::string::npos, errors.find("cannot read the metrics token file")) << errors;
  errors.clear();
  EXPECT_EQ(2, run_cli({"serve", "--data", dir.path.string(), "--listen", "127.0.0.1:0",
                        "--metrics-listen", "nonsense"},
                       nullptr, nullptr, &errors));
  EXPECT_NE(std::string::npos, errors.find("--metrics-listen must be HOST:PORT")) << errors;
}

}  // namespace
}  // namespace parley::testing
