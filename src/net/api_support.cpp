#include "net/api_support.hpp"

#include <charconv>

namespace parley::net {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    if (path.empty()) break;
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<core::Id> parse_id(std::string_view s) {
  auto v = parse_int(s);
  if (!v || *v <= 0) return std::nullopt;
  return *v;
}

Response ok_json(const Request& req, json::object body, http::status st) {
  return json_response(req, st, json::serialize(body));
}

Response attachment_response(const Request& req, std::string_view content_type,
                             const std::string& filename, std::string body) {
  Response res{http::status::ok, req.version()};
  res.set(http::field::content_type, content_type);
  res.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace parley::net
