// Fuzzes how the server reads a request line and headers (src/net/http_util, api_support):
// Beast's request parser with the server's limits, then the path, its segments, ids, the
// query string with percent-decoding, cookies, the bearer token and the origin check, and
// the REST route table's match of the path (net/route_table.hpp).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/api_router.hpp"
#include "net/api_support.hpp"
#include "net/http_util.hpp"

namespace {

using namespace parley::net;

void check(bool ok) {
  if (!ok) std::abort();
}

void read_request(const Request& req) {
  std::string_view target = req.target();
  auto path = path_of(target);
  check(path.size() <= target.size());
  (void)allows_large_body(path);
  auto parts = segments(path);
  for (auto part : parts) {
    check(!part.empty() && part.find('/') == std::string_view::npos);
    if (auto id = parse_id(part)) check(*id > 0);
    (void)parse_int(part);
  }
  auto found = api_routes().match(req.method(), path);
  if (found.route) {
    check(!found.same_path.empty() && found.route->method == req.method());
    for (auto id : found.ids) check(id > 0);
    if (found.route->access == parley::net::Access::meeting_link) check(!found.token.empty());
  }
  for (const auto& [key, value] : query_of(target)) {
    if (auto v = parse_int(value)) (void)*v;
    (void)key;
  }
  (void)cookie_value(req, "parley_session");
  (void)bearer_token(req);
  (void)is_cross_origin(req);
}

// Fields separated by '\n': target, Cookie, Authorization, Origin, Host.
void structured(std::string_view data) {
  std::string_view fields[5];
  for (auto& f : fields) {
    auto nl = data.find('\n');
    f = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view{} : data.substr(nl + 1);
  }
  Request req;
  req.method(http::verb::get);
  req.version(11);
  try {
    req.target(fields[0]);
    if (!fields[1].empty()) req.set(http::field::cookie, fields[1]);
    if (!fields[2].empty()) req.set(http::field::authorization, fields[2]);
    if (!fields[3].empty()) req.set(http::field::origin, fields[3]);
    if (!fields[4].empty()) req.set(http::field::host, fields[4]);
  } catch (const std::exception&) {
    return;  // Beast refuses a header value with CR/LF; the parser never produces one
  }
  read_request(req);
  // Percent-decoding never grows the text.
  check(url_decode(fields[0]).size() <= fields[0].size());
}

// Raw bytes as the server's reader gets them (server.cpp: header and body limits).
void raw(std::string_view data) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(kMaxAdminRequestBody);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data.data(), data.size()), ec);
  if (ec || !parser.is_header_done()) return;
  read_request(parser.get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  if (bytes[0] & 1) {
    raw(data);
  } else {
    structured(data);
  }
  return 0;
}
