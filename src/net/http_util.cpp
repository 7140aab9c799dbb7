#include "net/http_util.hpp"

#include "net/json_codec.hpp"

namespace parley::net {

http::status status_of(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::bad_request: return http::status::bad_request;
    case core::ErrorCode::unauthorized: return http::status::unauthorized;
    case core::ErrorCode::forbidden: return http::status::forbidden;
    case core::ErrorCode::not_found: return http::status::not_found;
    case core::ErrorCode::method_not_allowed: return http::status::method_not_allowed;
    case core::ErrorCode::conflict: return http::status::conflict;
    case core::ErrorCode::payload_too_large: return http::status::payload_too_large;
    case core::ErrorCode::too_many_requests: return http::status::too_many_requests;
    case core::ErrorCode::internal: return http::status::internal_server_error;
    case core::ErrorCode::unavailable: return http::status::service_unavailable;
    case core::ErrorCode::bad_gateway: return http::status::bad_gateway;
  }
  return http::status::internal_server_error;
}

Response json_response(const Request& req, http::status status, std::string body) {
  Response res{status, req.version()};
  res.set(http::field::server, "parley");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error_response(const Request& req, const core::Error& error) {
  auto res = json_response(req, status_of(error.code), error_body(error));
  set_retry_after(error, res);
  return res;
}

void set_retry_after(const core::Error& error, Response& res) {
  if (error.code != core::ErrorCode::too_many_requests) return;
  // Rounded up: a client that waits this long is let in.
  res.set(http::field::retry_after, std::to_string((error.retry_after_ms + 999) / 1000));
}

Response empty_response(const Request& req, http::status status) {
  Response res{status, req.version()};
  res.set(http::field::server, "parley");
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

std::optional<std::string> cookie_value(const Request& req, std::string_view name) {
  auto it = req.find(http::field::cookie);
  if (it == req.end()) return std::nullopt;
  std::string_view header = it->value();
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

std::optional<std::string> bearer_token(const Request& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view v = it->value();
  constexpr std::string_view prefix = "Bearer ";
  if (v.size() <= prefix.size() || v.substr(0, prefix.size()) != prefix) return std::nullopt;
  return std::string(v.substr(prefix.size()));
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> query_of(std::string_view target) {
  std::map<std::string, std::string> params;
  auto q = target.find('?');
  if (q == std::string_view::npos) return params;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params[url_decode(pair)] = "";
    } else {
      params[url_decode(pair.substr(0, eq))] = url_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return params;
}

bool is_cross_origin(const Request& req) {
  auto origin = req.find(http::field::origin);
  if (origin == req.end()) return false;
  auto host = req.find(http::field::host);
  if (host == req.end()) return true;
  std::string_view o = origin->value();
  auto scheme = o.find("://");
  if (scheme != std::string_view::npos) o.remove_prefix(scheme + 3);
  return o != host->value();
}

}  // namespace parley::net
