// Issue 11, server-side request forgery: a calendar URL naming an internal address is refused
// when it is saved and when it is fetched, before any connection (a listener on loopback sees
// none), also through a redirect; a slow host is cut off at the 10 s deadline; the admin's
// fetch_allowed_hosts lets a named internal host through. The answer never carries the remote
// status, body or address.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;
using Clock = std::chrono::steady_clock;

// A plain TCP listener on a loopback address that counts the connections it accepts. It
// answers each request with `reply` (read up to the blank line first) and closes; with an
// empty reply it keeps the connection open and never answers (a slow host).
class Listener {
 public:
  explicit Listener(bool ipv6 = false, std::string reply = "") : reply_(std::move(reply)) {
    fd_ = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage addr{};
    socklen_t len;
    if (ipv6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      len = sizeof *a;
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      len = sizeof *a;
    }
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                       : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~Listener() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (int c : held_) ::close(c);
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  unsigned short port() const { return port_; }
  int connections() const { return connections_; }
  void set_reply(std::string reply) {
    std::lock_guard lock(mutex_);
    reply_ = std::move(reply);
  }

 private:
  void loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      std::string reply;
      {
        std::lock_guard lock(mutex_);
        reply = reply_;
      }
      if (reply.empty()) {
        held_.push_back(c);
        continue;
      }
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        pollfd r{c, POLLIN, 0};
        if (::poll(&r, 1, 2000) <= 0) break;
        auto n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      for (std::size_t sent = 0; sent < reply.size();) {
        auto n = ::send(c, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  unsigned short port_ = 0;
  std::string reply_;
  std::mutex mutex_;
  std::atomic<int> connections_{0};
  std::atomic<bool> stop_{false};
  std::vector<int> held_;
  std::thread thread_;
};

std::string http_reply(const std::string& status, const std::string& body,
                       const std::string& headers = "") {
  return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + headers + "\r\n" + body;
}

std::string redirect_to(const std::string& location) {
  return http_reply("302 Found", "", "Location: " + location + "\r\n");
}

const std::string kIcs =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
    "DTSTAMP:20260101T000000Z\r\nDTSTART:20250102T100000Z\r\nDURATION:PT1H\r\n"
    "RRULE:FREQ=DAILY;COUNT=8000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

class FetchGuardTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    alice = std::make_unique<AgentLogin>(login("alice@example.com"));
  }
  HttpResult save_url(const std::string& url) {
    return alice->http.request(verb::put, "/api/v1/me/calendar",
                               json::serialize(json::object{{"ics_url", url}}));
  }
  HttpResult refresh() { return alice->http.post("/api/v1/me/calendar/busy/refresh"); }
  json::value saved_url() {
    return alice->http.get("/api/v1/me/calendar").json().at("calendar").at("ics_url");
  }
  HttpResult allow_hosts(const json::array& hosts) {
    auto admin = login("admin@example.com");
    return admin.http.request(verb::put, "/api/v1/admin/settings",
                              json::serialize(json::object{{"fetch_allowed_hosts", hosts}}));
  }
  static std::string message(const HttpResult& r) {
    auto v = r.json();
    return v.is_object() ? std::string(v.at("error").at("message").as_string()) : r.body;
  }
  static std::string url(const std::string& host, unsigned short port, const std::string& path) {
    return "http://" + host + ":" + std::to_string(port) + path;
  }

  std::unique_ptr<AgentLogin> alice;
};

TEST_F(FetchGuardTest, InternalAddressesAreRefusedOnSaveBeforeAnyConnection) {
  Listener v4(false, http_reply("200 OK", kIcs));
  ASSERT_TRUE(v4.ok());
  Listener v6(true, http_reply("200 OK", kIcs));  // may be absent without IPv6
  auto p = v4.port();
  auto p6 = v6.ok() ? v6.port() : p;
  std::vector<std::string> urls{
      url("127.0.0.1", p, "/busy.ics"),
      url("localhost", p, "/busy.ics"),
      url("LOCALHOST", p, "/busy.ics"),
      url("[::1]", p6, "/busy.ics"),
      url("[::ffff:127.0.0.1]", p, "/busy.ics"),
      url("[::ffff:7f00:1]", p, "/busy.ics"),
      url("[::127.0.0.1]", p, "/busy.ics"),
      url("[64:ff9b::127.0.0.1]", p, "/busy.ics"),
      url("127.1", p, "/busy.ics"),       // the resolver's shorthand for 127.0.0.1
      url("2130706433", p, "/busy.ics"),  // and its decimal form
      url("0.0.0.0", p, "/busy.ics"),
      url("0", p, "/busy.ics"),
      "http://10.0.0.1/busy.ics",
      "http://172.16.5.4/busy.ics",
      "http://192.168.1.1/busy.ics",
      "http://100.64.0.1/busy.ics",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/busy.ics",
      "http://[fd00:ec2::254]/latest/meta-data/",
      "http://224.0.0.1/busy.ics",
      "http://[ff02::1]/busy.ics",
      "http://255.255.255.255/busy.ics",
      "http://240.0.0.1/busy.ics",
      "https://[::]/busy.ics",
  };
  for (const auto& u : urls) {
    auto r = save_url(u);
    EXPECT_EQ(400, r.status) << u << " " << r.body;
    EXPECT_EQ("could not fetch: the address is not allowed", message(r)) << u;
    EXPECT_TRUE(saved_url().is_null()) << u;
  }
  EXPECT_EQ(0, v4.connections());
  EXPECT_EQ(0, v6.connections());
  // Not a fetchable URL at all: said as such, still generic.
  for (const auto& u : {"ftp://cal.example/x.ics", "http://user:pw@cal.example/x.ics"}) {
    EXPECT_EQ(400, save_url(u).status) << u;
  }
}

TEST_F(FetchGuardTest, AnAllowedInternalHostIsFetchedAndRefusedAgainOnceRemoved) {
  Listener host(false, http_reply("200 OK", kIcs, "Content-Type: text/calendar\r\n"));
  ASSERT_TRUE(host.ok());
  auto feed = url("localhost", host.port(), "/busy.ics");
  EXPECT_EQ(400, save_url(feed).status);

  // The admin allows the on-premises host by name; names are normalized and validated.
  auto r = allow_hosts({"LocalHost.", "calendar.corp.example"});
  ASSERT_EQ(200, r.status) << r.body;
  auto listed = r.json().at("settings").at("fetch_allowed_hosts").as_array();
  EXPECT_EQ((json::array{"localhost", "calendar.corp.example"}), listed);
  EXPECT_EQ(listed, login("admin@example.com")
                        .http.get("/api/v1/admin/settings")
                        .json()
                        .at("settings")
                        .at("fetch_allowed_hosts"));
  for (const auto& bad :
       {json::array{"10.0.0.1"}, json::array{"cal.example:8080"}, json::array{"http://cal.example"},
        json::array{"a b"}, json::array{"x.example", "X.example"}, json::array{7}}) {
    EXPECT_EQ(400, allow_hosts(bad).status) << json::serialize(bad);
  }
  EXPECT_EQ(400, login("admin@example.com")
                     .http
                     .request(verb::put, "/api/v1/admin/settings",
                              R"({"fetch_allowed_hosts":"localhost"})")
                     .status);
  EXPECT_EQ(403, alice->http
                     .request(verb::put, "/api/v1/admin/settings",
                              R"({"fetch_allowed_hosts":["localhost"]})")
                     .status);

  ASSERT_EQ(200, save_url(feed).status);
  EXPECT_EQ(0, host.connections());  // saving only checks where the name leads
  auto fetched = refresh();
  ASSERT_EQ(200, fetched.status) << fetched.body;
  EXPECT_GT(fetched.json().at("calendar").at("busy_count").as_int64(), 300);
  EXPECT_EQ(1, host.connections());

  // The name stays allowed only while it is listed: the refresh checks again.
  ASSERT_EQ(200, allow_hosts({}).status);
  auto refused = refresh();
  EXPECT_EQ(400, refused.status);
  EXPECT_EQ("could not fetch: the address is not allowed", message(refused));
  EXPECT_EQ(1, host.connections());
  // An IP address is never on the list: it is a name the admin allows.
  ASSERT_EQ(200, allow_hosts({"localhost"}).status);
  EXPECT_EQ(400, save_url(url("127.0.0.1", host.port(), "/busy.ics")).status);
}

TEST_F(FetchGuardTest, RedirectsAreCheckedAgainAndLimited) {
  ASSERT_EQ(200, allow_hosts({"localhost"}).status);
  Listener internal(false, http_reply("200 OK", kIcs));
  Listener front(false, redirect_to(url("127.0.0.1", internal.port(), "/busy.ics")));
  ASSERT_TRUE(internal.ok() && front.ok());
  ASSERT_EQ(200, save_url(url("localhost", front.port(), "/cal.ics")).status);

  // An allowed host sends the fetch on to an address that is not allowed: not followed.
  auto r = refresh();
  EXPECT_EQ(400, r.status);
  EXPECT_EQ("could not fetch: the address is not allowed", message(r));
  EXPECT_EQ(1, front.connections());
  EXPECT_EQ(0, internal.connections());

  // To an allowed name (a relative Location, too) it is followed.
  front.set_reply(redirect_to(url("localhost", internal.port(), "/busy.ics")));
  r = refresh();
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(1, internal.connections());

  // At most 3 redirects: a loop is cut after the 4th answer.
  front.set_reply(redirect_to("/again"));
  auto before = front.connections();
  r = refresh();
  EXPECT_EQ(400, r.status);
  EXPECT_EQ("could not fetch: too many redirects", message(r));
  EXPECT_EQ(before + 4, front.connections());
}

TEST_F(FetchGuardTest, TheRemoteStatusBodyAndSizeAreNotPassedOn) {
  ASSERT_EQ(200, allow_hosts({"localhost"}).status);
  Listener host(false, http_reply("404 Not Found", "secret internal page at 10.1.2.3"));
  ASSERT_TRUE(host.ok());
  ASSERT_EQ(200, save_url(url("localhost", host.port(), "/busy.ics")).status);
  auto r = refresh();
  EXPECT_EQ(400, r.status);
  EXPECT_EQ("could not fetch: the server answered with an error", message(r));
  EXPECT_EQ(std::string::npos, r.body.find("404"));
  EXPECT_EQ(std::string::npos, r.body.find("secret"));
  EXPECT_EQ(std::string::npos, r.body.find("10.1.2.3"));

  // A body over 5 MiB, announced or not.
  host.set_reply(http_reply("200 OK", std::string(5 * 1024 * 1024 + 1, 'x')));
  r = refresh();
  EXPECT_EQ("could not fetch: the body is over 5 MiB", message(r));
  host.set_reply("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                 std::string(5 * 1024 * 1024 + 100, 'x'));
  r = refresh();
  EXPECT_EQ("could not fetch: the body is over 5 MiB", message(r));

  // Nobody listening: generic, without the address.
  unsigned short port = 0;
  {
    Listener gone(false, "x");
    port = gone.port();
  }
  ASSERT_EQ(200, save_url(url("localhost", port, "/busy.ics")).status);
  r = refresh();
  EXPECT_EQ(400, r.status);
  EXPECT_EQ("could not fetch: could not connect", message(r));
}

TEST_F(FetchGuardTest, ASlowHostIsCutOffAtTheDeadlineWhileTheServerGoesOn) {
  ASSERT_EQ(200, allow_hosts({"localhost"}).status);
  Listener slow;  // accepts and never answers
  ASSERT_TRUE(slow.ok());
  ASSERT_EQ(200, save_url(url("localhost", slow.port(), "/busy.ics")).status);

  auto start = Clock::now();
  HttpResult r;
  std::thread fetch([&] { r = refresh(); });
  // The server answers others meanwhile.
  std::this_thread::sleep_for(1s);
  auto other = login("bob@example.com");
  auto t0 = Clock::now();
  EXPECT_EQ(200, other.http.get("/api/v1/me/calendar").status);
  EXPECT_LT(Clock::now() - t0, 2s);
  fetch.join();
  auto took = Clock::now() - start;
  EXPECT_EQ(400, r.status) << r.body;
  EXPECT_EQ("could not fetch: timed out", message(r));
  EXPECT_EQ(1, slow.connections());
  EXPECT_GE(took, 9500ms);
  EXPECT_LT(took, 13s);
}

}  // namespace
}  // namespace parley::testing
