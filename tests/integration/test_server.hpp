// Test harness: a real `parley serve` process on a loopback port with its own SQLite
// file in a temporary directory, plus blocking HTTP and WebSocket clients with timeouts.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::testing {

namespace json = boost::json;
using namespace std::chrono_literals;

// A temporary directory removed on destruction.
struct TempDir {
  TempDir();
  ~TempDir();
  std::filesystem::path path;
};

// Runs the parley CLI (not serve) to completion; returns its exit code. `input`, when given,
// is its standard input (then end of file); `errors` receives its stderr (keep it small).
int run_cli(const std::vector<std::string>& args, std::string* output = nullptr,
            const std::string* input = nullptr, std::string* errors = nullptr);

class ServerProcess {
 public:
  // `extra_args` go to `parley serve` after the defaults (a later flag wins).
  explicit ServerProcess(std::filesystem::path data_dir, std::filesystem::path web_root = {},
                         std::vector<std::string> extra_args = {});
  ~ServerProcess();
  void start();            // waits for "Parley listening on"
  int stop();              // SIGTERM, waits for exit, returns the exit status
  void kill_hard();        // SIGKILL, waits for exit
  bool alive() const;
  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::filesystem::path data_dir_, web_root_;
  std::vector<std::string> extra_args_;
  int pid_ = -1;
  unsigned short port_ = 0;
};

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
  json::value json() const;                    // parses body; null when empty
};

// One HTTP client with its own cookie jar (an agent's browser) and optional bearer token.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : port_(port) {}
  HttpResult request(boost::beast::http::verb method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult get(const std::string& target) { return request(boost::beast::http::verb::get, target); }
  HttpResult post(const std::string& target, const json::value& body) {
    return request(boost::beast::http::verb::post, target, json::serialize(body));
  }
  HttpResult post(const std::string& target) { return request(boost::beast::http::verb::post, target); }
  void set_bearer(std::string token) { bearer_ = std::move(token); }
  const std::string& cookie() const { return cookie_; }

 private:
  unsigned short port_;
  std::string cookie_;  // "name=value" of the session cookie, once set
  std::string bearer_;
};

// A WebSocket client: frames are read in the background into a queue; next() waits.
class WsClient {
 public:
  // cookie: "parley_session=..." or empty; origin: sent as Origin when not empty.
  WsClient(unsigned short port, const std::string& cookie = "", const std::string& origin = "");
  ~WsClient();
  void send(const json::value& frame);
  void send_text(const std::string& text);
  // The next frame, or nullopt after `timeout`.
  std::optional<json::object> next(std::chrono::milliseconds timeout = 5s);
  // The next frame of `type`, skipping others; throws on timeout.
  json::object expect(const std::string& type, std::chrono::milliseconds timeout = 5s);
  // True when no frame of `type` arrives within `window`.
  bool quiet(const std::string& type, std::chrono::milliseconds window = 300ms);
  bool closed() const { return closed_; }
  void close();

 private:
  void start_read();
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<json::object> frames_;
  bool closed_ = false;
};

// Agent helpers used across tests.
struct AgentLogin {
  HttpClient http;
  json::object agent;
  // The agent's Inbox, when the test opened it (ServerTest::available_agent does: only
  // agents with the Inbox open are offered requests).
  std::shared_ptr<WsClient> inbox{};
};
AgentLogin login_agent(unsigned short port, const std::string& email, const std::string& password);

// A visitor with a token, ready to call the visitor API.
struct VisitorClient {
  HttpClient http;
  std::string token;
  std::int64_t id = 0;
};
VisitorClient new_visitor(unsigned short port);

// The event an `event` or a `message.ack` frame carries.
inline json::object event_of(const json::object& frame) { return frame.at("event").as_object(); }

}  // namespace parley::testing
