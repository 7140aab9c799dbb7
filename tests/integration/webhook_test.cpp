// Webhooks end to end: a real `parley serve` POSTs to a real receiver in another process
// (tests/integration/webhook_receiver.py) on loopback, let through by the admin's allow-list
// ("localhost"). Signatures verify; a receiver that answers 500 and then is gone for a while,
// and a Parley killed with SIGKILL in the middle of the queue, still get every event, in
// order per conversation; message.created goes only to endpoints that asked; the routes are
// for admins and for API tokens with webhooks:manage only.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

// The receiver process: listens on `port` (0: any), answers what its status file says.
class Receiver {
 public:
  Receiver(const std::filesystem::path& dir, unsigned short port = 0) : dir_(dir) { start(port); }
  ~Receiver() { stop(); }
  void start(unsigned short port) {
    std::filesystem::remove(dir_ / "port");
    auto script = (std::filesystem::path(__FILE__).parent_path() / "webhook_receiver.py").string();
    std::vector<std::string> args{"python3",
                                  script,
                                  std::to_string(port),
                                  (dir_ / "port").string(),
                                  (dir_ / "log.jsonl").string(),
                                  (dir_ / "secret").string(),
                                  (dir_ / "status").string()};
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !std::filesystem::exists(dir_ / "port"); ++i) {
      std::this_thread::sleep_for(25ms);
    }
    std::ifstream in(dir_ / "port");
    int p = 0;
    in >> p;
    ASSERT_GT(p, 0) << "the receiver did not start";
    port_ = static_cast<unsigned short>(p);
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void answer(int status) { std::ofstream(dir_ / "status") << status; }
  void secret(const std::string& s) { std::ofstream(dir_ / "secret") << s; }
  unsigned short port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://localhost:" + std::to_string(port_) + path;
  }
  // Every request so far, in the order received.
  std::vector<json::object> log() const {
    std::vector<json::object> out;
    std::ifstream in(dir_ / "log.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(json::parse(line).as_object());
    }
    return out;
  }
  // The requests answered 2xx.
  std::vector<json::object> accepted() const {
    std::vector<json::object> out;
    for (auto& e : log()) {
      auto s = e.at("status").as_int64();
      if (s >= 200 && s < 300) out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::filesystem::path dir_;
  int pid_ = -1;
  unsigned short port_ = 0;
};

// The conversation an event is about (message.created names it directly).
std::int64_t conversation_of(const json::object& body) {
  const auto& data = body.at("data").as_object();
  if (data.contains("conversation_id")) return data.at("conversation_id").as_int64();
  return data.at("conversation").at("id").as_int64();
}

class WebhookTest : public ServerTest {
 protected:
  std::vector<std::string> serve_flags() const override {
    return {"--webhook-retry-base", "20", "--webhook-poll", "50", "--webhook-lease", "3000"};
  }
  void SetUp() override {
    ServerTest::SetUp();
    receiver_dir = dir.path / "receiver";
    std::filesystem::create_directories(receiver_dir);
    receiver = std::make_unique<Receiver>(receiver_dir);
    admin = std::make_unique<AgentLogin>(login("admin@example.com"));
    auto r = admin->http.request(verb::put, "/api/v1/admin/settings",
                                 json::serialize(json::object{{"fetch_allowed_hosts", json::array{"localhost"}}}));
    ASSERT_EQ(200, r.status) << r.body;
  }
  json::object add_endpoint(const std::string& path, const std::vector<std::string>& events) {
    json::array list;
    for (const auto& e : events) list.emplace_back(e);
    auto r = admin->http.post("/api/v1/admin/webhooks",
                              json::object{{"url", receiver->url(path)}, {"events", std::move(list)}});
    EXPECT_EQ(201, r.status) << r.body;
    return r.json().at("endpoint").as_object();
  }
  // A chat of Alice's: requested, accepted, `messages` visitor messages, ended by Alice.
  std::int64_t chat(AgentLogin& alice, int messages, const std::string& tag) {
    auto visitor = new_visitor(port());
    auto id = id_of(request_chat(visitor, "Vera " + tag, "vera-" + tag + "@example.com"));
    EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
    for (int i = 1; i <= messages; ++i) {
      auto r = visitor.http.post(visitor_path(id, "/messages"),
                                 json::object{{"client_id", tag + "-" + std::to_string(i)},
                                              {"body", tag + " message " + std::to_string(i)}});
      EXPECT_EQ(201, r.status) << r.body;
    }
    EXPECT_EQ(200, alice.http.post(conv_path(id, "/end")).status);
    return id;
  }
  // Waits (at most `limit`) until `done` holds.
  template <class F>
  bool eventually(F done, std::chrono::milliseconds limit = 20s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return done();
  }
  json::array deliveries(std::int64_t endpoint_id) {
    auto r = admin->http.get("/api/v1/admin/webhooks/" + std::to_string(endpoint_id) + "/deliveries");
    EXPECT_EQ(200, r.status) << r.body;
    return r.json().at("deliveries").as_array();
  }

  std::filesystem::path receiver_dir;
  std::unique_ptr<Receiver> receiver;
  std::unique_ptr<AgentLogin> admin;
};

TEST_F(WebhookTest, SignedEventsArriveAtARealReceiver) {
  // An address literal of this machine is refused even though "localhost" is allowed.
  auto refused = admin->http.post(
      "/api/v1/admin/webhooks",
      json::object{{"url", "http://127.0.0.1:" + std::to_string(receiver->port()) + "/"},
                   {"events", json::array{"chat.ended"}}});
  EXPECT_EQ(400, refused.status) << refused.body;
  auto endpoint = add_endpoint("/hook", {"chat.requested", "chat.started", "chat.ended"});
  std::string secret(endpoint.at("secret").as_string());
  EXPECT_TRUE(secret.starts_with("whsec_"));
  receiver->secret(secret);
  auto alice = available_agent("alice@example.com");
  auto id = chat(alice, 2, "a");
  ASSERT_TRUE(eventually([&] { return receiver->accepted().size() >= 3; })) << receiver->log().size();
  auto got = receiver->accepted();
  ASSERT_EQ(3u, got.size());
  std::vector<std::string> types;
  for (const auto& e : got) {
    EXPECT_TRUE(e.at("signature_ok").as_bool()) << json::serialize(e);
    EXPECT_EQ("application/json", e.at("content_type"));
    EXPECT_EQ(e.at("id"), e.at("body").at("id"));
    EXPECT_EQ(id, conversation_of(e.at("body").as_object()));
    types.emplace_back(e.at("body").at("type").as_string());
  }
  EXPECT_EQ((std::vector<std::string>{"chat.requested", "chat.started", "chat.ended"}), types);
  auto ended = got[2].at("body").at("data").as_object();
  EXPECT_EQ(2u, ended.at("messages").as_array().size());
  EXPECT_NE(std::string(ended.at("transcript").as_string()).find("a message 2"), std::string::npos);
  // The delivery log says so, with the receiver's answer (recorded just after it came).
  auto all_delivered = [&] {
    auto list = deliveries(id_of(endpoint));
    return std::all_of(list.begin(), list.end(), [](const json::value& d) { return d.at("status") == "delivered"; });
  };
  ASSERT_TRUE(eventually(all_delivered));
  auto log = deliveries(id_of(endpoint));
  ASSERT_EQ(3u, log.size());
  for (const auto& d : log) {
    EXPECT_EQ("delivered", d.at("status"));
    EXPECT_EQ(200, d.at("log").at(0).at("http_status").as_int64());
    EXPECT_EQ("answered 200", d.at("log").at(0).at("snippet"));
  }
  // A rotated secret signs what follows; the old one no longer verifies.
  auto rotated = admin->http.post("/api/v1/admin/webhooks/" + std::to_string(id_of(endpoint)) + "/rotate-secret");
  ASSERT_EQ(200, rotated.status);
  std::string new_secret(rotated.json().at("endpoint").at("secret").as_string());
  EXPECT_NE(secret, new_secret);
  receiver->secret(new_secret);
  auto redeliver = admin->http.post("/api/v1/admin/webhooks/" + std::to_string(id_of(endpoint)) +
                                    "/deliveries/" + std::to_string(log[0].at("id").as_int64()) + "/redeliver");
  EXPECT_EQ(202, redeliver.status) << redeliver.body;
  ASSERT_TRUE(eventually([&] { return receiver->accepted().size() >= 4; }));
  auto again = receiver->accepted()[3];
  EXPECT_TRUE(again.at("signature_ok").as_bool());
  EXPECT_EQ(got[2].at("id"), again.at("id"));  // the same event id: receivers de-duplicate
}

TEST_F(WebhookTest, AnOutageAndAKilledServerLoseNothingAndKeepOrderPerConversation) {
  auto endpoint = add_endpoint("/crm", {"chat.requested", "chat.started", "message.created", "chat.ended"});
  receiver->secret(std::string(endpoint.at("secret").as_string()));
  auto alice = available_agent("alice@example.com");
  // The receiver answers 500 for a while: everything is retried, nothing delivered.
  receiver->answer(500);
  std::vector<std::int64_t> chats;
  chats.push_back(chat(alice, 4, "a"));
  ASSERT_TRUE(eventually([&] { return receiver->log().size() >= 3; }));
  // Then it is gone altogether (connection refused) while more chats happen.
  auto port = receiver->port();
  receiver->stop();
  chats.push_back(chat(alice, 4, "b"));
  chats.push_back(chat(alice, 3, "c"));
  std::this_thread::sleep_for(300ms);
  // Parley dies in the middle of the queue and comes back.
  server->kill_hard();
  server->start();  // on a new port: sign in again
  admin = std::make_unique<AgentLogin>(login("admin@example.com"));
  alice = available_agent("alice@example.com");
  chats.push_back(chat(alice, 2, "d"));
  // The receiver is back (same address) and answers 200.
  receiver->answer(200);
  receiver->start(port);
  const std::size_t expected = 4 * 3 + (4 + 4 + 3 + 2);  // requested, started, ended + messages
  ASSERT_TRUE(eventually([&] {
    std::set<std::string> ids;
    for (const auto& e : receiver->accepted()) ids.insert(std::string(e.at("id").as_string()));
    return ids.size() >= expected;
  }, 60s)) << receiver->accepted().size();
  // Every event once at least, signed; per conversation in the order it happened.
  std::map<std::int64_t, std::vector<std::string>> per_chat;
  std::set<std::string> ids;
  for (const auto& e : receiver->accepted()) {
    EXPECT_TRUE(e.at("signature_ok").as_bool());
    if (!ids.insert(std::string(e.at("id").as_string())).second) continue;  // a re-send
    const auto& body = e.at("body").as_object();
    std::string what(body.at("type").as_string());
    if (what == "message.created") what = std::string(body.at("data").at("message").at("body").as_string());
    per_chat[conversation_of(body)].push_back(what);
  }
  EXPECT_EQ(expected, ids.size());
  const std::vector<std::pair<std::string, int>> tags{{"a", 4}, {"b", 4}, {"c", 3}, {"d", 2}};
  for (std::size_t i = 0; i < chats.size(); ++i) {
    std::vector<std::string> want{"chat.requested", "chat.started"};
    for (int m = 1; m <= tags[i].second; ++m) want.push_back(tags[i].first + " message " + std::to_string(m));
    want.push_back("chat.ended");
    EXPECT_EQ(want, per_chat[chats[i]]) << "conversation " << chats[i];
  }
  // The log shows the failed tries (500, then no answer) before the delivery.
  ASSERT_TRUE(eventually([&] {
    auto list = deliveries(id_of(endpoint));
    return std::all_of(list.begin(), list.end(), [](const json::value& d) { return d.at("status") == "delivered"; });
  }));
  int retried = 0;
  for (const auto& d : deliveries(id_of(endpoint))) {
    EXPECT_EQ("delivered", d.at("status"));
    retried += d.at("attempts").as_int64() > 1;
  }
  EXPECT_GT(retried, 0);
  std::cout << "[ webhook outage ] " << ids.size() << " events, " << receiver->log().size()
            << " requests received (" << receiver->accepted().size() << " accepted), " << retried
            << " deliveries retried\n";
}

TEST_F(WebhookTest, MessageCreatedOnlyForEndpointsThatAskedForIt) {
  auto plain = add_endpoint("/plain", {"chat.requested", "chat.ended"});
  auto chatty = add_endpoint("/chatty", {"message.created"});
  receiver->secret("unused");
  auto alice = available_agent("alice@example.com");
  chat(alice, 3, "m");
  ASSERT_TRUE(eventually([&] { return receiver->accepted().size() >= 5; }));
  std::this_thread::sleep_for(300ms);
  std::map<std::string, std::vector<std::string>> by_path;
  for (const auto& e : receiver->accepted()) {
    by_path[std::string(e.at("path").as_string())].emplace_back(e.at("body").at("type").as_string());
  }
  EXPECT_EQ((std::vector<std::string>{"chat.requested", "chat.ended"}), by_path["/plain"]);
  EXPECT_EQ((std::vector<std::string>{"message.created", "message.created", "message.created"}),
            by_path["/chatty"]);
  // Disabled: nothing more.
  auto off = admin->http.request(verb::put, "/api/v1/admin/webhooks/" + std::to_string(id_of(chatty)),
                                 json::serialize(json::object{{"url", receiver->url("/chatty")},
                                                              {"events", json::array{"message.created"}},
                                                              {"active", false}}));
  ASSERT_EQ(200, off.status) << off.body;
  EXPECT_FALSE(off.json().at("endpoint").at("active").as_bool());
  chat(alice, 2, "n");
  ASSERT_TRUE(eventually([&] { return receiver->accepted().size() >= 7; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(7u, receiver->accepted().size());
  EXPECT_EQ(204, admin->http.request(verb::delete_, "/api/v1/admin/webhooks/" + std::to_string(id_of(plain))).status);
  EXPECT_EQ(1u, admin->http.get("/api/v1/admin/webhooks").json().at("endpoints").as_array().size());
}

TEST_F(WebhookTest, OnlyAdminsAndTokensWithTheScopeManageWebhooks) {
  auto list = admin->http.get("/api/v1/admin/webhooks");
  ASSERT_EQ(200, list.status);
  EXPECT_EQ(9u, list.json().at("events").as_array().size());
  auto alice = login("alice@example.com");
  EXPECT_EQ(403, alice.http.get("/api/v1/admin/webhooks").status);
  EXPECT_EQ(403, alice.http.post("/api/v1/admin/webhooks",
                                 json::object{{"url", receiver->url("/x")}, {"events", json::array{"chat.ended"}}})
                     .status);
  HttpClient anonymous(port());
  EXPECT_EQ(401, anonymous.get("/api/v1/admin/webhooks").status);
  auto make_token = [&](const std::string& scope) {
    auto r = admin->http.post("/api/v1/admin/api-tokens",
                              json::object{{"name", "CRM " + scope}, {"scopes", json::array{json::value(scope)}}});
    EXPECT_EQ(201, r.status) << r.body;
    HttpClient c(port());
    c.set_bearer(std::string(r.json().at("secret").as_string()));
    return c;
  };
  auto reader = make_token("people:read");
  EXPECT_EQ(403, reader.get("/api/v1/admin/webhooks").status);
  auto manager = make_token("webhooks:manage");
  auto created = manager.post("/api/v1/admin/webhooks",
                              json::object{{"url", receiver->url("/x")}, {"events", json::array{"person.updated"}}});
  EXPECT_EQ(201, created.status) << created.body;
  EXPECT_EQ(200, manager.get("/api/v1/admin/webhooks").status);
  auto id = std::to_string(id_of(created.json().at("endpoint").as_object()));
  EXPECT_EQ(200, manager.get("/api/v1/admin/webhooks/" + id + "/deliveries").status);
  // The token reaches nothing else.
  EXPECT_EQ(403, manager.get("/api/v1/admin/people?email=a@example.com").status);
  EXPECT_EQ(403, manager.get("/api/v1/conversations").status);
  // Bad input gets a clear error.
  auto bad = admin->http.post("/api/v1/admin/webhooks",
                              json::object{{"url", receiver->url("/x")}, {"events", json::array{"chat.exploded"}}});
  EXPECT_EQ(400, bad.status);
  EXPECT_NE(bad.body.find("chat.exploded"), std::string::npos);
  EXPECT_EQ(404, admin->http.get("/api/v1/admin/webhooks/999999").status);
  EXPECT_EQ(404, admin->http.request(verb::delete_, "/api/v1/admin/webhooks/999999").status);
}

}  // namespace
}  // namespace parley::testing
