#include "net.hpp"

#include <netinet/in.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace parley::bench {

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
}

std::optional<asio::ip::address_v4> SourceAddresses::next() {
  if (count_ <= 0) return std::nullopt;
  unsigned n = next_.fetch_add(1, std::memory_order_relaxed) % static_cast<unsigned>(count_);
  return asio::ip::address_v4((127u << 24) | (2u + n));
}

awaitable<beast::error_code> tcp_connect(beast::tcp_stream& stream, const Target& target,
                                         std::optional<asio::ip::address_v4> local,
                                         std::chrono::milliseconds timeout) {
  beast::error_code ec;
  tcp::endpoint remote(asio::ip::make_address(target.host, ec), target.port);
  if (ec) co_return ec;
  auto& sock = stream.socket();
  sock.open(remote.protocol(), ec);
  if (ec) co_return ec;
  if (local) {
#ifdef IP_BIND_ADDRESS_NO_PORT
    // Choose the port at connect(), per destination, instead of reserving one at bind().
    sock.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true),
                    ec);
#endif
    sock.bind(tcp::endpoint(*local, 0), ec);
    if (ec) co_return ec;
  }
  stream.expires_after(timeout);
  auto [cec] = co_await stream.async_connect(remote, tuple_awaitable);
  stream.expires_never();
  if (!cec) sock.set_option(tcp::no_delay(true), ec);
  co_return cec;
}

awaitable<HttpReply> http_call(beast::tcp_stream& stream, const Target& target, http::verb method,
                               std::string_view path, std::string_view body,
                               std::string_view cookie, std::string_view bearer,
                               std::chrono::milliseconds timeout) {
  HttpReply out;
  http::request<http::string_body> req{method, path, 11};
  req.set(http::field::host, target.host_header());
  req.keep_alive(true);
  if (!cookie.empty()) req.set(http::field::cookie, cookie);
  if (!bearer.empty()) {
    std::string auth = "Bearer ";
    auth += bearer;
    req.set(http::field::authorization, auth);
  }
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  stream.expires_after(timeout);
  auto [wec, wn] = co_await http::async_write(stream, req, tuple_awaitable);
  if (wec) {
    out.ec = wec;
    co_return out;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  auto [rec, rn] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
  stream.expires_never();
  if (rec) {
    out.ec = rec;
    co_return out;
  }
  auto res = parser.release();
  out.status = static_cast<int>(res.result_int());
  out.body = std::move(res.body());
  out.keep_alive = res.keep_alive();
  if (auto it = res.find(http::field::retry_after); it != res.end()) out.retry_after = std::string(it->value());
  if (auto it = res.find(http::field::set_cookie); it != res.end()) {
    std::string_view v = it->value();
    out.cookie = std::string(v.substr(0, v.find(';')));
  }
  co_return out;
}

awaitable<beast::error_code> ws_connect(Ws& ws, const Target& target,
                                        std::optional<asio::ip::address_v4> local,
                                        std::string_view cookie,
                                        std::chrono::milliseconds timeout) {
  auto ec = co_await tcp_connect(beast::get_lowest_layer(ws), target, local, timeout);
  if (ec) co_return ec;
  websocket::stream_base::timeout opt{timeout, websocket::stream_base::none(), false};
  ws.set_option(opt);
  std::string cookie_header(cookie);
  ws.set_option(websocket::stream_base::decorator([cookie_header](websocket::request_type& req) {
    if (!cookie_header.empty()) req.set(http::field::cookie, cookie_header);
    req.set(http::field::user_agent, "parley-loadgen");
  }));
  std::string host = target.host_header();
  auto [hec] = co_await ws.async_handshake(host, "/ws", tuple_awaitable);
  if (hec) co_return hec;
  // Frames are small and latency matters: no compression, read whole messages.
  ws.text(true);
  co_return beast::error_code{};
}

std::string_view frame_type(std::string_view frame) { return string_field(frame, "type"); }

namespace {
// Position just after `"key":` (optional spaces skipped), or npos.
std::size_t after_key(std::string_view frame, std::string_view key) {
  std::size_t pos = 0;
  while (true) {
    pos = frame.find(key, pos);
    if (pos == std::string_view::npos) return pos;
    std::size_t end = pos + key.size();
    if (pos > 0 && frame[pos - 1] == '"' && end + 1 < frame.size() && frame[end] == '"' &&
        frame[end + 1] == ':') {
      std::size_t v = end + 2;
      while (v < frame.size() && frame[v] == ' ') ++v;
      return v;
    }
    pos = end;
  }
}
}  // namespace

std::string_view string_field(std::string_view frame, std::string_view key) {
  auto v = after_key(frame, key);
  if (v == std::string_view::npos || v >= frame.size() || frame[v] != '"') return {};
  auto close = frame.find('"', v + 1);
  if (close == std::string_view::npos) return {};
  return frame.substr(v + 1, close - v - 1);
}

std::optional<std::int64_t> int_field(std::string_view frame, std::string_view key) {
  auto v = after_key(frame, key);
  if (v == std::string_view::npos) return std::nullopt;
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(frame.data() + v, frame.data() + frame.size(), out);
  if (ec != std::errc()) return std::nullopt;
  return out;
}

std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

awaitable<std::string> new_visitor_token(beast::tcp_stream& http, const Target& target) {
  using namespace std::chrono_literals;
  auto session =
      co_await http_call(http, target, http::verb::post, "/api/v1/visitor/session", "", "", "", 30s);
  auto s = parse_object(session.body);
  if (session.ec || session.status != 201 || !s || !s->contains("visitor_token")) {
    throw std::runtime_error("visitor session: HTTP " + std::to_string(session.status) + " " +
                             session.body);
  }
  co_return std::string(s->at("visitor_token").as_string());
}

awaitable<std::int64_t> request_chat(beast::tcp_stream& http, const Target& target,
                                     const std::string& token, const std::string& name,
                                     const std::string& email) {
  using namespace std::chrono_literals;
  boost::json::object form{
      {"name", name}, {"email", email}, {"page_url", "https://bench.local/pricing"}};
  auto chat = co_await http_call(http, target, http::verb::post, "/api/v1/visitor/chats",
                                 boost::json::serialize(form), "", token, 30s);
  auto cj = parse_object(chat.body);
  if (chat.ec || chat.status != 201 || !cj || !cj->contains("conversation")) {
    throw std::runtime_error("request chat: HTTP " + std::to_string(chat.status) + " " + chat.body);
  }
  const auto& conv = cj->at("conversation").as_object();
  std::string status(conv.at("status").as_string());
  if (status != "pending") {
    throw std::runtime_error("request chat: status " + status + " (no agent available?)");
  }
  co_return conv.at("id").to_number<std::int64_t>();
}

}  // namespace parley::bench
