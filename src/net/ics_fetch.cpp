#include "net/ics_fetch.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/validation.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url) {
  Url u;
  auto lower = core::lowercase_ascii(url.substr(0, 8));
  std::string rest;
  if (lower.starts_with("https://")) {
    u.tls = true;
    rest = url.substr(8);
  } else if (lower.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) return std::nullopt;  // no credentials in URLs
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

template <class Stream>
core::Result<http::response<http::string_body>> exchange(Stream& stream, const Url& u) {
  http::request<http::empty_body> req{http::verb::get, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "Parley calendar import");
  req.set(http::field::accept, "text/calendar, */*;q=0.5");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxIcsBytes);
  http::read(stream, buffer, parser);
  return parser.release();
}

core::Result<http::response<http::string_body>> get_once(const Url& u) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(u.host, u.port);
  if (!u.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(endpoints);
    return exchange(stream, u);
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
    return core::bad_request("cannot use TLS with host " + u.host);
  }
  stream.set_verify_callback(ssl::host_name_verification(u.host));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(stream).connect(endpoints);
  stream.handshake(ssl::stream_base::client);
  return exchange(stream, u);
}

}  // namespace

core::Result<std::string> fetch_ics(const std::string& url) {
  std::string current = url;
  for (int hop = 0; hop <= 3; ++hop) {
    auto u = parse_url(current);
    if (!u) return core::bad_request("not an http(s) URL: " + current);
    try {
      auto res = get_once(*u);
      if (!res) return res.error();
      auto status = res->result_int();
      if (status >= 300 && status < 400 && res->count(http::field::location)) {
        current = std::string((*res)[http::field::location]);
        continue;
      }
      if (status != 200) {
        return core::bad_request("HTTP " + std::to_string(status) + " from " + u->host);
      }
      return std::move(res->body());
    } catch (const boost::system::system_error& e) {
      return core::bad_request("could not fetch the calendar from " + u->host + ": " +
                               e.code().message());
    }
  }
  return core::bad_request("too many redirects from " + url);
}

}  // namespace parley::net
