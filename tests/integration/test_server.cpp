#include "test_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <stdexcept>

extern char** environ;

namespace parley::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path = fs::temp_directory_path() / ("parley-test-" + std::to_string(rd()) + std::to_string(getpid()));
  fs::create_directories(path);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

namespace {

// `stdin_fd`/`stderr_fd` (the child's ends of pipes), when not -1, replace its stdin/stderr.
int spawn(const std::vector<std::string>& args, int* stdout_fd, int stdin_fd = -1,
          int stderr_fd = -1) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  if (stdin_fd != -1) posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  if (stderr_fd != -1) posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  *stdout_fd = fds[0];
  return pid;
}

// Reads one line from fd within the deadline; false on timeout/EOF.
bool read_line(int fd, std::string& line, std::chrono::steady_clock::time_point deadline) {
  line.clear();
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char c;
    if (read(fd, &c, 1) != 1) return false;
    if (c == '\n') return true;
    line += c;
  }
}

// The contract log (web/scripts/contract-check.mjs reads it): when PARLEY_CONTRACT_LOG names a
// directory, every HTTP exchange and WebSocket frame of this process is appended to
// <dir>/<pid>.jsonl, one JSON object a line, to be checked against docs/openapi.json after the
// suite. A body that is not JSON is logged by its size only (transcripts, invitations, CSV).
void record(json::object entry) {
  static const char* dir = std::getenv("PARLEY_CONTRACT_LOG");
  if (dir == nullptr || *dir == '\0') return;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  static FILE* file = [] {
    auto path = fs::path(dir) / (std::to_string(getpid()) + ".jsonl");
    return std::fopen(path.c_str(), "a");
  }();
  if (file == nullptr) return;
  entry["test"] = [] {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info ? std::string(info->test_suite_name()) + "." + info->name() : std::string();
  }();
  auto line = json::serialize(entry) + "\n";
  std::fwrite(line.data(), 1, line.size(), file);
  std::fflush(file);
}

bool is_json_type(std::string_view content_type) {
  return content_type.starts_with("application/json");
}

int wait_exit(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::string* output, const std::string* input,
            std::string* errors) {
  std::vector<std::string> full{PARLEY_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  int in[2] = {-1, -1}, err[2] = {-1, -1};
  if ((input && pipe(in) != 0) || (errors && pipe(err) != 0)) throw std::runtime_error("pipe failed");
  // The parent's ends must not stay open in the child (its stdin would never reach EOF).
  for (int fd : {in[1], err[0]}) {
    if (fd != -1) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  int fd;
  int pid = spawn(full, &fd, in[0], err[1]);
  for (int child_end : {in[0], err[1]}) {
    if (child_end != -1) close(child_end);
  }
  if (input) {
    // Small inputs: the pipe buffer takes them whole, and the child reads as we write.
    if (write(in[1], input->data(), input->size()) != static_cast<ssize_t>(input->size())) {
      throw std::runtime_error("cannot write the CLI's stdin");
    }
    close(in[1]);
  }
  auto drain = [](int from) {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0) text.append(buf, n);
    close(from);
    return text;
  };
  std::string out = drain(fd);  // stdout, then stderr: fine while stderr fits a pipe buffer
  if (errors) *errors = drain(err[0]);
  if (output) *output = out;
  return wait_exit(pid);
}

ServerProcess::ServerProcess(fs::path data_dir, fs::path web_root,
                             std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)),
      web_root_(std::move(web_root)),
      extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_hard();
}

void ServerProcess::start() {
  std::vector<std::string> args{PARLEY_BINARY, "serve", "--listen", "127.0.0.1:0", "--data",
                                data_dir_.string(), "--threads", "4"};
  if (!web_root_.empty()) {
    args.push_back("--web");
    args.push_back(web_root_.string());
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  int fd;
  pid_ = spawn(args, &fd);
  auto deadline = std::chrono::steady_clock::now() + 20s;
  std::string line;
  const std::string prefix = "Parley listening on http://127.0.0.1:";
  while (read_line(fd, line, deadline)) {
    if (line.rfind(prefix, 0) == 0) {
      port_ = static_cast<unsigned short>(std::stoi(line.substr(prefix.size())));
      close(fd);  // the server writes nothing more to stdout without --demo
      return;
    }
  }
  close(fd);
  kill_hard();
  throw std::runtime_error("parley serve did not start");
}

bool ServerProcess::alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = wait_exit(pid_);
  pid_ = -1;
  return status;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

json::value HttpResult::json() const {
  if (body.empty()) return nullptr;
  return json::parse(body);
}

HttpResult HttpClient::request(http::verb method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!cookie_.empty()) req.set(http::field::cookie, cookie_);
  if (!bearer_.empty()) req.set(http::field::authorization, "Bearer " + bearer_);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  // The server may answer (413) and close before it has read a large body: a failed
  // write is fine as long as the response can be read.
  beast::error_code write_ec;
  http::write(stream, req, write_ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser);
  auto res = parser.release();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  if (auto it = out.headers.find("set-cookie"); it != out.headers.end()) {
    cookie_ = it->second.substr(0, it->second.find(';'));
  }
  auto content_type = out.headers.contains("content-type") ? out.headers["content-type"] : "";
  json::object entry{{"kind", "http"},
                     {"method", std::string(http::to_string(method))},
                     {"target", target},
                     {"status", out.status},
                     {"content_type", content_type}};
  if (is_json_type(content_type)) {
    entry["body"] = out.body;
  } else {
    entry["body_size"] = out.body.size();
  }
  record(std::move(entry));
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

WsClient::WsClient(unsigned short port, const std::string& cookie, const std::string& origin)
    : ws_(ioc_) {
  beast::get_lowest_layer(ws_).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws_.set_option(beast::websocket::stream_base::decorator([cookie, origin](auto& req) {
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
    if (!origin.empty()) req.set(http::field::origin, origin);
  }));
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
  start_read();
}

WsClient::~WsClient() {
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

void WsClient::start_read() {
  ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      return;
    }
    auto text = beast::buffers_to_string(buffer_.data());
    record({{"kind", "ws"}, {"direction", "received"}, {"text", text}});
    auto v = json::parse(text);
    buffer_.consume(buffer_.size());
    frames_.push_back(v.as_object());
    start_read();
  });
}

void WsClient::send(const json::value& frame) { send_text(json::serialize(frame)); }

void WsClient::send_text(const std::string& text) {
  record({{"kind", "ws"}, {"direction", "sent"}, {"text", text}});
  ws_.write(asio::buffer(text));
}

std::optional<json::object> WsClient::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (frames_.empty() && !closed_ && std::chrono::steady_clock::now() < deadline) {
    ioc_.restart();
    ioc_.run_one_until(deadline);
  }
  if (frames_.empty()) return std::nullopt;
  auto f = std::move(frames_.front());
  frames_.pop_front();
  return f;
}

json::object WsClient::expect(const std::string& type, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto f = next(left);
    if (!f) break;
    if (f->at("type").as_string() == type) return *f;
  }
  throw std::runtime_error("no '" + type + "' frame arrived in time");
}

bool WsClient::quiet(const std::string& type, std::chrono::milliseconds window) {
  auto deadline = std::chrono::steady_clock::now() + window;
  std::deque<json::object> kept;
  bool seen = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto f = next(left);
    if (!f) break;
    if (f->at("type").as_string() == type) seen = true;
    kept.push_back(std::move(*f));
  }
  // Put back what was read so later expectations still see it.
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) frames_.push_front(std::move(*it));
  return !seen;
}

void WsClient::close() {
  // An abrupt drop, as when a laptop loses its network: no close handshake.
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
  closed_ = true;
}

AgentLogin login_agent(unsigned short port, const std::string& email, const std::string& password) {
  AgentLogin a{HttpClient(port), {}};
  auto r = a.http.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
  if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
  a.agent = r.json().at("agent").as_object();
  return a;
}

VisitorClient new_visitor(unsigned short port) {
  VisitorClient v{HttpClient(port), "", 0};
  auto r = v.http.post("/api/v1/visitor/session");
  if (r.status != 201) throw std::runtime_error("visitor session failed: " + r.body);
  v.token = std::string(r.json().at("visitor_token").as_string());
  v.id = r.json().at("visitor_id").as_int64();
  v.http.set_bearer(v.token);
  return v;
}

}  // namespace parley::testing
