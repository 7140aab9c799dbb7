#include "net/route_table.hpp"

#include <stdexcept>

#include "net/api_support.hpp"

namespace parley::net {

const char* to_string(Access access) {
  switch (access) {
    case Access::anyone: return "anyone";
    case Access::widget: return "widget";
    case Access::visitor: return "visitor";
    case Access::meeting_link: return "meeting_link";
    case Access::agent: return "agent";
    case Access::admin: return "admin";
  }
  return "?";
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_token_parameter(std::string_view segment) { return segment == "{token}"; }

std::string label_pattern(std::string_view pattern) {
  std::string out;
  for (auto segment : segments(pattern)) {
    out += '/';
    if (is_token_parameter(segment)) out += "{token}";
    else if (is_parameter(segment)) out += "{id}";
    else out += segment;
  }
  return out;
}

namespace {

void check_row(const Route& row, const std::vector<Route>& existing) {
  // A mistake in a row is a programming error found by the first test that builds the table.
  if (!row.pattern.starts_with("/api/v1/")) {
    throw std::logic_error("route pattern outside /api/v1/: " + row.pattern);
  }
  if (row.scope && row.access != Access::agent && row.access != Access::admin) {
    throw std::logic_error("only agent and admin routes take an API-token scope: " + row.pattern);
  }
  int tokens = 0;
  for (auto segment : row.segments) tokens += is_token_parameter(segment) ? 1 : 0;
  if (tokens != (row.access == Access::meeting_link ? 1 : 0)) {
    throw std::logic_error("a meeting-link route has one {token}, no other route any: " + row.pattern);
  }
  for (const auto& other : existing) {
    if (other.method == row.method && label_pattern(other.pattern) == label_pattern(row.pattern)) {
      throw std::logic_error("route listed twice: " + std::string(http::to_string(row.method)) +
                             " " + row.pattern);
    }
  }
}

}  // namespace

void RouteTable::add(http::verb method, std::string_view pattern, Access access, Handler handler) {
  add_row({method, std::string(pattern), access, std::nullopt, handler, {}});
}

void RouteTable::add(http::verb method, std::string_view pattern, Access access,
                     core::ApiScope scope, Handler handler) {
  add_row({method, std::string(pattern), access, scope, handler, {}});
}

void RouteTable::add_row(Route row) {
  for (auto segment : segments(row.pattern)) row.segments.emplace_back(segment);
  check_row(row, routes_);
  routes_.push_back(std::move(row));
}

RouteTable::Match RouteTable::match(http::verb method, std::string_view path) const {
  Match out;
  auto parts = segments(path);  // empty segments dropped, as the if-chains before it did
  for (const auto& row : routes_) {
    if (row.segments.size() != parts.size()) continue;
    std::vector<core::Id> ids;
    std::string_view token;
    bool matches = true;
    for (std::size_t i = 0; matches && i < parts.size(); ++i) {
      const auto& want = row.segments[i];
      if (is_token_parameter(want)) {
        token = parts[i];
      } else if (is_parameter(want)) {
        auto id = parse_id(parts[i]);
        if (id) ids.push_back(*id);
        else matches = false;
      } else {
        matches = want == parts[i];
      }
    }
    if (!matches) continue;
    out.same_path.push_back(&row);
    if (row.method == method && !out.route) {
      out.route = &row;
      out.ids = std::move(ids);
      out.token = token;
    }
  }
  return out;
}

}  // namespace parley::net
