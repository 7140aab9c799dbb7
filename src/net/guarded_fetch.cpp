#include "net/guarded_fetch.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "core/address_policy.hpp"
#include "core/validation.hpp"
#include "net/host_lookup.hpp"
#include "net/log.hpp"
#include "net/tls_client.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

enum class Failure {
  bad_url,
  not_allowed,
  unresolved,
  timed_out,
  redirects,
  http_error,
  too_large,
  connect,
  tls,
  broken,
};

// What went wrong, and the detail that only the server's log may see.
struct Failed {
  Failure failure;
  std::string detail;
};

std::string reason(Failure f, const FetchOptions& o) {
  switch (f) {
    case Failure::bad_url:
      return "the URL must be http:// or https:// with a host, and no user name or password";
    case Failure::not_allowed:
      return "the address is not allowed";
    case Failure::unresolved:
      return "the host name could not be resolved";
    case Failure::timed_out:
      return "timed out";
    case Failure::redirects:
      return "too many redirects";
    case Failure::http_error:
      return "the server answered with an error";
    case Failure::too_large:
      return "the body is over " + std::to_string(o.max_body / (1024 * 1024)) + " MiB";
    case Failure::connect:
      return "could not connect";
    case Failure::tls:
      return "the TLS handshake or the certificate check failed";
    case Failure::broken:
      return "the connection broke off";
  }
  return "failed";
}

struct Url {
  bool tls = false;
  std::string host;  // without the brackets of an IPv6 literal
  bool ip_literal = false;
  std::string port;         // digits
  std::string target;       // path and query
  std::string host_header;  // host[:port] as the Host header and the log show it
};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Url> parse_url(std::string_view s) {
  if (s.size() > core::kMaxUrlBytes) return std::nullopt;
  // Spaces and control characters could split the request line or headers.
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return std::nullopt;
  }
  Url u;
  auto scheme = core::lowercase_ascii(s.substr(0, 8));
  if (scheme.starts_with("https://")) {
    u.tls = true;
    s.remove_prefix(8);
  } else if (scheme.starts_with("http://")) {
    s.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  auto end = s.find_first_of("/?#");
  auto authority = s.substr(0, end);
  auto rest = end == std::string_view::npos ? std::string_view{} : s.substr(end);
  rest = rest.substr(0, rest.find('#'));
  u.target = rest.empty() ? "/" : rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no credentials

  std::string_view port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
      if (port.empty()) return std::nullopt;
    }
    error_code ec;
    asio::ip::make_address_v6(u.host, ec);
    if (ec || u.host.find('%') != std::string::npos) return std::nullopt;  // no zone ids
    u.ip_literal = true;
  } else {
    auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (u.host.empty()) return std::nullopt;
    for (char c : u.host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_';
      if (!ok) return std::nullopt;
    }
    error_code ec;
    asio::ip::make_address_v4(u.host, ec);
    u.ip_literal = !ec;
  }
  std::string default_port = u.tls ? "443" : "80";
  if (port.empty()) {
    u.port = default_port;
  } else {
    if (!digits(port) || port.size() > 5) return std::nullopt;
    auto n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return std::nullopt;
    u.port = std::to_string(n);
  }
  u.host_header = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  if (u.port != default_port) u.host_header += ":" + u.port;
  return u;
}

// The URL a Location header names: absolute, scheme-relative, absolute-path or relative.
std::optional<Url> follow(const Url& base, std::string_view location) {
  auto scheme = core::lowercase_ascii(location.substr(0, 8));
  if (scheme.starts_with("https://") || scheme.starts_with("http://")) return parse_url(location);
  if (location.starts_with("//")) {
    return parse_url((base.tls ? "https:" : "http:") + std::string(location));
  }
  if (location.find(':') != std::string_view::npos &&
      location.find(':') < location.find_first_of("/?#")) {
    return std::nullopt;  // another scheme (ftp:, file:, gopher:, ...)
  }
  std::string path;
  if (location.starts_with('/')) {
    path = std::string(location);
  } else {
    auto dir = base.target.substr(0, base.target.find('?'));
    path = dir.substr(0, dir.rfind('/') + 1) + std::string(location);
  }
  return parse_url(std::string(base.tls ? "https://" : "http://") + base.host_header + path);
}

std::optional<Failed> resolve(const Url& u, Clock::time_point deadline,
                              std::vector<tcp::endpoint>& out) {
  auto lookup = lookup_host(u.host, u.port, deadline);
  if (lookup.outcome == HostLookup::Outcome::timed_out) {
    return Failed{Failure::timed_out, "looking up the host name"};
  }
  if (lookup.outcome == HostLookup::Outcome::failed) return Failed{Failure::unresolved, lookup.detail};
  out = std::move(lookup.endpoints);
  return std::nullopt;
}

// Every address the name resolved to must be public, unless the admin allowed the name: a
// name with one public and one internal address could otherwise pick either on connect.
std::optional<Failed> check_addresses(const Url& u, const std::vector<tcp::endpoint>& endpoints,
                                      const FetchOptions& o) {
  if (!u.ip_literal && core::host_is_allowed(u.host, o.allowed_hosts)) return std::nullopt;
  for (const auto& ep : endpoints) {
    auto a = ep.address();
    auto c =
        a.is_v4() ? core::classify(a.to_v4().to_bytes()) : core::classify(a.to_v6().to_bytes());
    if (!core::is_public(c)) {
      return Failed{Failure::not_allowed, a.to_string() + " is " + std::string(core::to_string(c))};
    }
  }
  return std::nullopt;
}

struct Answer {
  std::string location;  // set for a redirect
  std::string body;
  unsigned status = 0;
};

// A POST's content (guarded_post); a GET has none.
struct PostContent {
  const std::string& body;
  const std::vector<std::pair<std::string, std::string>>& headers;
};

// Bytes of a POST's answer kept: the delivery log shows only the start of it.
constexpr std::size_t kMaxPostAnswer = 64 * 1024;

bool is_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// One request over `stream` (plain or TLS over `socket`), connected to the checked addresses
// in turn. `timed_out` is set by the deadline timer, which also closes the socket: every
// pending operation then ends, and each step looks at the flag before going on.
template <class Stream>
asio::awaitable<std::optional<Failed>> talk(Stream& stream, tcp::socket& socket, const Url& u,
                                            const std::vector<tcp::endpoint>& endpoints,
                                            const FetchOptions& o, const bool& timed_out,
                                            const PostContent* post, Answer& answer) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  auto late = [&] {
    return Failed{Failure::timed_out, "after " + std::to_string(o.deadline.count()) + " ms"};
  };

  bool connected = false;
  for (const auto& ep : endpoints) {
    // The timer may have fired already (an earlier hop used the time up): a new socket
    // opened after it would not be closed by it.
    if (timed_out) co_return late();
    error_code ignored;
    if (socket.is_open()) socket.close(ignored);
    co_await socket.async_connect(ep, token);
    if (timed_out) co_return late();
    if (!ec) {
      connected = true;
      break;
    }
  }
  if (!connected) co_return Failed{Failure::connect, ec.message()};

  if constexpr (!std::is_same_v<Stream, tcp::socket>) {
    co_await stream.async_handshake(ssl::stream_base::client, token);
    if (timed_out) co_return late();
    if (ec) co_return Failed{Failure::tls, ec.message()};
  }

  if (post) {
    http::request<http::string_body> req{http::verb::post, u.target, 11};
    req.set(http::field::host, u.host_header);
    req.set(http::field::user_agent, o.user_agent);
    req.set(http::field::accept, o.accept);
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : post->headers) req.set(name, value);
    req.body() = post->body;
    req.prepare_payload();
    co_await http::async_write(stream, req, token);
  } else {
    http::request<http::empty_body> req{http::verb::get, u.target, 11};
    req.set(http::field::host, u.host_header);
    req.set(http::field::user_agent, o.user_agent);
    req.set(http::field::accept, o.accept);
    req.set(http::field::connection, "close");
    co_await http::async_write(stream, req, token);
  }
  if (timed_out) co_return late();
  if (ec) co_return Failed{Failure::broken, "sending: " + ec.message()};

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(post ? kMaxPostAnswer : o.max_body);
  co_await http::async_read_header(stream, buffer, parser, token);
  if (timed_out) co_return late();
  if (ec == http::error::body_limit && !post) co_return Failed{Failure::too_large, "by Content-Length"};
  if (ec && ec != http::error::body_limit) co_return Failed{Failure::broken, "reading the header: " + ec.message()};
  auto status = parser.get().result_int();
  if (post) {
    // Every status is an answer (the caller decides); redirects are not followed, and the
    // body is kept only as far as it fits (a big one is not an error, just cut).
    answer.status = status;
    if (!ec) co_await http::async_read(stream, buffer, parser, token);
    if (timed_out) co_return late();
    answer.body = std::move(parser.get().body());
    co_return std::nullopt;
  }
  if (is_redirect(status) && parser.get().count(http::field::location)) {
    answer.location = std::string(parser.get()[http::field::location]);
    co_return std::nullopt;
  }
  if (status < 200 || status > 299)
    co_return Failed{Failure::http_error, "HTTP " + std::to_string(status)};
  co_await http::async_read(stream, buffer, parser, token);
  if (timed_out) co_return late();
  if (ec == http::error::body_limit) co_return Failed{Failure::too_large, "while reading"};
  // A TLS peer that closes without close_notify after a complete body lost nothing.
  if (ec && !(ec == ssl::error::stream_truncated && parser.is_done())) {
    co_return Failed{Failure::broken, "reading the body: " + ec.message()};
  }
  answer.body = std::move(parser.get().body());
  co_return std::nullopt;
}

// Runs talk() on `ioc` (private to this call) until it ends or the deadline timer fires.
template <class Stream>
std::optional<Failed> run(asio::io_context& ioc, Stream& stream, tcp::socket& socket, const Url& u,
                          const std::vector<tcp::endpoint>& endpoints, const FetchOptions& o,
                          Clock::time_point deadline, const PostContent* post, Answer& answer) {
  bool timed_out = false;
  asio::steady_timer timer(ioc, deadline);
  timer.async_wait([&](error_code ec) {
    if (ec) return;  // cancelled: the exchange ended first
    timed_out = true;
    error_code ignored;
    socket.close(ignored);
  });
  std::optional<Failed> result = Failed{Failure::broken, "did not finish"};
  asio::co_spawn(ioc, talk(stream, socket, u, endpoints, o, timed_out, post, answer),
                 [&](std::exception_ptr e, std::optional<Failed> r) {
                   timer.cancel();
                   if (e) {
                     result = Failed{Failure::broken, "exception"};
                   } else {
                     result = std::move(r);
                   }
                 });
  ioc.run();
  return result;
}

std::optional<Failed> exchange(const Url& u, const std::vector<tcp::endpoint>& endpoints,
                               const FetchOptions& o, Clock::time_point deadline, Answer& answer,
                               const PostContent* post = nullptr) {
  asio::io_context ioc;
  if (!u.tls) {
    tcp::socket socket(ioc);
    return run(ioc, socket, socket, u, endpoints, o, deadline, post, answer);
  }
  auto ctx = verifying_client_context();
  ssl::stream<tcp::socket> stream(ioc, ctx);
  if (!expect_server_name(stream, u.host, u.ip_literal)) return Failed{Failure::tls, "SNI refused"};
  return run(ioc, stream, stream.next_layer(), u, endpoints, o, deadline, post, answer);
}

core::Error fail(const Url* u, const Failed& f, const FetchOptions& o) {
  auto why = reason(f.failure, o);
  // The log names the host only: feed URLs often carry a secret token in the path.
  log_info("url fetch failed",
           {{"host", u ? u->host_header : "?"}, {"reason", why}, {"detail", f.detail}});
  return core::bad_request("could not fetch: " + why);
}

}  // namespace

core::Result<std::string> guarded_get(const std::string& url, const FetchOptions& o) {
  auto deadline = Clock::now() + o.deadline;
  auto u = parse_url(url);
  if (!u) return fail(nullptr, {Failure::bad_url, ""}, o);
  for (int hop = 0;; ++hop) {
    std::vector<tcp::endpoint> endpoints;
    if (auto f = resolve(*u, deadline, endpoints)) return fail(&*u, *f, o);
    if (auto f = check_addresses(*u, endpoints, o)) return fail(&*u, *f, o);
    Answer answer;
    if (auto f = exchange(*u, endpoints, o, deadline, answer)) return fail(&*u, *f, o);
    if (answer.location.empty()) return std::move(answer.body);
    if (hop >= o.max_redirects) return fail(&*u, {Failure::redirects, ""}, o);
    auto next = follow(*u, answer.location);
    if (!next)
      return fail(&*u, {Failure::http_error, "a redirect to a URL that is not http(s)"}, o);
    u = std::move(next);
  }
}

core::Result<PostAnswer> guarded_post(const std::string& url, const std::string& body,
                                      const std::vector<std::pair<std::string, std::string>>& headers,
                                      const FetchOptions& o) {
  auto deadline = Clock::now() + o.deadline;
  auto u = parse_url(url);
  if (!u) return fail(nullptr, {Failure::bad_url, ""}, o);
  std::vector<tcp::endpoint> endpoints;
  if (auto f = resolve(*u, deadline, endpoints)) return fail(&*u, *f, o);
  if (auto f = check_addresses(*u, endpoints, o)) return fail(&*u, *f, o);
  Answer answer;
  PostContent content{body, headers};
  if (auto f = exchange(*u, endpoints, o, deadline, answer, &content)) return fail(&*u, *f, o);
  return PostAnswer{static_cast<int>(answer.status), std::move(answer.body)};
}

core::Status check_fetch_url(const std::string& url, const FetchOptions& o) {
  auto u = parse_url(url);
  if (!u) return fail(nullptr, {Failure::bad_url, ""}, o);
  std::vector<tcp::endpoint> endpoints;
  if (resolve(*u, Clock::now() + o.deadline, endpoints)) return core::Ok{};
  if (auto f = check_addresses(*u, endpoints, o)) return fail(&*u, *f, o);
  return core::Ok{};
}

}  // namespace parley::net
